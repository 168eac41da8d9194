// A language server in its own process, driven over stdio as an editor drives it: a JSON-RPC
// connection on its stdin and stdout (vscode-languageserver-protocol, the library VS Code's
// client is built on), the initialize handshake, text document notifications, and every
// publishDiagnostics kept with the moment it arrived, so a benchmark can time "from this
// notification to those diagnostics". The server's `workspace/configuration` requests are
// answered from a settings object, as VS Code answers them from settings.json.

import { spawn } from 'node:child_process';
import {
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  InlayHintRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type Hover,
  type InlayHint,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type Range,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';
import { withDeadline } from './deadline';
import { readProcMemory, type ProcMemory } from './procStatus';
import type { Resources } from './resources';

export interface LspServerOptions {
  /** For messages: `kube-service-lab`, `yaml-language-server`. */
  name: string;
  /** Arguments to `node` (the script and its flags). */
  args: string[];
  cwd: string;
  initializationOptions?: unknown;
  /** Settings by section, for `workspace/configuration`; unknown sections answer null. */
  settings?: Record<string, unknown>;
}

export interface Published {
  /** performance.now() when the notification was read. */
  at: number;
  params: PublishDiagnosticsParams;
}

const STDERR_KEPT = 4000;
const STOP_TIMEOUT_MS = 5000;

/** What VS Code tells a server it can do, trimmed to what these benchmarks use. */
const CAPABILITIES: ClientCapabilities = {
  workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: false } },
  textDocument: {
    synchronization: { dynamicRegistration: false, didSave: false },
    publishDiagnostics: { relatedInformation: true, versionSupport: true },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    inlayHint: { dynamicRegistration: false },
  },
};

const ACKNOWLEDGED = [
  'client/registerCapability',
  'client/unregisterCapability',
  'window/workDoneProgress/create',
  'workspace/codeLens/refresh',
  'workspace/inlayHint/refresh',
  'workspace/semanticTokens/refresh',
  'workspace/diagnostic/refresh',
];

export class LspServerProcess {
  private readonly published: Published[] = [];
  private readonly waiters = new Set<() => void>();
  private stderrTail = '';
  private readonly logLines: string[] = [];
  private readonly logWaiters = new Set<() => void>();
  private exited: Promise<void>;
  private exitedYet = false;
  private versions = new Map<string, number>();

