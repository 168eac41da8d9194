// Kube Service Lab: Call Service. The in-cluster curl: an HTTP request from a pod, through
// cluster DNS and kube-proxy's rules, reporting which pod answered and the route it took.

import * as vscode from 'vscode';
import { CallServiceRequest } from '../../../server/src/protocol';
import type { Ctx } from '../ctx';
import { Cancelled } from '../userError';
import { callUrl, defaultCallUrl, urlProblem } from './inputChecks';
import { notifyWithOutput } from './notify';
import { callReport } from './resultText';
import { preferredService, serviceOfNode, treeNodeArg } from './targets';

async function defaults(ctx: Ctx, args: readonly unknown[]): Promise<{ url: string; namespace: string }> {
  const data = treeNodeArg(args)?.data;
  const service = serviceOfNode(data);
  if (service) return { url: defaultCallUrl(service, data?.kind === 'port' || data?.kind === 'endpoint' ? data.port : undefined), namespace: service.namespace };
  const preferred = await preferredService(ctx);
  if (!preferred) return { url: 'http://', namespace: 'default' };
  const known = ctx.cluster.current?.services.find((s) => s.namespace === preferred.namespace && s.name === preferred.name);
  return { url: known ? defaultCallUrl(known) : `http://${preferred.name}`, namespace: preferred.namespace };
}

export function callService(ctx: Ctx) {
  return async (...args: unknown[]): Promise<void> => {
    ctx.cluster.requireEmulator('Call Service');
    const { url, namespace } = await defaults(ctx, args);
    const input = await vscode.window.showInputBox({
      title: 'Call a Service from a pod',
      prompt: `An HTTP GET from a pod in namespace "${namespace}", by name as in the lesson's wget http://web`,
      value: url,
      valueSelection: [url.length, url.length],
      validateInput: urlProblem,
    });
    if (input === undefined) throw new Cancelled();
    const target = callUrl(input);
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Calling ${target}` }, (_p, token) =>
      ctx.cluster.request(CallServiceRequest, { url: target, namespace }, token),
    );
    const report = callReport(target, namespace, result);
    for (const line of report.lines) ctx.output.info(line);
    notifyWithOutput(ctx, result.error || result.status >= 400 ? 'warning' : 'info', report.summary);
  };
}
