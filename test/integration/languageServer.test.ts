// The language server as any LSP client sees it: `node dist/server.js --stdio` driven by a
// real JSON-RPC connection, pointed at an in-process emulator through its state dir. It checks
// the validation diagnostics (range, code, message), incremental edits, and the cluster-aware
// selector warning appearing and disappearing as the lesson's pods come and go.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DidChangeTextDocumentNotification, DidOpenTextDocumentNotification, LogMessageNotification, TextDocumentSyncKind, type Diagnostic } from 'vscode-languageserver/node';
import { R } from '../../emulator/src/api/resources';
import type { Pod } from '../../emulator/src/api/types';
import { applyManifests } from '../../emulator/src/cli/applyManifests';
import { startEmulator, type Emulator } from '../../emulator/src/emulator';
import { LspClient, PublishedDiagnostics } from './lspClient';
import { untilStore } from './storeWait';

let emulator: Emulator;
let stateDir: string;
let client: LspClient;
let published: PublishedDiagnostics;
const logLines: string[] = [];

let version = 0;
function open(uri: string, text: string): void {
  void client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version: ++version, text } });
}

const hasCode = (code: string) => (d: Diagnostic[]) => d.some((x) => x.code === code);

before(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'ksl-lsp-'));
  emulator = await startEmulator({ stateDir, podReadyDelayMs: 200, podTerminationDelayMs: 100, hostPorts: false, log: () => undefined });
  client = LspClient.spawn();
  published = new PublishedDiagnostics(client);
  client.connection.onNotification(LogMessageNotification.type, (p) => {
    logLines.push(p.message);
  });
  const result = await client.initialize({ initializationOptions: { cluster: { emulator: { stateDir } } } });
  const sync = result.capabilities.textDocumentSync;
  assert.equal(typeof sync === 'object' ? sync.change : sync, TextDocumentSyncKind.Incremental);
});

after(async () => {
  await client?.close();
  await emulator?.stop();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

describe('validation diagnostics over stdio', () => {
  const badPort = 'file:///work/bad-port.yaml';
  const badPortText = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  selector:\n    app: api\n  ports:\n    - port: 70000\n      targetPort: 8080\n';

  it('puts an invalid port on its value, with the apiserver message and the field path as code', async () => {
    open(badPort, badPortText);
    const diags = await published.waitFor(badPort, hasCode('spec.ports[0].port'), 'the port error');
    const d = diags.find((x) => x.code === 'spec.ports[0].port')!;
    assert.deepEqual(d.range, { start: { line: 8, character: 12 }, end: { line: 8, character: 17 } });
    assert.equal(d.severity, 1);
    assert.equal(d.source, 'kube-service-lab');
    assert.equal(d.message, 'spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive');
  });

  it('clears the error after an incremental edit fixes the value', async () => {
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: badPort, version: ++version },
      contentChanges: [{ range: { start: { line: 8, character: 12 }, end: { line: 8, character: 17 } }, rangeLength: 5, text: '80' }],
    });
    const diags = await published.waitFor(badPort, (d) => !hasCode('spec.ports[0].port')(d), 'the port error to go away');
    assert.equal(
      diags.filter((d) => d.severity === 1).length,
      0,
      JSON.stringify(diags),
    );
  });

  it('puts an unknown field on its key, with the strict decoding message', async () => {
    const uri = 'file:///work/unknown-field.yaml';
    open(uri, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web2\nspec:\n  ports:\n  - port: 80\n    tragetPort: 8080\n');
    const diags = await published.waitFor(uri, hasCode('spec.ports[0].tragetPort'), 'the unknown field');
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
    const diags = await published.waitFor(uri, hasCode(selectorCode), 'the selector warning');
    const d = diags.find((x) => x.code === selectorCode)!;
    assert.equal(d.severity, 2);
    assert.equal(d.range.start.line, 7, 'on the selector entry');
  });

  it('drops the warning once the lesson\'s Deployment has pods', async () => {
    const outcomes = applyManifests(emulator.registry, join(import.meta.dirname, '../../examples/deployment-web.yaml'));
    assert.ok(outcomes.every((o) => o.ok), JSON.stringify(outcomes));
    await untilStore(emulator.store, () => webPods().length === 3, 'three web pods');
    await published.waitFor(uri, (d) => !hasCode(selectorCode)(d), 'the selector warning to go away');
  });

  it('warns again when the pods are gone', async () => {
    emulator.client.delete(R.deployments, 'default', 'web');
    await untilStore(emulator.store, () => webPods().length === 0, 'the web pods to be gone');
    await published.waitFor(uri, hasCode(selectorCode), 'the selector warning to come back');
  });
});
