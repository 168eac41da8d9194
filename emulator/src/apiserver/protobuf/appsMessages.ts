// apps/v1 messages (k8s.io/api v0.32 apps/v1/generated.proto, JSON tags from types.go):
// Deployment and ReplicaSet. The 1.33 additions (podReplacementPolicy, terminatingReplicas)
// are left out, as a 1.32 apiserver skips them too.

import { podTemplateSpec } from './coreMessages';
import { labelSelector, objectMeta } from './metaMessages';
import { field, message, pointer, repeated } from './schemaTypes';

const rollingUpdateDeployment = message('RollingUpdateDeployment', [
  pointer(1, 'maxUnavailable', 'intOrString'),
  pointer(2, 'maxSurge', 'intOrString'),
]);

const deploymentStrategy = message('DeploymentStrategy', [
  field(1, 'type', 'string'),
  pointer(2, 'rollingUpdate', rollingUpdateDeployment),
]);

const deploymentSpec = message('DeploymentSpec', [
  pointer(1, 'replicas', 'int32'),
  pointer(2, 'selector', labelSelector, { keep: true }),
  field(3, 'template', podTemplateSpec, { keep: true }),
  field(4, 'strategy', deploymentStrategy),
  field(5, 'minReadySeconds', 'int32'),
  pointer(6, 'revisionHistoryLimit', 'int32'),
  field(7, 'paused', 'bool'),
  pointer(9, 'progressDeadlineSeconds', 'int32'),
]);

const deploymentCondition = message('DeploymentCondition', [
  field(1, 'type', 'string', { keep: true }),
  field(2, 'status', 'string', { keep: true }),
  field(6, 'lastUpdateTime', 'time'),
  field(7, 'lastTransitionTime', 'time'),
  field(4, 'reason', 'string'),
  field(5, 'message', 'string'),
]);

const deploymentStatus = message('DeploymentStatus', [
  field(1, 'observedGeneration', 'int64'),
  field(2, 'replicas', 'int32'),
  field(3, 'updatedReplicas', 'int32'),
  field(7, 'readyReplicas', 'int32'),
  field(4, 'availableReplicas', 'int32'),
  field(5, 'unavailableReplicas', 'int32'),
  repeated(6, 'conditions', deploymentCondition),
  pointer(8, 'collisionCount', 'int32'),
]);

export const deployment = message('Deployment', [
  field(1, 'metadata', objectMeta, { go: 'ObjectMeta' }),
  field(2, 'spec', deploymentSpec),
  field(3, 'status', deploymentStatus),
]);

const replicaSetSpec = message('ReplicaSetSpec', [
  pointer(1, 'replicas', 'int32'),
  field(4, 'minReadySeconds', 'int32'),
  pointer(2, 'selector', labelSelector, { keep: true }),
  field(3, 'template', podTemplateSpec),
]);

const replicaSetCondition = message('ReplicaSetCondition', [
  field(1, 'type', 'string', { keep: true }),
  field(2, 'status', 'string', { keep: true }),
  field(3, 'lastTransitionTime', 'time'),
  field(4, 'reason', 'string'),
  field(5, 'message', 'string'),
]);

const replicaSetStatus = message('ReplicaSetStatus', [
  field(1, 'replicas', 'int32', { keep: true }),
  field(2, 'fullyLabeledReplicas', 'int32'),
  field(4, 'readyReplicas', 'int32'),
  field(5, 'availableReplicas', 'int32'),
  field(3, 'observedGeneration', 'int64'),
  repeated(6, 'conditions', replicaSetCondition),
]);

export const replicaSet = message('ReplicaSet', [
  field(1, 'metadata', objectMeta, { go: 'ObjectMeta' }),
  field(2, 'spec', replicaSetSpec),
  field(3, 'status', replicaSetStatus),
]);
