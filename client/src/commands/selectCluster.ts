// Kube Service Lab: Select Cluster. The emulator, or any context of the user's kubeconfig; the
// language server (and with it the tree) follows the choice.

import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';

function kubeconfigPath(): string {
  const env = process.env.KUBECONFIG?.split(process.platform === 'win32' ? ';' : ':')[0];
  return env || join(homedir(), '.kube', 'config');
}

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
    const path = kubeconfigPath();
    let contexts: string[] = [];
    try {
      contexts = await kubeconfigContexts(readFileSync(path, 'utf8'));
    } catch {
      // No kubeconfig: only the emulator is offered.
    }
    const items: (vscode.QuickPickItem & { context?: string })[] = [
      { label: '$(server-environment) Kube Service Lab emulator', description: 'local, no containers', detail: ctx.emulator.stateDir },
      ...contexts.map((c) => ({ label: `$(cloud) ${c}`, description: path, context: c })),
    ];
    const pick = await vscode.window.showQuickPick(items, { title: 'Kube Service Lab: which cluster should the editor use?' });
    if (!pick) return;
    const config = vscode.workspace.getConfiguration('ksl');
    if (pick.context) {
      await config.update('cluster.source', 'kubeconfig', vscode.ConfigurationTarget.Workspace);
      await config.update('cluster.kubeconfig', path, vscode.ConfigurationTarget.Workspace);
      await config.update('cluster.context', pick.context, vscode.ConfigurationTarget.Workspace);
    } else {
      await config.update('cluster.source', 'emulator', vscode.ConfigurationTarget.Workspace);
      await ctx.emulator.ensureRunning();
    }
    await ctx.languageClient.restart();
  };
}
