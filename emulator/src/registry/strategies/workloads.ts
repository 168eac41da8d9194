// Strategies for Pods, Deployments and ReplicaSets: the v1 scheme defaults, generation
// tracking (a spec change bumps metadata.generation, which controllers answer with
// status.observedGeneration), status kept apart from spec, and the apiserver's validation.

import {
  validateDeployment,
  validateDeploymentUpdate,
  validatePod,
  validateReplicaSet,
  validateReplicaSetUpdate,
} from '../../../../server/src/validation/workloads';
import { deepEqual } from '../../api/objects';
import type { Deployment, KubeObject, Pod, ReplicaSet } from '../../api/types';
import { defaultPodSpec } from '../podSpecDefaults';
import type { Strategy } from '../strategy';

function specChanged(obj: KubeObject, old: KubeObject): boolean {
  return !deepEqual(obj.spec, old.spec);
}

function defaultTemplate(template: { metadata?: object; spec?: unknown } | undefined): void {
  if (!template || typeof template !== 'object') return;
  if (template.spec && typeof template.spec === 'object') defaultPodSpec(template.spec as Pod['spec']);
}

export const podStrategy: Strategy = {
  hasStatus: true,
  default(obj) {
    const pod = obj as Pod;
    if (pod.spec && typeof pod.spec === 'object') {
      defaultPodSpec(pod.spec);
      // The DefaultTolerationSeconds admission plugin adds these to every pod.
      const tolerations = (pod.spec.tolerations as { key?: string }[] | undefined) ?? [];
      for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
        if (!tolerations.some((t) => t.key === key)) {
          tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 } as { key: string });
        }
      }
      pod.spec.tolerations = tolerations;
      pod.spec.enableServiceLinks ??= true;
      pod.spec.preemptionPolicy ??= 'PreemptLowerPriority';
      pod.spec.priority ??= 0;
      pod.spec.serviceAccountName ??= 'default';
      pod.spec.serviceAccount ??= pod.spec.serviceAccountName;
    }
    return pod;
  },
  prepareForCreate(obj) {
    obj.status = { phase: 'Pending', qosClass: 'BestEffort' };
  },
  validate: (obj) => validatePod(obj as Pod),
  // Pod updates are checked as whole pods; the spec-immutability rules of real pods are not enforced.
  validateUpdate: (obj) => validatePod(obj as Pod),
};

export const deploymentStrategy: Strategy = {
  hasStatus: true,
  default(obj) {
    const d = obj as Deployment;
    if (!d.spec || typeof d.spec !== 'object') return d;
    const spec = d.spec;
    spec.replicas ??= 1;
    spec.strategy ??= {};
    spec.strategy.type ??= 'RollingUpdate';
    if (spec.strategy.type === 'RollingUpdate') {
      spec.strategy.rollingUpdate ??= {};
      spec.strategy.rollingUpdate.maxUnavailable ??= '25%';
      spec.strategy.rollingUpdate.maxSurge ??= '25%';
    }
    spec.revisionHistoryLimit ??= 10;
    spec.progressDeadlineSeconds ??= 600;
    defaultTemplate(spec.template);
    return d;
  },
  prepareForCreate(obj) {
    obj.metadata.generation = 1;
    obj.status = {};
  },
  bumpsGeneration: specChanged,
  validate: (obj) => validateDeployment(obj as Deployment),
  validateUpdate: (obj, old) => validateDeploymentUpdate(obj as Deployment, old as Deployment),
};

export const replicaSetStrategy: Strategy = {
  hasStatus: true,
  default(obj) {
    const rs = obj as ReplicaSet;
    if (!rs.spec || typeof rs.spec !== 'object') return rs;
    rs.spec.replicas ??= 1;
    defaultTemplate(rs.spec.template);
    return rs;
  },
  prepareForCreate(obj) {
    obj.metadata.generation = 1;
    obj.status = { replicas: 0 };
  },
  bumpsGeneration: specChanged,
  validate: (obj) => validateReplicaSet(obj as ReplicaSet),
  validateUpdate: (obj, old) => validateReplicaSetUpdate(obj as ReplicaSet, old as ReplicaSet),
};
