// "Scale Deployment" from the cluster tree: a merge patch of the Deployment's scale
// subresource, as `kubectl scale` sends it, through the cluster view's connection.

import type { ClusterView } from '../cluster/clusterView';
import { apiCall } from './apiCall';
import { clusterTarget } from './clusterAccess';
import { kubectlErrorText } from './documentObjects';
import { paramsObject, requiredString } from './requestParams';
import { UserError } from './userError';

export async function scaleDeployment(view: ClusterView, params: unknown): Promise<void> {
  const p = paramsObject(params);
  const namespace = requiredString(p['namespace'], 'namespace');
  const name = requiredString(p['name'], 'Deployment');
  const replicas = p['replicas'];
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw new UserError(`replicas must be a whole number of 0 or more, not ${JSON.stringify(replicas)}`);
  }
  const target = clusterTarget(view, 'Scaling a Deployment');
  const path = `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/deployments/${encodeURIComponent(name)}/scale`;
  const answer = await apiCall(target.connection, 'PATCH', path, { contentType: 'application/merge-patch+json', text: JSON.stringify({ spec: { replicas } }) });
  if (answer.status !== 200) throw new UserError(kubectlErrorText(answer));
}