  private constructor(
    readonly name: string,
    readonly pid: number,
    readonly connection: ProtocolConnection,
    private readonly kill: () => void,
    exited: Promise<void>,
  ) {
    this.exited = exited.then(() => {
      this.exitedYet = true;
      for (const w of [...this.waiters]) w();
      for (const w of [...this.logWaiters]) w();
    });
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.published.push({ at: performance.now(), params });
      for (const w of [...this.waiters]) w();
    });
    connection.onNotification(LogMessageNotification.type, (p) => {
      this.logLines.push(p.message);
      if (this.logLines.length > 200) this.logLines.splice(0, this.logLines.length - 200);
      for (const w of [...this.logWaiters]) w();
    });
  }

  /** Spawns the server and completes the initialize handshake. */
  static async start(resources: Resources, opts: LspServerOptions): Promise<LspServerProcess> {
    const child = resources.child(spawn(process.execPath, opts.args, { cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] }));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const server = new LspServerProcess(opts.name, child.pid ?? -1, connection, () => child.kill('SIGKILL'), exited);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      server.stderrTail = (server.stderrTail + chunk).slice(-STDERR_KEPT);
    });
    const settings = opts.settings ?? {};
    connection.onRequest(ConfigurationRequest.type, (params) => params.items.map((item) => settings[item.section ?? ''] ?? null));
    // What else servers ask of an editor is acknowledged (anything unlisted gets "method not found").
    for (const method of ACKNOWLEDGED) connection.onRequest(method, () => null);
    connection.listen();
    resources.defer(() => server.stop());
    await withDeadline(
      Promise.race([
        connection.sendRequest(InitializeRequest.type, {
          processId: process.pid,
          rootUri: null,
          workspaceFolders: null,
          capabilities: CAPABILITIES,
          initializationOptions: opts.initializationOptions,
        }),
        exited.then(() => {
          throw new Error(`${opts.name} exited during initialize: ${server.stderrTail}`);
        }),
      ]),
      30_000,
      `initializing ${opts.name}`,
    );
    await connection.sendNotification(InitializedNotification.type, {});
    if (opts.settings) await connection.sendNotification(DidChangeConfigurationNotification.type, { settings: opts.settings });
    return server;
  }

  memory(): ProcMemory | undefined {
    return readProcMemory(this.pid);
  }

  get stderr(): string {
    return this.stderrTail;
  }

  /** Resolves once the server logged a line that satisfies `test` (lines logged before count too). */
  waitForLog(test: (line: string) => boolean, ms: number, what: string): Promise<string> {
    return this.waitUntil(() => this.logLines.find(test), this.logWaiters, ms, what);
  }

  open(uri: string, text: string): { version: number; sentAt: number } {
    const version = 1;
    this.versions.set(uri, version);
    const sentAt = performance.now();
    void this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version, text } });
    return { version, sentAt };
  }

  change(uri: string, changes: TextDocumentContentChangeEvent[]): { version: number; sentAt: number } {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    const sentAt = performance.now();
    void this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: changes });
    return { version, sentAt };
  }

  close(uri: string): void {
    this.versions.delete(uri);
    void this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /**
   * The first publish for `uri` that arrived after `since` and satisfies `accept`. A server that
   * publishes with a version (LSP 3.15) is held to `version`; one that does not is taken at
   * its word that a publish after the change is about the change.
   */
  diagnosticsAfter(uri: string, since: number, version: number, ms: number, accept: (p: PublishDiagnosticsParams) => boolean = () => true): Promise<Published> {
    const find = (): Published | undefined =>
      this.published.find((p) => p.at >= since && p.params.uri === uri && (p.params.version === undefined || p.params.version === version) && accept(p.params));
    return this.waitUntil(find, this.waiters, ms, `${this.name}: diagnostics for ${uri} v${version}`);
  }

  /** Forgets the publishes received so far (they are kept only to be waited for). */
  forgetPublished(): void {
    this.published.length = 0;
  }

  async hover(uri: string, line: number, character: number): Promise<{ ms: number; result: Hover | null }> {
    const start = performance.now();
    const result = await this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character } });
    return { ms: performance.now() - start, result };
  }

  async inlayHints(uri: string, range: Range): Promise<{ ms: number; result: InlayHint[] | null }> {
    const start = performance.now();
    const result = await this.connection.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range });
    return { ms: performance.now() - start, result };
  }

  /** shutdown and exit, as a client does; SIGKILL when the server lingers. */
  async stop(): Promise<void> {
    if (this.exitedYet) return;
    try {
      await withDeadline(this.connection.sendRequest(ShutdownRequest.type), STOP_TIMEOUT_MS, `${this.name} shutdown`);
      await this.connection.sendNotification(ExitNotification.type);
      await withDeadline(this.exited, STOP_TIMEOUT_MS, `${this.name} exit`);
    } catch {
      this.kill();
      await this.exited;
    } finally {
      this.connection.dispose();
    }
  }

  private waitUntil<T>(find: () => T | undefined, waiters: Set<() => void>, ms: number, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const test = (): void => {
        const found = find();
        if (found !== undefined) {
          done();
          resolve(found);
        } else if (this.exitedYet) {
          done();
          reject(new Error(`${what}: the server exited; its stderr ends with: ${this.stderrTail.slice(-500)}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`${what}: nothing within ${ms} ms`));
      }, ms);
      const done = (): void => {
        clearTimeout(timer);
        waiters.delete(test);
      };
      waiters.add(test);
      test();
    });
  }
}
