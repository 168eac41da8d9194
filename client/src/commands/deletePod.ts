// Kube Service Lab: Delete Pod. Like `kubectl delete pod`: its ReplicaSet creates a
// replacement with a new IP, and the Service's endpoints follow, which the tree shows.

import * as vscode from 'vscode';
import { DeletePodRequest } from '../../../server/src/protocol';
import type { Ctx } from '../ctx';
import { clusterSource } from '../settings';
import { Cancelled } from '../userError';
import { pickPod, treeNodeArg, type ObjectKey } from './targets';

async function target(ctx: Ctx, args: readonly unknown[]): Promise<ObjectKey> {
  const data = treeNodeArg(args)?.data;
  if (data?.kind === 'pod') return { namespace: data.pod.namespace, name: data.pod.name };
  if (data?.kind === 'endpoint' && data.endpoint.pod) return { namespace: data.service.namespace, name: data.endpoint.pod };
  const pod = await pickPod(ctx, 'Delete which pod?');
  return { namespace: pod.namespace, name: pod.name };
}

export function deletePod(ctx: Ctx) {
  return async (...args: unknown[]): Promise<void> => {
    const pod = await target(ctx, args);
    const source = clusterSource();
    if (source.kind === 'kubeconfig') {
      // On a real cluster a deleted pod may be someone's workload: ask first.
      const answer = await vscode.window.showWarningMessage(`Delete pod ${pod.name} in namespace ${pod.namespace} of the kubeconfig context ${source.context || '(current)'}?`, { modal: true }, 'Delete');
      if (answer !== 'Delete') throw new Cancelled();
    }
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Deleting pod ${pod.name}` }, (_p, token) => ctx.cluster.request(DeletePodRequest, pod, token));
    vscode.window.setStatusBarMessage(`$(trash) pod "${pod.name}" deleted; watch its replacement appear in the Cluster Explorer`, 5000);
  };
}
