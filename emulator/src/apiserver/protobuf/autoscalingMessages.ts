// autoscaling/v1 Scale (k8s.io/api v0.32 autoscaling/v1/generated.proto), the body of a
// typed client's UpdateScale on the scale subresource.

import { objectMeta } from './metaMessages';
import { field, message } from './schemaTypes';

const scaleSpec = message('ScaleSpec', [field(1, 'replicas', 'int32')]);

const scaleStatus = message('ScaleStatus', [
  field(1, 'replicas', 'int32', { keep: true }),
  field(2, 'selector', 'string'),
]);

export const scale = message('Scale', [
  field(1, 'metadata', objectMeta, { go: 'ObjectMeta' }),
  field(2, 'spec', scaleSpec),
  field(3, 'status', scaleStatus),
]);
