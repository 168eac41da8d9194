// "Delete from emulator": each document's object deleted through the cluster view's
// connection, in file order, as `kubectl delete -f` does; an object that is already gone is
// "not found" rather than a failure of the whole request.

import type { ClusterView } from '../cluster/clusterView';
import type { ManifestFile } from '../documents';
import type { DocumentResult } from '../protocol';
import { apiCall } from './apiCall';
import { noMatchMessage, objectPath, resourceFor } from './apiResources';
import { clusterTarget } from './clusterAccess';
import { eachSubject, kubectlErrorText } from './documentObjects';

export async function deleteDocuments(file: ManifestFile, indexes: readonly number[], view: ClusterView): Promise<DocumentResult[]> {
  const target = clusterTarget(view, 'Delete');
  return eachSubject(file, indexes, async (subject) => {
    const info = await resourceFor(target.connection, subject.apiVersion, subject.kind);
    if (!info) return { ...subject.result, outcome: 'failed', message: noMatchMessage(subject.apiVersion, subject.kind) };
    const namespace = info.namespaced ? subject.object.metadata.namespace || target.defaultNamespace : undefined;
    const result: DocumentResult = namespace ? { ...subject.result, namespace } : subject.result;
    const answer = await apiCall(target.connection, 'DELETE', objectPath(info, namespace, subject.name));
    if (answer.status === 200 || answer.status === 202) return { ...result, outcome: 'deleted' };
    if (answer.status === 404) return { ...result, outcome: 'not found' };
    return { ...result, outcome: 'failed', message: kubectlErrorText(answer) };
  });
}
