// Kube Service Lab: Resolve Name. A DNS lookup as a pod makes it: the name goes through the
// pod's search path (`<ns>.svc.cluster.local svc.cluster.local cluster.local`) to the
// cluster DNS server, like `nslookup web` in the lesson's busybox pod.

import * as vscode from 'vscode';
import { ResolveNameRequest } from '../../../server/src/protocol';
import type { Ctx } from '../ctx';
import { emulatorSettings } from '../settings';
import { Cancelled } from '../userError';
import { dnsNameProblem } from './inputChecks';
import { notifyWithOutput } from './notify';
import { lookupQuery, lookupReport } from './resultText';
import { preferredService, serviceOfNode, treeNodeArg } from './targets';

async function defaults(ctx: Ctx, args: readonly unknown[]): Promise<{ name: string; namespace: string }> {
  const data = treeNodeArg(args)?.data;
  if (data?.kind === 'dnsName') return { name: data.name, namespace: data.service.namespace };
  const service = serviceOfNode(data) ?? (await preferredService(ctx));
  return service ? { name: service.name, namespace: service.namespace } : { name: '', namespace: 'default' };
}

export function resolveName(ctx: Ctx) {
  return async (...args: unknown[]): Promise<void> => {
    ctx.cluster.requireEmulator('Resolve Name');
    const { name, namespace } = await defaults(ctx, args);
    const domain = emulatorSettings().clusterDomain;
    const input = await vscode.window.showInputBox({
      title: 'Resolve a name from a pod',
      prompt: `As a pod in namespace "${namespace}" looks it up (search ${namespace}.svc.${domain} svc.${domain} ${domain}). An IP address gives its PTR name.`,
      value: name,
      validateInput: dnsNameProblem,
    });
    if (input === undefined) throw new Cancelled();
    const params = lookupQuery(input, namespace);
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Resolving ${params.name}` }, (_p, token) =>
      ctx.cluster.request(ResolveNameRequest, params, token),
    );
    const report = lookupReport(params, result);
    for (const line of report.lines) ctx.output.info(line);
    notifyWithOutput(ctx, result.answers.length ? 'info' : 'warning', report.summary);
  };
}
