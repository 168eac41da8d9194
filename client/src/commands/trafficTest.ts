// Kube Service Lab: Traffic Test. N requests to a Service from a pod, then a chart of how
// kube-proxy spread them over the pods (`ksl traffic svc/web -n 300`).

import * as vscode from 'vscode';
import { TrafficTestRequest } from '../../../server/src/protocol';
import type { Ctx } from '../ctx';
import { Cancelled } from '../userError';
import { DEFAULT_REQUESTS, requestCountProblem } from './inputChecks';
import { pickService, serviceOfNode, treeNodeArg } from './targets';

export function trafficTest(ctx: Ctx) {
  return async (...args: unknown[]): Promise<void> => {
    ctx.cluster.requireEmulator('The traffic test');
    const data = treeNodeArg(args)?.data;
    const service =
      serviceOfNode(data) ??
      (await pickService(ctx, 'Send traffic to which Service?', (s) => s.type !== 'ExternalName' && s.clusterIP !== 'None' && s.ports.length > 0, 'The cluster has no Service with a ClusterIP and ports. Apply one first.'));
    const port = data?.kind === 'port' || data?.kind === 'endpoint' ? data.port : undefined;
    const answer = await vscode.window.showInputBox({
      title: `Traffic test: ${service.namespace}/${service.name}`,
      prompt: 'How many requests? Each is a new connection, balanced by kube-proxy’s rules.',
      value: String(DEFAULT_REQUESTS),
      validateInput: requestCountProblem,
    });
    if (answer === undefined) throw new Cancelled();
    const requests = Number(answer.trim());
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Kube Service Lab: sending ${requests} requests to ${service.name}`, cancellable: true },
      (_p, token) => ctx.cluster.request(TrafficTestRequest, { namespace: service.namespace, name: service.name, ...(port ? { port: port.name || port.port } : {}), requests }, token),
    );
    ctx.trafficChart.show(result, requests);
  };
}
