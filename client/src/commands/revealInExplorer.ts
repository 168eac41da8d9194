// Kube Service Lab: Reveal in Cluster Explorer. The status code lens above an applied Service,
// Deployment or pod runs it with `{ namespace, kind, name }` (protocol.ts,
// RevealInExplorerArgs): the explorer opens and selects that object's node.

import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { UserError } from '../userError';
import { CLUSTER_EXPLORER_VIEW } from '../views/clusterTree';
import type { ObjectTarget } from '../views/clusterTreeModel';

/** How long to wait for a snapshot that has the object, e.g. right after it was applied. */
const WAIT_MS = 3000;

function targetOf(arg: unknown): ObjectTarget | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const { namespace, kind, name } = arg as Record<string, unknown>;
  return typeof namespace === 'string' && typeof kind === 'string' && typeof name === 'string' ? { namespace, kind, name } : undefined;
}

export function revealInExplorer(ctx: Ctx) {
  return async (...args: unknown[]): Promise<void> => {
    const target = targetOf(args[0]);
    if (!target) throw new UserError('Reveal in Cluster Explorer needs a Service, Deployment or pod: run it from the code lens above one.', []);
    await vscode.commands.executeCommand(`${CLUSTER_EXPLORER_VIEW}.focus`);
    if (await ctx.explorer.reveal(target)) return;
    // The tree may not have caught up with the cluster yet: read it once more.
    const deadline = Date.now() + WAIT_MS;
    ctx.cluster.refreshSoon();
    while (Date.now() < deadline) {
      await ctx.cluster.nextChangeOr(deadline - Date.now());
      if (await ctx.explorer.reveal(target)) return;
    }
    throw new UserError(`The Cluster Explorer does not show ${target.kind.toLowerCase()}/${target.name} in namespace ${target.namespace}; it may have been deleted.`, []);
  };
}
