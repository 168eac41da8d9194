// The client's view of the cluster, all of it obtained from the language server (the client
// opens no cluster connection of its own). It keeps the last snapshot for the tree, the status
// bar and the pickers, refetches it when the server says the cluster changed, and sends the
// commands' requests after making sure there is something to answer them: the emulator running
// when it is the source, and the language server started.

import * as vscode from 'vscode';
import type { RequestParam, RequestType } from 'vscode-languageserver-protocol';
import { ClusterChangedNotification, ClusterSnapshotRequest, type ClusterSnapshot } from '../../server/src/protocol';
import type { EmulatorProcess } from './emulatorProcess';
import type { LanguageClientHandle } from './languageClient';
import { clusterSource } from './settings';
import type { StatusInput } from './statusText';
import { Cancelled, requestFailureMessage, UserError } from './userError';
import type { ExplorerState, FetchState } from './views/clusterTreeModel';

/** Change notifications come in bursts (a Deployment's pods); one fetch answers a burst. */
const REFRESH_DEBOUNCE_MS = 100;
/**
 * How long a command waits for the language server to reach the cluster, e.g. an emulator
 * that has just started: the server notices it within a poll and a first list.
 */
const CONNECT_WAIT_MS = 15_000;
const CONNECT_RECHECK_MS = 500;

