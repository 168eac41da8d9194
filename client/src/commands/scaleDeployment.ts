// Kube Service Lab: Scale Deployment. Like `kubectl scale deployment web --replicas=N`; the
// tree shows the pods come and go.

import * as vscode from 'vscode';
import { ScaleDeploymentRequest } from '../../../server/src/protocol';
import type { Ctx } from '../ctx';
import { Cancelled } from '../userError';
import { replicasProblem } from './inputChecks';
import { pickDeployment, treeNodeArg } from './targets';

export function scaleDeployment(ctx: Ctx) {
  return async (...args: unknown[]): Promise<void> => {
    const node = treeNodeArg(args);
    const deployment = node?.data.kind === 'deployment' ? node.data.deployment : await pickDeployment(ctx, 'Scale which Deployment?');
    const answer = await vscode.window.showInputBox({
      title: `Scale deployment.apps/${deployment.name}`,
      prompt: `Replicas (now ${deployment.replicas}, ${deployment.readyReplicas} ready)`,
      value: String(deployment.replicas),
      validateInput: replicasProblem,
    });
    if (answer === undefined) throw new Cancelled();
    const replicas = Number(answer.trim());
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Scaling ${deployment.name}` }, (_p, token) =>
      ctx.cluster.request(ScaleDeploymentRequest, { namespace: deployment.namespace, name: deployment.name, replicas }, token),
    );
    vscode.window.setStatusBarMessage(`$(check) deployment.apps/${deployment.name} scaled to ${replicas}`, 5000);
  };
}
