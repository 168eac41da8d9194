// The extension's entry point: wiring only. Activation does no cluster work: the language
// server starts when a YAML file is open, the emulator on first need (or at once with
// `ksl.emulator.autoStart`).

import { join } from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS } from './commands';
import type { Ctx } from './ctx';
import { EmulatorProcess } from './emulatorProcess';
import { languageClientHandle } from './languageClient';
import { emulatorSettings } from './settings';
import { createStatusBar } from './statusBar';

let active: { ctx: Ctx; disposables: vscode.Disposable[] } | undefined;

export function activate(context: vscode.ExtensionContext): void {
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
  const ctx: Ctx = { extension: context, output, emulator, languageClient, own };

  for (const [id, factory] of Object.entries(COMMANDS)) own(vscode.commands.registerCommand(id, factory(ctx)));
  own(createStatusBar(emulator.onDidChangeState, emulator.state));

  const startServer = (): void => {
    languageClient.start().catch((err: Error) => {
      output.appendLine(`language server: ${err.message}`);
      void vscode.window.showErrorMessage(`Kube Service Lab: the language server did not start: ${err.message}`);
    });
  };
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
}

export async function deactivate(): Promise<void> {
  const current = active;
  active = undefined;
  if (!current) return;
  await current.ctx.emulator.stop();
  for (const d of current.disposables.reverse()) d.dispose();
}
