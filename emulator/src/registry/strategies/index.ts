// Assembles the per-resource strategies and the metadata validator the registry runs. Names are
// checked as each kind's apiserver strategy checks them: Services and Namespaces as DNS labels
// (Services as DNS-1035 labels), everything else as DNS-1123 subdomains.

import {
  nameIsDns1035Label,
  nameIsDnsLabel,
  nameIsDnsSubdomain,
  validateObjectMeta,
  validateObjectMetaUpdate,
  type NameValidator,
} from '../../../../server/src/validation/objectMeta';
import { R, type ResourceType } from '../../api/resources';
import type { MetaValidator } from '../registry';
import type { Strategy } from '../strategy';
import { ServiceStrategy, type ServiceStrategyOptions } from './services';
import { deploymentStrategy, podStrategy, replicaSetStrategy } from './workloads';

const namespaceStrategy: Strategy = {
  hasStatus: true,
  default(obj) {
    // The apiserver labels every namespace with its own name, so selectors can target namespaces.
    const name = obj.metadata.name;
    if (name) obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': name };
    return obj;
  },
  prepareForCreate(obj) {
    obj.spec = { finalizers: ['kubernetes'] };
    obj.status = { phase: 'Active' };
  },
};

function nameValidatorFor(rt: ResourceType): NameValidator {
  if (rt.key === R.services) return nameIsDns1035Label;
  if (rt.key === R.namespaces) return nameIsDnsLabel;
  return nameIsDnsSubdomain;
}

export const metaValidator: MetaValidator = {
  create: (rt, obj) => validateObjectMeta(obj.metadata, { namespaced: rt.namespaced, nameFn: nameValidatorFor(rt) }),
  update: (_rt, obj, old) => validateObjectMetaUpdate(obj.metadata, old.metadata),
};

export interface Strategies {
  map: Map<string, Strategy>;
  services: ServiceStrategy;
}

export function buildStrategies(serviceOptions: ServiceStrategyOptions): Strategies {
  const services = new ServiceStrategy(serviceOptions);
  const map = new Map<string, Strategy>([
    [R.services, services],
    [R.pods, podStrategy],
    [R.deployments, deploymentStrategy],
    [R.replicasets, replicaSetStrategy],
    [R.namespaces, namespaceStrategy],
  ]);
  return { map, services };
}
