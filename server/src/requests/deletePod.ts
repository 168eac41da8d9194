// "Delete Pod" from the cluster tree, through the cluster view's connection. The pod's
// controller replaces it; the view's watch shows the new one.

import type { ClusterView } from '../cluster/clusterView';
import { apiCall } from './apiCall';
import { clusterTarget } from './clusterAccess';
import { kubectlErrorText } from './documentObjects';
import { paramsObject, requiredString } from './requestParams';
import { UserError } from './userError';

export async function deletePod(view: ClusterView, params: unknown): Promise<void> {
  const p = paramsObject(params);
  const namespace = requiredString(p['namespace'], 'namespace');
  const name = requiredString(p['name'], 'pod');
  const target = clusterTarget(view, 'Deleting a pod');
  const answer = await apiCall(target.connection, 'DELETE', `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}`);
  if (answer.status !== 200 && answer.status !== 202) throw new UserError(kubectlErrorText(answer));
}
