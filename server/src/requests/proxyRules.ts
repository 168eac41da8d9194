// "Show proxy rules": the iptables-save text kube-proxy would write on the emulator's node,
// for every Service or for one, as `ksl rules` prints it. Emulator only.

import type { ClusterView } from '../cluster/clusterView';
import { RULES_PATH } from '../emulatorClient/kslPaths';
import { statusMessage } from '../emulatorClient/kubeStatus';
import { apiCall } from './apiCall';
import { emulatorTarget } from './clusterAccess';
import { paramsObject } from './requestParams';
import { UserError } from './userError';

export async function proxyRules(view: ClusterView, params: unknown): Promise<{ text: string }> {
  const p = params === undefined || params === null ? {} : paramsObject(params);
  const name = typeof p['name'] === 'string' && p['name'] ? p['name'] : undefined;
  const namespace = typeof p['namespace'] === 'string' && p['namespace'] ? p['namespace'] : 'default';
  const { target } = emulatorTarget(view, 'Proxy rules');
  let path = RULES_PATH;
  if (name) {
    // The rules of a Service that does not exist are empty; saying it does not exist helps more.
    const svc = await apiCall(target.connection, 'GET', `/api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(name)}`);
    if (svc.status !== 200) throw new UserError(statusMessage(svc.body));
    path += `?${new URLSearchParams({ namespace, name })}`;
  }
  const answer = await apiCall(target.connection, 'GET', path);
  if (answer.status !== 200) throw new UserError(`the emulator did not give its rules: ${statusMessage(answer.body)}`);
  return { text: answer.body };
}
