// The language server as any LSP client drives it: `node dist/server.js --stdio` spawned, a
// JSON-RPC connection over its stdin and stdout, the initialize handshake, and a clean shutdown.
// Tests register their notification and request handlers on `connection` before `initialize`,
// so nothing the server sends during the handshake is missed.

import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  createProtocolConnection,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type Diagnostic,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver/node';

export const SERVER_PATH = join(import.meta.dirname, '../../dist/server.js');

/** How long `close` waits for the server to exit after `exit` before it kills the process. */
const EXIT_GRACE_MS = 3000;

export class LspClient {
  private errors = '';

  private constructor(
    private readonly child: ChildProcess,
    readonly connection: ProtocolConnection,
  ) {
    child.stderr!.on('data', (chunk: Buffer) => (this.errors += chunk.toString()));
  }

  /** Starts the built server; the connection does not listen until `initialize`. */
  static spawn(serverPath = SERVER_PATH): LspClient {
    assert.ok(existsSync(serverPath), `${serverPath} is missing: run "node scripts/build.mjs" first (npm test does)`);
    const child = spawn(process.execPath, [serverPath, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    return new LspClient(child, createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!)));
  }

  /** What the server has written to stderr so far, for failure messages. */
  get stderr(): string {
    return this.errors;
  }

  /** Listens, sends `initialize` with these capabilities and options, then `initialized`. */
  async initialize(params: { capabilities?: ClientCapabilities; initializationOptions: unknown }): Promise<InitializeResult> {
    this.connection.listen();
    const result = await this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      capabilities: params.capabilities ?? {},
      workspaceFolders: null,
      initializationOptions: params.initializationOptions,
    });
    await this.connection.sendNotification(InitializedNotification.type, {});
    return result;
  }

  /** Shuts the server down as a client does and waits for it to exit, killing it if it lingers. */
  async close(): Promise<void> {
    await this.connection.sendRequest(ShutdownRequest.type).catch(() => undefined);
    await this.connection.sendNotification(ExitNotification.type).catch(() => undefined);
    this.connection.dispose();
    const child = this.child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const kill = setTimeout(() => child.kill(), EXIT_GRACE_MS);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
    });
  }
}

/** The diagnostics the server last published for each document, and a wait for ones that satisfy a check. */
export class PublishedDiagnostics {
  private readonly latest = new Map<string, PublishDiagnosticsParams>();
  private readonly waiters = new Set<() => void>();

  /** Collects from `client`; create it before `initialize`. */
  constructor(private readonly client: LspClient) {
    client.connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.latest.set(p.uri, p);
      for (const w of [...this.waiters]) w();
    });
  }

  /** Resolves with the diagnostics of `uri` once a publish satisfies `check`; fails after `ms`. */
  waitFor(uri: string, check: (d: Diagnostic[]) => boolean, what: string, ms = 15_000): Promise<Diagnostic[]> {
    return new Promise((resolve, reject) => {
      const test = (): void => {
        const p = this.latest.get(uri);
        if (!p || !check(p.diagnostics)) return;
        clearTimeout(timer);
        this.waiters.delete(test);
        resolve(p.diagnostics);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(test);
        const seen = JSON.stringify(this.latest.get(uri)?.diagnostics.map((d) => [d.code, d.message]) ?? 'nothing');
        reject(new Error(`timed out waiting for ${what} on ${uri}; last published: ${seen}\nserver stderr: ${this.client.stderr}`));
      }, ms);
      this.waiters.add(test);
      test();
    });
  }
}
