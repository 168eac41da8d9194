// Starts the language server (dist/server.js) over IPC and restarts it when the cluster
// source changes, so the server's cluster view follows the user's choice. The client opens no
// cluster connection of its own.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { defaultKubeconfigPath } from '../../server/src/cluster/clusterOptions';
import { clusterSource } from './settings';

export interface LanguageClientHandle extends vscode.Disposable {
  /** Starts the server if it is not running. */
  start(): Promise<void>;
  /** Restarts with the current cluster settings (done by itself when they change). */
  restart(): Promise<void>;
  readonly client: LanguageClient | undefined;
  /** Fires with the new client after it started, and with undefined after it stopped. */
  readonly onDidChangeClient: vscode.Event<LanguageClient | undefined>;
}

/** How long the cluster settings must stay unchanged before the server restarts with them. */
const SETTINGS_SETTLE_MS = 300;

export function languageClientHandle(context: vscode.ExtensionContext, emulatorStateDir: string, output: vscode.LogOutputChannel): LanguageClientHandle {
  let client: LanguageClient | undefined;
  let starting: Promise<void> | undefined;
  let restarting: Promise<void> = Promise.resolve();
  const changed = new vscode.EventEmitter<LanguageClient | undefined>();

  function initializationOptions(): unknown {
    const source = clusterSource();
    if (source.kind === 'kubeconfig') {
      // No path set means the kubeconfig kubectl would read, not the emulator.
      return { cluster: { kubeconfig: source.kubeconfig || defaultKubeconfigPath(), context: source.context || undefined } };
    }
    return { cluster: { emulator: { stateDir: emulatorStateDir } } };
  }

  /** The options the running (or starting) server was given, to see whether the settings moved on since. */
  let startedWith = '';

  async function start(): Promise<void> {
    if (client) return;
    // The client library is loaded on first need, not at activation.
    const { LanguageClient, TransportKind } = await import('vscode-languageclient/node');
    const module = context.asAbsolutePath('dist/server.js');
    const options = initializationOptions();
    startedWith = JSON.stringify(options);
    const c = new LanguageClient(
      'kslLanguageServer',
      'Kube Service Lab',
      { run: { module, transport: TransportKind.ipc }, debug: { module, transport: TransportKind.ipc } },
      {
        documentSelector: [
          { scheme: 'file', language: 'yaml' },
          { scheme: 'untitled', language: 'yaml' },
        ],
        initializationOptions: options,
        outputChannel: output,
      },
    );
    await c.start();
    client = c;
    changed.fire(c);
    // The settings may have changed while the server started (the cluster picker writes
    // several in a row, and each write is a round trip to the workbench): follow them.
    if (JSON.stringify(initializationOptions()) !== startedWith) scheduleRestart();
  }

  const handle: LanguageClientHandle = {
    get client() {
      return client;
    },
    onDidChangeClient: changed.event,
    start() {
      starting ??= start().finally(() => (starting = undefined));
      return starting;
    },
    restart() {
      // Restarts run one after another, each after any start in flight, so two never race to
      // create a client.
      restarting = restarting
        .catch(() => undefined)
        .then(async () => {
          await starting?.catch(() => undefined);
          const c = client;
          client = undefined;
          if (c) changed.fire(undefined);
          await c?.stop();
          await handle.start();
        });
      return restarting;
    },
    dispose() {
      clearTimeout(settingsTimer);
      settingsSub.dispose();
      void client?.stop();
      client = undefined;
      changed.dispose();
    },
  };

  // A running server follows the cluster settings. The cluster picker writes several settings
  // in a row; one restart follows once they settle.
  let settingsTimer: ReturnType<typeof setTimeout> | undefined;
  function scheduleRestart(): void {
    clearTimeout(settingsTimer);
    settingsTimer = setTimeout(() => {
      if (JSON.stringify(initializationOptions()) === startedWith) return;
      handle.restart().catch((err: Error) => output.error(`language server restart: ${err.message}`));
    }, SETTINGS_SETTLE_MS);
  }
  // A server that was never started stays unstarted; one that runs, starts or restarts follows.
  const settingsSub = vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('ksl.cluster') && (client || starting || startedWith)) scheduleRestart();
  });
  return handle;
}
