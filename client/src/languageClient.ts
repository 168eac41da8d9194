// Starts the language server (dist/server.js) over IPC and restarts it when the cluster
// source changes, so the server's cluster view follows the user's choice. The client opens no
// cluster connection of its own.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { clusterSource } from './settings';

export interface LanguageClientHandle extends vscode.Disposable {
  /** Starts the server if it is not running. */
  start(): Promise<void>;
  /** Restarts with the current cluster settings. */
  restart(): Promise<void>;
  readonly client: LanguageClient | undefined;
}

export function languageClientHandle(context: vscode.ExtensionContext, emulatorStateDir: string, output: vscode.LogOutputChannel): LanguageClientHandle {
  let client: LanguageClient | undefined;
  let starting: Promise<void> | undefined;

  function initializationOptions(): unknown {
    const source = clusterSource();
    if (source.kind === 'kubeconfig') {
      return { cluster: { kubeconfig: source.kubeconfig || undefined, context: source.context || undefined } };
    }
    return { cluster: { emulator: { stateDir: emulatorStateDir } } };
  }

  async function start(): Promise<void> {
    if (client) return;
    // The client library is loaded on first need, not at activation.
    const { LanguageClient, TransportKind } = await import('vscode-languageclient/node');
    const module = context.asAbsolutePath('dist/server.js');
    const c = new LanguageClient(
      'kslLanguageServer',
      'Kube Service Lab',
      { run: { module, transport: TransportKind.ipc }, debug: { module, transport: TransportKind.ipc } },
      {
        documentSelector: [
          { scheme: 'file', language: 'yaml' },
          { scheme: 'untitled', language: 'yaml' },
        ],
        initializationOptions: initializationOptions(),
        outputChannel: output,
      },
    );
    await c.start();
    client = c;
  }

  return {
    get client() {
      return client;
    },
    start() {
      starting ??= start().finally(() => (starting = undefined));
      return starting;
    },
    async restart() {
      const c = client;
      client = undefined;
      await c?.stop();
      await this.start();
    },
    dispose() {
      void client?.stop();
      client = undefined;
    },
  };
}
