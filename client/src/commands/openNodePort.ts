// Kube Service Lab: Open NodePort. Opens a NodePort (or a tunnelled LoadBalancer) in the
// browser at its address on this machine, as `minikube service web-nodeport --url` gives it.

import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { UserError } from '../userError';
import { pickHostPort, serviceOfNode, treeNodeArg } from './targets';

export function openNodePort(ctx: Ctx) {
  return async (...args: unknown[]): Promise<void> => {
    const data = treeNodeArg(args)?.data;
    let url: string;
    if (data?.kind === 'port') {
      if (!data.port.hostURL) throw new UserError(`Port ${data.port.port} of ${data.service.name} is not reachable from this machine: it has no NodePort.`, []);
      url = data.port.hostURL;
    } else {
      const service = serviceOfNode(data);
      const snapshot = service ? undefined : await ctx.cluster.fresh();
      const services = service ? [service] : (snapshot?.services ?? []);
      url = await pickHostPort(
        services.flatMap((s) => s.ports.map((port) => ({ service: s, port }))),
        'Open which port?',
      );
    }
    const opened = await vscode.env.openExternal(vscode.Uri.parse(url));
    if (!opened) throw new UserError(`VS Code could not open ${url}; open it in a browser yourself.`, []);
  };
}
