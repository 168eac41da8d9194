// Decoding a request body into an object the way the apiserver's strict decoder does. The
// rules and texts live in the shared fields module; this file turns its decisions into
// ApiErrors and chooses what to check: a POST/PUT body as sent (so duplicate keys are seen),
// or the object a patch produced.

import {
  checkRequestBody,
  invalidPatchStatus,
  jsonNodeFromValue,
  parseJsonNode,
  pruneUnknownFields,
  type ApiStatus,
} from '../../../server/src/validation/fields';
import { ApiError, badRequest } from '../api/errors';
import { isPlainObject } from '../api/objects';
import type { ResourceType } from '../api/resources';
import type { KubeObject } from '../api/types';
import { withGoNulls } from './goNulls';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface Decoded {
  object: KubeObject;
  warnings: string[];
}

function toApiError(s: ApiStatus): ApiError {
  return new ApiError(s.code, s.reason, s.message, s.details);
}

/**
 * Checks a create/update body. `jsonText` is the body as sent when it was JSON, so duplicate
 * fields can be found; YAML bodies are checked from the parsed value.
 */
export function decodeRequestObject(
  rt: ResourceType,
  raw: unknown,
  jsonText: string | undefined,
  validation: FieldValidation,
): Decoded {
  if (!isPlainObject(raw)) {
    throw badRequest(`${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: the body is not a JSON object`);
  }
  const parsed = jsonText !== undefined ? parseJsonNode(jsonText) : undefined;
  const node = parsed?.ok ? parsed.node : jsonNodeFromValue(raw);
  const decision = checkRequestBody(rt.apiVersion, rt.kind, node, validation);
  if (!decision.ok) throw toApiError(decision.status);
  const pruned = pruneUnknownFields(rt.apiVersion, rt.kind, raw) as KubeObject;
  return { object: withGoNulls(rt.apiVersion, rt.kind, pruned), warnings: decision.warnings };
}

// Built-in kinds by group version, as kube-apiserver's scheme registers them: a body of one of
// these kinds decodes and then fails to convert to the kind the URL names; any other kind is
// not registered at all. The internal package of a group is what Go prints for its types.
const REGISTERED_KINDS: Readonly<Record<string, readonly string[]>> = {
  v1: [
    'Binding', 'ConfigMap', 'Endpoints', 'Event', 'LimitRange', 'Namespace', 'Node', 'PersistentVolume',
    'PersistentVolumeClaim', 'Pod', 'PodTemplate', 'ReplicationController', 'ResourceQuota', 'Secret',
    'Service', 'ServiceAccount',
  ],
  'apps/v1': ['ControllerRevision', 'DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet'],
  'apps/v1beta1': ['ControllerRevision', 'Deployment', 'StatefulSet'],
  'apps/v1beta2': ['ControllerRevision', 'DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet'],
  'batch/v1': ['CronJob', 'Job'],
  'autoscaling/v1': ['HorizontalPodAutoscaler', 'Scale'],
  'autoscaling/v2': ['HorizontalPodAutoscaler'],
  'discovery.k8s.io/v1': ['EndpointSlice'],
  'networking.k8s.io/v1': ['Ingress', 'IngressClass', 'NetworkPolicy'],
  'policy/v1': ['PodDisruptionBudget'],
  'rbac.authorization.k8s.io/v1': ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'],
  'storage.k8s.io/v1': ['StorageClass'],
};
const LEGACY_SCHEME = 'pkg/api/legacyscheme/scheme.go:30';

function internalPackage(group: string): string {
  return group === '' ? 'core' : group.split('.')[0];
}

/**
 * Rejects a create/update body whose apiVersion or kind names another type than the URL, as
 * the decoder does: it fills in what the body leaves out from the URL's type, builds the type
 * the body names, and fails to convert it (`converting (v1.Pod) to (core.Service): unknown
 * conversion`) or, for a kind the scheme does not know, fails to build it.
 */
export function checkBodyKind(rt: ResourceType, raw: Record<string, unknown>): void {
  const apiVersion = typeof raw.apiVersion === 'string' ? raw.apiVersion : '';
  const givenKind = typeof raw.kind === 'string' ? raw.kind : '';
  const slashes = apiVersion.split('/').length - 1;
  if (slashes > 1) throw badRequest(`the object provided is unrecognized (must be of type ${rt.kind}): unexpected GroupVersion string: ${apiVersion}`);
  let group = slashes === 1 ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  let version = slashes === 1 ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion;
  if (!group && !version) [group, version] = [rt.group, rt.version];
  const kind = givenKind || rt.kind;
  if (group === rt.group && version === rt.version && kind === rt.kind) return;
  const groupVersion = group ? `${group}/${version}` : version;
  const cannot = `${kind} in version "${version}" cannot be handled as a ${rt.kind}`;
  if (!REGISTERED_KINDS[groupVersion]?.includes(kind)) {
    throw badRequest(`${cannot}: no kind "${kind}" is registered for version "${groupVersion}" in scheme "${LEGACY_SCHEME}"`);
  }
  if (kind !== rt.kind || group !== rt.group) {
    throw badRequest(`${cannot}: converting (${version}.${kind}) to (${internalPackage(rt.group)}.${rt.kind}): unknown conversion`);
  }
  throw badRequest(`the API version in the data (${groupVersion}) does not match the expected API version (${rt.apiVersion})`);
}

/** Checks the object a JSON, merge or strategic merge patch produced (a 422 on failure). */
export function decodePatchedObject(rt: ResourceType, patched: KubeObject, validation: FieldValidation): Decoded {
  const decision = checkRequestBody(rt.apiVersion, rt.kind, jsonNodeFromValue(patched), validation);
  if (!decision.ok) {
    const detail = decision.status.message.replace(/^.* cannot be handled as a [A-Za-z]+: /, '');
    throw toApiError(invalidPatchStatus(JSON.stringify(patched), detail));
  }
  return { object: withGoNulls(rt.apiVersion, rt.kind, pruneUnknownFields(rt.apiVersion, rt.kind, patched)), warnings: decision.warnings };
}
