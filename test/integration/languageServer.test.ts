// The language server as any LSP client sees it: `node dist/server.js --stdio` driven by a
// real JSON-RPC connection, pointed at an in-process emulator through its state dir. It checks
// the validation diagnostics (range, code, message), incremental edits, and the cluster-aware
// selector warning appearing and disappearing as the lesson's pods come and go.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  TextDocumentSyncKind,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver/node';
import { R } from '../../emulator/src/api/resources';
import type { Pod } from '../../emulator/src/api/types';
import { applyManifests } from '../../emulator/src/cli/applyManifests';
import { startEmulator, type Emulator } from '../../emulator/src/emulator';
import { untilStore } from './storeWait';

const serverPath = join(import.meta.dirname, '../../dist/server.js');

let emulator: Emulator;
let stateDir: string;
let server: ChildProcess;
let connection: ProtocolConnection;
let serverErrors = '';
const logLines: string[] = [];
const latest = new Map<string, PublishDiagnosticsParams>();
const waiters = new Set<() => void>();

/** Resolves with the diagnostics of `uri` once a publish satisfies `check`; fails after `ms`. */
function diagnosticsOf(uri: string, check: (d: Diagnostic[]) => boolean, what: string, ms = 15_000): Promise<Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const test = (): boolean => {
      const p = latest.get(uri);
      if (!p || !check(p.diagnostics)) return false;
      clearTimeout(timer);
      waiters.delete(waiter);
      resolve(p.diagnostics);
      return true;
    };
    const waiter = (): void => void test();
    const timer = setTimeout(() => {
      waiters.delete(waiter);
      const seen = JSON.stringify(latest.get(uri)?.diagnostics.map((d) => [d.code, d.message]) ?? 'nothing');
      reject(new Error(`timed out waiting for ${what} on ${uri}; last published: ${seen}\nserver stderr: ${serverErrors}`));
    }, ms);
    waiters.add(waiter);
    test();
  });
}

let version = 0;
function open(uri: string, text: string): void {
  void connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version: ++version, text } });
}

const hasCode = (code: string) => (d: Diagnostic[]) => d.some((x) => x.code === code);

before(async () => {
  assert.ok(existsSync(serverPath), `${serverPath} is missing: run "node scripts/build.mjs" first (npm test does)`);
  stateDir = mkdtempSync(join(tmpdir(), 'ksl-lsp-'));
  emulator = await startEmulator({ stateDir, podReadyDelayMs: 200, podTerminationDelayMs: 100, hostPorts: false, log: () => undefined });
  server = spawn(process.execPath, [serverPath, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  server.stderr!.on('data', (chunk: Buffer) => (serverErrors += chunk.toString()));
  connection = createProtocolConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
  connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
    latest.set(p.uri, p);
    for (const w of [...waiters]) w();
  });
  connection.onNotification(LogMessageNotification.type, (p) => {
    logLines.push(p.message);
  });
  connection.listen();
  const result = await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: null,
    capabilities: {},
    workspaceFolders: null,
    initializationOptions: { cluster: { emulator: { stateDir } } },
  });
  const sync = result.capabilities.textDocumentSync;
  assert.equal(typeof sync === 'object' ? sync.change : sync, TextDocumentSyncKind.Incremental);
  await connection.sendNotification(InitializedNotification.type, {});
});

after(async () => {
  if (connection) {
    await connection.sendRequest(ShutdownRequest.type).catch(() => undefined);
    await connection.sendNotification(ExitNotification.type).catch(() => undefined);
    connection.dispose();
  }
  if (server && server.exitCode === null) {
    await new Promise<void>((resolve) => {
      const kill = setTimeout(() => server.kill(), 3000);
      server.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
    });
  }
  await emulator?.stop();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

describe('validation diagnostics over stdio', () => {
  const badPort = 'file:///work/bad-port.yaml';
  const badPortText = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  selector:\n    app: api\n  ports:\n    - port: 70000\n      targetPort: 8080\n';

  it('puts an invalid port on its value, with the apiserver message and the field path as code', async () => {
    open(badPort, badPortText);
    const diags = await diagnosticsOf(badPort, hasCode('spec.ports[0].port'), 'the port error');
    const d = diags.find((x) => x.code === 'spec.ports[0].port')!;
    assert.deepEqual(d.range, { start: { line: 8, character: 12 }, end: { line: 8, character: 17 } });
    assert.equal(d.severity, 1);
    assert.equal(d.source, 'kube-service-lab');
    assert.equal(d.message, 'spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive');
  });

  it('clears the error after an incremental edit fixes the value', async () => {
    await connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: badPort, version: ++version },
      contentChanges: [{ range: { start: { line: 8, character: 12 }, end: { line: 8, character: 17 } }, rangeLength: 5, text: '80' }],
    });
    const diags = await diagnosticsOf(badPort, (d) => !hasCode('spec.ports[0].port')(d), 'the port error to go away');
    assert.equal(
      diags.filter((d) => d.severity === 1).length,
      0,
      JSON.stringify(diags),
    );
  });

  it('puts an unknown field on its key, with the strict decoding message', async () => {
    const uri = 'file:///work/unknown-field.yaml';
    open(uri, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web2\nspec:\n  ports:\n  - port: 80\n    tragetPort: 8080\n');
    const diags = await diagnosticsOf(uri, hasCode('spec.ports[0].tragetPort'), 'the unknown field');
    const d = diags.find((x) => x.code === 'spec.ports[0].tragetPort')!;
    assert.deepEqual(d.range, { start: { line: 7, character: 4 }, end: { line: 7, character: 14 } });
    assert.equal(d.message, 'strict decoding error: unknown field "spec.ports[0].tragetPort"');
  });

  it('says which cluster source it uses', () => {
    assert.ok(
      logLines.some((l) => l.includes('cluster') && l.includes('emulator')),
      `no log line names the emulator as the cluster source:\n${logLines.join('\n')}`,
    );
  });
});

describe('cluster-aware diagnostics follow the pods', () => {
  const uri = 'file:///work/service-clusterip.yaml';
  const selectorCode = 'ksl/selector-matches-no-pod';
  const webPods = (): Pod[] => (emulator.store.list(R.pods, 'default') as Pod[]).filter((p) => p.metadata.labels?.['app'] === 'web');

  it('warns on the selector while no pod matches it', async () => {
    open(uri, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: ClusterIP\n  selector:\n    app: web\n  ports:\n    - port: 80\n      targetPort: 80\n');
    const diags = await diagnosticsOf(uri, hasCode(selectorCode), 'the selector warning');
    const d = diags.find((x) => x.code === selectorCode)!;
    assert.equal(d.severity, 2);
    assert.equal(d.range.start.line, 7, 'on the selector entry');
  });

  it('drops the warning once the lesson\'s Deployment has pods', async () => {
    const outcomes = applyManifests(emulator.registry, join(import.meta.dirname, '../../examples/deployment-web.yaml'));
    assert.ok(outcomes.every((o) => o.ok), JSON.stringify(outcomes));
    await untilStore(emulator.store, () => webPods().length === 3, 'three web pods');
    await diagnosticsOf(uri, (d) => !hasCode(selectorCode)(d), 'the selector warning to go away');
  });

  it('warns again when the pods are gone', async () => {
    emulator.client.delete(R.deployments, 'default', 'web');
    await untilStore(emulator.store, () => webPods().length === 0, 'the web pods to be gone');
    await diagnosticsOf(uri, hasCode(selectorCode), 'the selector warning to come back');
  });
});
