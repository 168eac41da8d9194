// apps/v1 types (k8s.io/api/apps/v1/types.go, v0.32): the four workload kinds.

import { podTemplateSpec } from './coreSchema';
import { labelSelector, objectMeta, typeMeta } from './metaSchema';
import { arrayOf, bool, int32, int64, intOrString, named, str, struct, time, unmodelled, type ObjectSchema } from './schemaTypes';

const conditionStatus = named('v1.ConditionStatus');

/** Each workload's condition has the same fields and its own Go type name. */
function workloadCondition(goType: string, typeName: string, withLastUpdateTime = false): ObjectSchema {
  return struct(goType, {
    type: named(typeName),
    status: conditionStatus,
    ...(withLastUpdateTime ? { lastUpdateTime: time } : {}),
    lastTransitionTime: time,
    reason: str,
    message: str,
  });
}

export const deployment: ObjectSchema = struct('v1.Deployment', {
  ...typeMeta,
  metadata: objectMeta,
  spec: struct('v1.DeploymentSpec', {
    replicas: int32,
    selector: labelSelector,
    template: podTemplateSpec,
    strategy: struct('v1.DeploymentStrategy', {
      type: named('v1.DeploymentStrategyType'),
      rollingUpdate: struct('v1.RollingUpdateDeployment', { maxUnavailable: intOrString, maxSurge: intOrString }),
    }),
    minReadySeconds: int32,
    revisionHistoryLimit: int32,
    paused: bool,
    progressDeadlineSeconds: int32,
  }),
  status: struct('v1.DeploymentStatus', {
    observedGeneration: int64,
    replicas: int32,
    updatedReplicas: int32,
    readyReplicas: int32,
    availableReplicas: int32,
    unavailableReplicas: int32,
    conditions: arrayOf(workloadCondition('v1.DeploymentCondition', 'v1.DeploymentConditionType', true)),
    collisionCount: int32,
  }),
});

export const replicaSet: ObjectSchema = struct('v1.ReplicaSet', {
  ...typeMeta,
  metadata: objectMeta,
  spec: struct('v1.ReplicaSetSpec', {
    replicas: int32,
    minReadySeconds: int32,
    selector: labelSelector,
    template: podTemplateSpec,
  }),
  status: struct('v1.ReplicaSetStatus', {
    replicas: int32,
    fullyLabeledReplicas: int32,
    readyReplicas: int32,
    availableReplicas: int32,
    observedGeneration: int64,
    conditions: arrayOf(workloadCondition('v1.ReplicaSetCondition', 'v1.ReplicaSetConditionType')),
  }),
});

export const statefulSet: ObjectSchema = struct('v1.StatefulSet', {
  ...typeMeta,
  metadata: objectMeta,
  spec: struct('v1.StatefulSetSpec', {
    replicas: int32,
    selector: labelSelector,
    template: podTemplateSpec,
    volumeClaimTemplates: arrayOf(unmodelled('v1.PersistentVolumeClaim')),
    serviceName: str,
    podManagementPolicy: named('v1.PodManagementPolicyType'),
    updateStrategy: struct('v1.StatefulSetUpdateStrategy', {
      type: named('v1.StatefulSetUpdateStrategyType'),
      rollingUpdate: struct('v1.RollingUpdateStatefulSetStrategy', { partition: int32, maxUnavailable: intOrString }),
    }),
    revisionHistoryLimit: int32,
    minReadySeconds: int32,
    persistentVolumeClaimRetentionPolicy: struct('v1.StatefulSetPersistentVolumeClaimRetentionPolicy', {
      whenDeleted: named('v1.PersistentVolumeClaimRetentionPolicyType'),
      whenScaled: named('v1.PersistentVolumeClaimRetentionPolicyType'),
    }),
    ordinals: struct('v1.StatefulSetOrdinals', { start: int32 }),
  }),
  status: struct('v1.StatefulSetStatus', {
    observedGeneration: int64,
    replicas: int32,
    readyReplicas: int32,
    currentReplicas: int32,
    updatedReplicas: int32,
    currentRevision: str,
    updateRevision: str,
    collisionCount: int32,
    conditions: arrayOf(workloadCondition('v1.StatefulSetCondition', 'v1.StatefulSetConditionType')),
    availableReplicas: int32,
  }),
});

export const daemonSet: ObjectSchema = struct('v1.DaemonSet', {
  ...typeMeta,
  metadata: objectMeta,
  spec: struct('v1.DaemonSetSpec', {
    selector: labelSelector,
    template: podTemplateSpec,
    updateStrategy: struct('v1.DaemonSetUpdateStrategy', {
      type: named('v1.DaemonSetUpdateStrategyType'),
      rollingUpdate: struct('v1.RollingUpdateDaemonSet', { maxUnavailable: intOrString, maxSurge: intOrString }),
    }),
    minReadySeconds: int32,
    revisionHistoryLimit: int32,
  }),
  status: struct('v1.DaemonSetStatus', {
    currentNumberScheduled: int32,
    numberMisscheduled: int32,
    desiredNumberScheduled: int32,
    numberReady: int32,
    observedGeneration: int64,
    updatedNumberScheduled: int32,
    numberAvailable: int32,
    numberUnavailable: int32,
    collisionCount: int32,
    conditions: arrayOf(workloadCondition('v1.DaemonSetCondition', 'v1.DaemonSetConditionType')),
  }),
});
