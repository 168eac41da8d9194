// apimachinery messages: meta/v1 (ObjectMeta and what it holds, LabelSelector, Condition,
// the Timestamp that Time and MicroTime travel as), api/resource Quantity, util/intstr
// IntOrString, and the runtime.Unknown envelope. Field numbers from the generated.proto
// files of apimachinery v0.32, JSON tags from the matching types.go.

import { field, mapOf, message, pointer, repeated } from './schemaTypes';

/** metav1.Time and metav1.MicroTime on the wire (they carry no fields of their own). */
export const timestamp = message('Timestamp', [field(1, 'seconds', 'int64'), field(2, 'nanos', 'int32')]);

/**
 * resource.Quantity on the wire: a string that must parse. Its hand-written Unmarshal parses
 * every occurrence in turn and keeps the last, so the table collects them all.
 */
export const quantity = message('Quantity', [repeated(1, 'string', 'string')]);

/** intstr.IntOrString on the wire: `type` 0 means intVal, 1 means strVal. */
export const intOrString = message('IntOrString', [
  field(1, 'type', 'int64'),
  field(2, 'intVal', 'int32', { go: 'IntVal' }),
  field(3, 'strVal', 'string', { go: 'StrVal' }),
]);

export const ownerReference = message('OwnerReference', [
  field(5, 'apiVersion', 'string', { go: 'APIVersion', keep: true }),
  field(1, 'kind', 'string', { keep: true }),
  field(3, 'name', 'string', { keep: true }),
  field(4, 'uid', 'string', { go: 'UID', keep: true }),
  pointer(6, 'controller', 'bool'),
  pointer(7, 'blockOwnerDeletion', 'bool'),
]);

// managedFields (17) is left out: the apiserver's field manager owns it, and the emulator
// keeps no field ownership, so it is skipped like any unknown field.
export const objectMeta = message('ObjectMeta', [
  field(1, 'name', 'string'),
  field(2, 'generateName', 'string'),
  field(3, 'namespace', 'string'),
  field(4, 'selfLink', 'string'),
  field(5, 'uid', 'string', { go: 'UID' }),
  field(6, 'resourceVersion', 'string'),
  field(7, 'generation', 'int64'),
  field(8, 'creationTimestamp', 'time'),
  pointer(9, 'deletionTimestamp', 'time'),
  pointer(10, 'deletionGracePeriodSeconds', 'int64'),
  mapOf(11, 'labels', 'string'),
  mapOf(12, 'annotations', 'string'),
  repeated(13, 'ownerReferences', ownerReference),
  repeated(14, 'finalizers', 'string'),
]);

export const labelSelectorRequirement = message('LabelSelectorRequirement', [
  field(1, 'key', 'string', { keep: true }),
  field(2, 'operator', 'string', { keep: true }),
  repeated(3, 'values', 'string'),
]);

export const labelSelector = message('LabelSelector', [
  mapOf(1, 'matchLabels', 'string'),
  repeated(2, 'matchExpressions', labelSelectorRequirement),
]);

export const condition = message('Condition', [
  field(1, 'type', 'string', { keep: true }),
  field(2, 'status', 'string', { keep: true }),
  field(3, 'observedGeneration', 'int64'),
  field(4, 'lastTransitionTime', 'time', { keep: true }),
  field(5, 'reason', 'string', { keep: true }),
  field(6, 'message', 'string', { keep: true }),
]);

export const typeMeta = message('TypeMeta', [
  field(1, 'apiVersion', 'string', { go: 'APIVersion' }),
  field(2, 'kind', 'string'),
]);

/** runtime.Unknown: the message every protobuf body holds after the `k8s\0` prefix. */
export const unknown = message('Unknown', [
  field(1, 'typeMeta', typeMeta, { go: 'TypeMeta' }),
  field(2, 'raw', 'bytes'),
  field(3, 'contentEncoding', 'string'),
  field(4, 'contentType', 'string'),
]);
