// "Delete from emulator": each document's object deleted through the cluster view's
// connection, in file order, as `kubectl delete -f` does; an object that is already gone is
// "not found" rather than a failure of the whole request.

import type { ClusterView } from '../cluster/clusterView';
import type { ManifestFile } from '../documents';
import type { DocumentResult } from '../protocol';
import { apiCall } from './apiCall';
import { noMatchMessage, objectPath, resourceFor } from './apiResources';
import { clusterTarget } from './clusterAccess';
import { documentSubject, kubectlErrorText } from './documentObjects';

export async function deleteDocuments(file: ManifestFile, indexes: readonly number[], view: ClusterView): Promise<DocumentResult[]> {
  const target = clusterTarget(view, 'Delete');
  const out: DocumentResult[] = [];
  for (const index of indexes) {
    const subject = documentSubject(file, index);
    if (!subject) continue;
    if (!subject.ok) {
      out.push(subject.result);
      continue;
    }
    const info = await resourceFor(target.connection, subject.apiVersion, subject.kind);
    if (!info) {
      out.push({ ...subject.result, outcome: 'failed', message: noMatchMessage(subject.apiVersion, subject.kind) });
      continue;
    }
    const namespace = info.namespaced ? subject.object.metadata.namespace || target.defaultNamespace : undefined;
    const result: DocumentResult = namespace ? { ...subject.result, namespace } : subject.result;
    const answer = await apiCall(target.connection, 'DELETE', objectPath(info, namespace, subject.name));
    if (answer.status === 200 || answer.status === 202) out.push({ ...result, outcome: 'deleted' });
    else if (answer.status === 404) out.push({ ...result, outcome: 'not found' });
    else out.push({ ...result, outcome: 'failed', message: kubectlErrorText(answer) });
  }
  return out;
}
