// Kube Service Lab: Refresh. Reads the cluster again; the tree also refreshes by itself
// whenever the language server reports a change.

import type { Ctx } from '../ctx';

export function refreshClusterExplorer(ctx: Ctx) {
  return async (): Promise<void> => {
    await ctx.languageClient.start();
    ctx.cluster.refreshSoon();
  };
}
