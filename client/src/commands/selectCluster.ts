// Kube Service Lab: Select Cluster. The emulator, or any context of the user's kubeconfig; the
// language server (and with it the tree) follows the choice.

import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { defaultKubeconfigPath } from '../../../server/src/cluster/clusterOptions';
import type { Ctx } from '../ctx';
import { clusterSource } from '../settings';
import { UserError } from '../userError';

/** The context names of a kubeconfig file; none when it cannot be read or parsed. */
export async function kubeconfigContexts(text: string): Promise<string[]> {
  const { parse } = await import('yaml');
  try {
    const doc = parse(text) as { contexts?: { name?: unknown }[] } | null;
    return (doc?.contexts ?? []).map((c) => c?.name).filter((n): n is string => typeof n === 'string');
  } catch {
    return [];
  }
}

export function selectCluster(ctx: Ctx) {
  return async (): Promise<void> => {
    const path = defaultKubeconfigPath();
    let contexts: string[] = [];
    try {
      contexts = await kubeconfigContexts(readFileSync(path, 'utf8'));
    } catch {
      // No kubeconfig: only the emulator is offered.
    }
    const current = clusterSource();
    const items: (vscode.QuickPickItem & { context?: string })[] = [
      {
        label: '$(server-environment) Kube Service Lab emulator',
        description: `local, no containers${current.kind === 'emulator' ? ' · current' : ''}`,
        detail: ctx.emulator.stateDir,
      },
      ...contexts.map((c) => ({
        label: `$(cloud) ${c}`,
        description: `${path}${current.kind === 'kubeconfig' && current.context === c ? ' · current' : ''}`,
        context: c,
      })),
    ];
    const pick = await vscode.window.showQuickPick(items, { title: 'Kube Service Lab: which cluster should the editor use?' });
    if (!pick) return;
    const config = vscode.workspace.getConfiguration('ksl');
    // A window without a folder has no workspace settings to write to.
    const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    if (pick.context) {
      await config.update('cluster.source', 'kubeconfig', target);
      await config.update('cluster.kubeconfig', path, target);
      await config.update('cluster.context', pick.context, target);
    } else {
      await config.update('cluster.source', 'emulator', target);
      const state = await ctx.emulator.ensureRunning();
      if (state.kind !== 'running') throw new UserError(`The emulator did not start: ${state.kind === 'failed' ? state.message : 'it was stopped'}.`, ['Show Output', 'Start Emulator']);
    }
    // The language server restarts by itself when these settings change (languageClient.ts),
    // and the tree and the status bar follow it. It starts here if it was not running.
    await ctx.languageClient.start();
  };
}
