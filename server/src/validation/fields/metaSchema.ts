// meta/v1 types (k8s.io/apimachinery/pkg/apis/meta/v1/types.go, v0.32): ObjectMeta and the
// pieces every kind shares, plus DeleteOptions and Status, which travel as request and
// response bodies of their own.

import { arrayOf, bool, int32, int64, named, raw, str, stringMap, struct, time, type ObjectSchema } from './schemaTypes';

const uid = named('types.UID');

export const ownerReference = struct('v1.OwnerReference', {
  apiVersion: str,
  kind: str,
  name: str,
  uid,
  controller: bool,
  blockOwnerDeletion: bool,
});

export const managedFieldsEntry = struct('v1.ManagedFieldsEntry', {
  manager: str,
  operation: named('v1.ManagedFieldsOperationType'),
  apiVersion: str,
  time,
  fieldsType: str,
  // FieldsV1 implements UnmarshalJSON and keeps the bytes, so nothing inside is checked.
  fieldsV1: raw,
  subresource: str,
});

export const objectMeta = struct('v1.ObjectMeta', {
  name: str,
  generateName: str,
  namespace: str,
  selfLink: str,
  uid,
  resourceVersion: str,
  generation: int64,
  creationTimestamp: time,
  deletionTimestamp: time,
  deletionGracePeriodSeconds: int64,
  labels: stringMap,
  annotations: stringMap,
  ownerReferences: arrayOf(ownerReference),
  finalizers: arrayOf(str),
  managedFields: arrayOf(managedFieldsEntry),
});

export const listMeta = struct('v1.ListMeta', {
  selfLink: str,
  resourceVersion: str,
  continue: str,
  remainingItemCount: int64,
});

export const labelSelector = struct('v1.LabelSelector', {
  matchLabels: stringMap,
  matchExpressions: arrayOf(
    struct('v1.LabelSelectorRequirement', {
      key: str,
      operator: named('v1.LabelSelectorOperator'),
      values: arrayOf(str),
    }),
  ),
});

export const condition = struct('v1.Condition', {
  type: str,
  status: named('v1.ConditionStatus'),
  observedGeneration: int64,
  lastTransitionTime: time,
  reason: str,
  message: str,
});

/** The inline TypeMeta fields every top-level kind starts with. */
export const typeMeta = { apiVersion: str, kind: str } as const;

export const deleteOptions: ObjectSchema = struct('v1.DeleteOptions', {
  ...typeMeta,
  gracePeriodSeconds: int64,
  preconditions: struct('v1.Preconditions', { uid, resourceVersion: str }),
  orphanDependents: bool,
  propagationPolicy: named('v1.DeletionPropagation'),
  dryRun: arrayOf(str),
  ignoreStoreReadErrorWithClusterBreakingPotential: bool,
});

export const status: ObjectSchema = struct('v1.Status', {
  ...typeMeta,
  metadata: listMeta,
  status: str,
  message: str,
  reason: named('v1.StatusReason'),
  details: struct('v1.StatusDetails', {
    name: str,
    group: str,
    kind: str,
    uid,
    causes: arrayOf(
      struct('v1.StatusCause', {
        reason: named('v1.CauseType'),
        message: str,
        field: str,
      }),
    ),
    retryAfterSeconds: int32,
  }),
  code: int32,
});
