// "Apply to emulator": the documents of a file applied the way `kubectl apply` does it on the
// client side, through the cluster view's own connection (the emulator or a kubeconfig
// context alike). Each object is read first; a missing one is created with the
// last-applied-configuration annotation, an existing one gets the three-way merge patch from
// that annotation (lastApplied.ts), and an empty patch means "unchanged". Documents are
// applied one after another in file order, as kubectl does, and each gets its own outcome.

import type { ApiConnection } from '../cluster/apiRequests';
import type { ClusterView } from '../cluster/clusterView';
import type { ManifestFile } from '../documents';
import type { DocumentResult } from '../protocol';
import type { KubeObject } from '../validation/kubeTypes';
import { apiCall } from './apiCall';
import { noMatchMessage, objectPath, resourceFor } from './apiResources';
import { clusterTarget } from './clusterAccess';
import { eachSubject, kubectlErrorText } from './documentObjects';
import { recordedOriginal, threeWayMergePatch, withLastApplied } from './lastApplied';

/** kubectl's query on writes: its field manager, and unknown fields rejected by the server. */
const WRITE_QUERY = '?fieldManager=kubectl-client-side-apply&fieldValidation=Strict';

export async function applyDocuments(file: ManifestFile, indexes: readonly number[], view: ClusterView): Promise<DocumentResult[]> {
  const target = clusterTarget(view, 'Apply');
  return eachSubject(file, indexes, (subject) => applyOne(target.connection, target.defaultNamespace, subject.object, subject.result));
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

async function applyOne(conn: ApiConnection, defaultNamespace: string, manifest: KubeObject, base: DocumentResult): Promise<DocumentResult> {
  const info = await resourceFor(conn, manifest.apiVersion ?? '', manifest.kind ?? '');
  if (!info) return { ...base, outcome: 'failed', message: noMatchMessage(manifest.apiVersion ?? '', manifest.kind ?? '') };
  const object = JSON.parse(JSON.stringify(manifest)) as KubeObject;
  const namespace = info.namespaced ? object.metadata.namespace || defaultNamespace : undefined;
  if (namespace) object.metadata.namespace = namespace;
  const result: DocumentResult = namespace ? { ...base, namespace } : base;
  const modified = withLastApplied(object);
  const name = base.name;

  const existing = await apiCall(conn, 'GET', objectPath(info, namespace, name));
  if (existing.status === 404) {
    const created = await apiCall(conn, 'POST', objectPath(info, namespace) + WRITE_QUERY, { contentType: 'application/json', text: JSON.stringify(modified) });
    if (created.status >= 200 && created.status < 300) return { ...result, outcome: 'created' };
    return { ...result, outcome: 'failed', message: kubectlErrorText(created) };
  }
  if (existing.status !== 200) return { ...result, outcome: 'failed', message: kubectlErrorText(existing) };
  let current: unknown;
  try {
    current = JSON.parse(existing.body);
  } catch {
    return { ...result, outcome: 'failed', message: `the API's answer for ${name} is not JSON` };
  }
  if (!isRecord(current)) return { ...result, outcome: 'failed', message: `the API's answer for ${name} is not an object` };
  const patch = threeWayMergePatch(recordedOriginal(current as KubeObject), modified, current);
  if (Object.keys(patch).length === 0) return { ...result, outcome: 'unchanged' };
  const patched = await apiCall(conn, 'PATCH', objectPath(info, namespace, name) + WRITE_QUERY, { contentType: 'application/merge-patch+json', text: JSON.stringify(patch) });
  if (patched.status === 200) return { ...result, outcome: 'configured' };
  return { ...result, outcome: 'failed', message: kubectlErrorText(patched) };
}
