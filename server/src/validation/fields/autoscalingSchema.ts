// autoscaling/v1 Scale (k8s.io/api/autoscaling/v1/types.go, v0.32): the body of the
// deployments/scale and replicasets/scale subresources.

import { objectMeta, typeMeta } from './metaSchema';
import { int32, str, struct, type ObjectSchema } from './schemaTypes';

export const scale: ObjectSchema = struct('v1.Scale', {
  ...typeMeta,
  metadata: objectMeta,
  spec: struct('v1.ScaleSpec', { replicas: int32 }),
  status: struct('v1.ScaleStatus', { replicas: int32, selector: str }),
});
