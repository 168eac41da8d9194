// The extension's entry point: wiring only. Activation does no cluster work: the language
// server starts when a YAML file is open or the Cluster Explorer is shown, the emulator on
// first need (or at once with `ksl.emulator.autoStart`).

import { join } from 'node:path';
import * as vscode from 'vscode';
import { activationTimingText, startActivationTiming, type ActivationTiming } from './activationTiming';
import { ClusterSession } from './clusterSession';
import { COMMANDS } from './commands';
import { guarded } from './commands/guarded';
import type { Ctx } from './ctx';
import { EmulatorProcess } from './emulatorProcess';
import { languageClientHandle, type LanguageClientHandle } from './languageClient';
import { clusterSource, emulatorSettings } from './settings';
import { createStatusBar } from './statusBar';
import { ClusterExplorer } from './views/clusterTree';
import { ProxyRulesDocuments } from './views/proxyRulesDocuments';
import { TrafficChart } from './views/trafficChart';

let active: { ctx: Ctx; disposables: vscode.Disposable[] } | undefined;

/**
 * What `activate` returns, reached through `vscode.extensions.getExtension(...).exports`: the
 * parts the VS Code test suite checks that the VS Code API does not expose. Nothing else
 * depends on it.
 */
export interface KslExtensionApi {
  /** The Cluster Explorer's data provider, as the view sees it. */
  readonly clusterTree: ClusterExplorer;
  /** The workspace's emulator process. */
  readonly emulator: EmulatorProcess;
  readonly languageClient: LanguageClientHandle;
  /** The traffic test's chart: what it shows is in a webview the API cannot read. */
  readonly trafficChart: TrafficChart;
  /** What activation cost the extension's own code (bench/extension.bench.ts reports it). */
  readonly activationTiming: ActivationTiming;
}

/** Context keys for `when` clauses: the view's welcome content and title buttons follow them. */
function setContextKeys(emulator: EmulatorProcess): void {
  void vscode.commands.executeCommand('setContext', 'ksl.emulatorState', emulator.state.kind);
  void vscode.commands.executeCommand('setContext', 'ksl.clusterSource', clusterSource().kind);
}

export function activate(context: vscode.ExtensionContext): KslExtensionApi {
  const timing = startActivationTiming();
  const disposables: vscode.Disposable[] = [];
  const own = <T extends vscode.Disposable>(d: T): T => {
    disposables.push(d);
    return d;
  };
  const output = own(vscode.window.createOutputChannel('Kube Service Lab', { log: true }));
  // One emulator per workspace: its state lives in the workspace's storage (or the global one
  // for a window without a folder).
  const storage = (context.storageUri ?? context.globalStorageUri).fsPath;
  const emulator = own(new EmulatorProcess(context.asAbsolutePath(join('dist', 'cli.js')), join(storage, 'emulator'), output));
  const languageClient = own(languageClientHandle(context, emulator.stateDir, output));
  const cluster = own(new ClusterSession(languageClient, emulator, output));

  const startServer = (): void => {
    languageClient.start().catch((err: Error) => {
      output.error(`language server: ${err.message}`);
      void vscode.window.showErrorMessage(`Kube Service Lab: the language server did not start: ${err.message}`, 'Show Output').then((c) => c && output.show());
    });
  };
  const explorer = own(new ClusterExplorer(cluster, startServer));
  const rules = own(new ProxyRulesDocuments(cluster));
  const trafficChart = own(new TrafficChart());
  const ctx: Ctx = { extension: context, output, emulator, languageClient, cluster, explorer, rules, trafficChart, own };

  for (const [id, factory] of Object.entries(COMMANDS)) own(vscode.commands.registerCommand(id, guarded(ctx, id, factory(ctx))));
  own(createStatusBar(cluster));

  setContextKeys(emulator);
  own(emulator.onDidChangeState(() => setContextKeys(emulator)));
  own(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('ksl.cluster')) setContextKeys(emulator);
    }),
  );

  if (vscode.workspace.textDocuments.some((d) => d.languageId === 'yaml')) startServer();
  else {
    const sub = own(
      vscode.workspace.onDidOpenTextDocument((d) => {
        if (d.languageId !== 'yaml') return;
        sub.dispose();
        startServer();
      }),
    );
  }
  if (emulatorSettings().autoStart) void emulator.ensureRunning();
  active = { ctx, disposables };
  const activationTiming = timing();
  output.info(activationTimingText(activationTiming));
  return { clusterTree: explorer, emulator, languageClient, trafficChart, activationTiming };
}

export async function deactivate(): Promise<void> {
  const current = active;
  active = undefined;
  if (!current) return;
  await current.ctx.emulator.stop();
  for (const d of current.disposables.reverse()) d.dispose();
}