export class ClusterSession implements vscode.Disposable {
  private snapshot: ClusterSnapshot | undefined;
  private snapshotJson = '';
  private fetchState: FetchState = { kind: 'idle' };
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight = false;
  private again = false;
  private notifications: vscode.Disposable | undefined;
  /** Whether the server last said it reaches the cluster (from a snapshot or a notification). */
  private connected = false;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Fires when anything the views show may have changed: the snapshot, the emulator's state, the source. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly languageClient: LanguageClientHandle,
    private readonly emulator: EmulatorProcess,
    private readonly output: vscode.LogOutputChannel,
  ) {
    this.subscriptions.push(
      languageClient.onDidChangeClient((client) => {
        this.notifications?.dispose();
        this.notifications = client
          ? vscode.Disposable.from(
              client.onNotification(ClusterChangedNotification, (e) => {
                this.connected = e.connected;
                this.refreshSoon();
              }),
              // After the library restarts a crashed server, the snapshot is read again.
              client.onDidChangeState(() => {
                if (client.isRunning()) this.refreshSoon();
              }),
            )
          : undefined;
        if (!client) this.forget();
        this.refreshSoon();
      }),
      emulator.onDidChangeState(() => {
        this.changed.fire();
        this.refreshSoon();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('ksl.cluster')) this.changed.fire();
      }),
    );
  }

  /** The last snapshot, when the last fetch succeeded. */
  get current(): ClusterSnapshot | undefined {
    return this.fetchState.kind === 'failed' ? undefined : this.snapshot;
  }

  explorerState(): ExplorerState {
    return { source: clusterSource().kind, emulator: this.emulator.state, fetch: this.fetchState, ...(this.snapshot ? { snapshot: this.snapshot } : {}) };
  }

  statusInput(): StatusInput {
    const snapshot = this.current;
    return { source: clusterSource(), emulator: this.emulator.state, ...(snapshot ? { snapshot } : {}) };
  }

  private forget(): void {
    this.connected = false;
    this.snapshot = undefined;
    this.snapshotJson = '';
    this.fetchState = { kind: 'idle' };
    this.changed.fire();
  }

  /** Asks for a new snapshot soon; calls within the debounce window are one fetch. */
  refreshSoon(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.fetch();
    }, REFRESH_DEBOUNCE_MS);
  }

  private async fetch(): Promise<void> {
    if (this.inFlight) {
      this.again = true;
      return;
    }
    const client = this.languageClient.client;
    if (!client) {
      if (this.fetchState.kind !== 'idle') this.forget();
      return;
    }
    this.inFlight = true;
    try {
      const snapshot = await client.sendRequest(ClusterSnapshotRequest, undefined);
      this.connected = snapshot.connected;
      const json = JSON.stringify(snapshot);
      const wasOk = this.fetchState.kind === 'ok';
      this.fetchState = { kind: 'ok' };
      // Only a real difference redraws, so the tree does not flicker on empty notifications.
      if (json !== this.snapshotJson || !wasOk) {
        this.snapshot = snapshot;
        this.snapshotJson = json;
        this.changed.fire();
      }
    } catch (err) {
      const message = requestFailureMessage(err, ClusterSnapshotRequest.method);
      this.output.warn(`cluster snapshot: ${message}`);
      this.fetchState = { kind: 'failed', message };
      this.changed.fire();
    } finally {
      this.inFlight = false;
    }
    if (this.again) {
      this.again = false;
      void this.fetch();
    }
  }

  /**
   * Makes sure requests can be answered: starts the emulator when it is the source and not
   * running, then the language server. Throws a UserError saying what did not start.
   */
  async connect(): Promise<NonNullable<LanguageClientHandle['client']>> {
    if (clusterSource().kind === 'emulator') {
      const state = await this.emulator.ensureRunning();
      if (state.kind !== 'running') {
        const why = state.kind === 'failed' ? state.message : 'it was stopped';
        throw new UserError(`The emulator is not running: ${why}.`, ['Start Emulator', 'Show Output']);
      }
    }
    try {
      await this.languageClient.start();
    } catch (err) {
      throw new UserError(`The language server did not start: ${err instanceof Error ? err.message : String(err)}.`);
    }
    const client = this.languageClient.client;
    if (!client) throw new UserError('The language server is not running; see the "Kube Service Lab" output.');
    if (!this.connected) await this.untilConnected(client);
    return client;
  }

  /** Waits until the server reaches its cluster; throws a UserError naming it after CONNECT_WAIT_MS. */
  private async untilConnected(client: NonNullable<LanguageClientHandle['client']>): Promise<void> {
    const deadline = Date.now() + CONNECT_WAIT_MS;
    for (;;) {
      let snapshot: ClusterSnapshot;
      try {
        snapshot = await client.sendRequest(ClusterSnapshotRequest, undefined);
      } catch (err) {
        throw new UserError(sentence(requestFailureMessage(err, ClusterSnapshotRequest.method)));
      }
      this.connected = snapshot.connected;
      if (snapshot.connected) return;
      if (Date.now() >= deadline) throw new UserError(`Cannot reach ${snapshot.source}; see the "Kube Service Lab" output.`, ['Show Output', 'Select Cluster']);
      await this.nextChangeOr(CONNECT_RECHECK_MS);
    }
  }

  /** Resolves at the next change the session sees, or after `ms`, whichever comes first. */
  nextChangeOr(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        sub.dispose();
        resolve();
      };
      const timer = setTimeout(done, ms);
      const sub = this.changed.event(done);
    });
  }

  /**
   * Sends a request only if the language server runs already, starting nothing: for
   * background refreshes, which must not start an emulator the user stopped.
   */
  async requestIfRunning<P, R>(type: RequestType<P, R, void>, params: RequestParam<P>): Promise<R | undefined> {
    const client = this.languageClient.client;
    if (!client) return undefined;
    try {
      return await client.sendRequest(type, params);
    } catch (err) {
      this.output.warn(`${type.method}: ${requestFailureMessage(err, type.method)}`);
      return undefined;
    }
  }

  /** Sends a custom request once connected. Failures become UserErrors with the server's message. */
  async request<P, R>(type: RequestType<P, R, void>, params: RequestParam<P>, token?: vscode.CancellationToken): Promise<R> {
    const client = await this.connect();
    if (token?.isCancellationRequested) throw new Cancelled();
    try {
      return await client.sendRequest(type, params, token);
    } catch (err) {
      if (token?.isCancellationRequested) throw new Cancelled();
      throw new UserError(sentence(requestFailureMessage(err, type.method)));
    }
  }

  /** A snapshot fetched now, for pickers; throws when the cluster cannot be reached. */
  async fresh(token?: vscode.CancellationToken): Promise<ClusterSnapshot> {
    const snapshot = await this.request(ClusterSnapshotRequest, undefined, token);
    if (!snapshot.connected) throw new UserError(`Cannot reach ${snapshot.source}; see the "Kube Service Lab" output.`, ['Show Output', 'Select Cluster']);
    return snapshot;
  }

  /** Throws unless the editor looks at the emulator: DNS, calls, traffic and rules exist only there. */
  requireEmulator(what: string): void {
    const source = clusterSource();
    if (source.kind === 'emulator') return;
    throw new UserError(`${what} works with the emulator only, and the editor looks at the kubeconfig context ${source.context || '(current)'}. Select the emulator to use it.`, ['Select Cluster']);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.notifications?.dispose();
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}

/** A message as a sentence: capitalized, ending with a full stop. */
function sentence(s: string): string {
  const text = s.charAt(0).toUpperCase() + s.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
