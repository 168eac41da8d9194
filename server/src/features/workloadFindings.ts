// The apiserver's checks of the objects a Service depends on, from the shared validation
// module: names and labels, the selector against the pod template's labels, containers and
// their ports. Pods, Deployments and ReplicaSets get the module's create validation as the
// emulator runs it. StatefulSets and DaemonSets share only the parts whose messages are the
// same for every workload kind: metadata, the label selector, the selector-to-template match
// and the pod template; their kind-specific rules are left to the apiserver. A few other
// modelled kinds get their metadata checked. Anything else is not validated.

import type { FieldError } from '../validation/fieldErrors';
import { appendAll, invalid } from '../validation/fieldErrors';
import type { Deployment, KubeObject, LabelSelector, Namespace, Pod, PodTemplateSpec, ReplicaSet } from '../validation/kubeTypes';
import { labelSelectorIsEmpty, labelSelectorMatches, validateLabelSelector } from '../validation/labelSelector';
import { nameIsDnsSubdomain, sortedMap, validateObjectMeta } from '../validation/objectMeta';
import { validateDeployment, validateNamespace, validatePod, validatePodTemplateSpec, validateReplicaSet } from '../validation/workloads';

function templatedWorkloadErrors(obj: KubeObject): FieldError[] {
  const spec = (obj['spec'] ?? {}) as { selector?: LabelSelector | null; template?: PodTemplateSpec };
  const errs = validateObjectMeta(obj.metadata, { namespaced: true, nameFn: nameIsDnsSubdomain });
  const selectorErrs = validateLabelSelector(spec.selector, 'spec.selector');
  appendAll(errs, selectorErrs);
  const labels = spec.template?.metadata?.labels;
  if (spec.selector && selectorErrs.length === 0 && !labelSelectorIsEmpty(spec.selector) && !labelSelectorMatches(spec.selector, labels)) {
    errs.push(invalid('spec.template.metadata.labels', sortedMap(labels), '`selector` does not match template `labels`'));
  }
  appendAll(errs, validatePodTemplateSpec(spec.template, 'spec.template'));
  return errs;
}

/** The create-time FieldErrors of a decoded object of a modelled kind other than Service. */
export function workloadErrors(apiVersion: string, kind: string, obj: KubeObject): FieldError[] {
  switch (`${apiVersion}/${kind}`) {
    case 'v1/Pod':
      return validatePod(obj as Pod);
    case 'apps/v1/Deployment':
      return validateDeployment(obj as Deployment);
    case 'apps/v1/ReplicaSet':
      return validateReplicaSet(obj as ReplicaSet);
    case 'apps/v1/StatefulSet':
    case 'apps/v1/DaemonSet':
      return templatedWorkloadErrors(obj);
    case 'v1/Namespace':
      return validateNamespace(obj as Namespace);
    case 'v1/ConfigMap':
    case 'v1/Secret':
    case 'v1/Endpoints':
    case 'discovery.k8s.io/v1/EndpointSlice':
      return validateObjectMeta(obj.metadata, { namespaced: true, nameFn: nameIsDnsSubdomain });
    default:
      return [];
  }
}
