// The language server's editor features and custom requests as any LSP client sees them:
// `node dist/server.js --stdio` driven by a real JSON-RPC connection, pointed at an
// in-process emulator through its state dir. The lesson's manifests are applied through the
// server (created, then unchanged), and what the cluster made of them comes back in the
// hover, the inlay hints, the tree snapshot, the proxy rules, a call from a pod, a DNS
// lookup and a traffic test; deleting a pod through the server is announced as a change.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CodeLensRefreshRequest,
  CodeLensRequest,
  DidOpenTextDocumentNotification,
  HoverRequest,
  InlayHintRefreshRequest,
  InlayHintRequest,
  MarkupContent,
  type ProtocolConnection,
} from 'vscode-languageserver/node';
import { R } from '../../emulator/src/api/resources';
import type { Deployment, Pod, Service } from '../../emulator/src/api/types';
import { startEmulator, type Emulator } from '../../emulator/src/emulator';
import {
  ApplyDocumentsRequest,
  CallServiceRequest,
  ClusterChangedNotification,
  ClusterSnapshotRequest,
  DeleteDocumentsRequest,
  DeletePodRequest,
  ProxyRulesRequest,
  ResolveNameRequest,
  ScaleDeploymentRequest,
  TrafficTestRequest,
  type ClusterSnapshot,
} from '../../server/src/protocol';
import { LspClient } from './lspClient';
import { untilStore } from './storeWait';

const examples = join(import.meta.dirname, '../../examples');

let emulator: Emulator;
let stateDir: string;
let client: LspClient;
let connection: ProtocolConnection;
let refreshes = 0;
const changes: { source: string; connected: boolean }[] = [];
const changeWaiters = new Set<() => void>();

const uri = 'file:///work/lesson.yaml';
const lessonText = `${readFileSync(join(examples, 'deployment-web.yaml'), 'utf8')}---\n${readFileSync(join(examples, 'service-clusterip.yaml'), 'utf8')}`;
const lines = lessonText.split('\n');

/** The position of `text` on the first line at or after `fromLine` that holds it. */
function positionOf(text: string, fromLine: number): { line: number; character: number } {
  for (let line = fromLine; line < lines.length; line++) {
    const character = lines[line]!.indexOf(text);
    if (character >= 0) return { line, character };
  }
  throw new Error(`"${text}" is not in the lesson after line ${fromLine}`);
}

const serviceLine = lines.findIndex((l) => l === 'kind: Service');

/** Resolves after the next cluster-changed notification that satisfies `check` (from now on). */
function nextChange(check: (n: { source: string; connected: boolean }) => boolean, what: string, ms = 15_000): Promise<void> {
  const seen = changes.length;
  return new Promise((resolve, reject) => {
    const waiter = (): void => {
      if (!changes.slice(seen).some(check)) return;
      clearTimeout(timer);
      changeWaiters.delete(waiter);
      resolve();
    };
    const timer = setTimeout(() => {
      changeWaiters.delete(waiter);
      reject(new Error(`timed out waiting for ${what}; server stderr: ${client.stderr}`));
    }, ms);
    changeWaiters.add(waiter);
  });
}

/** Asks for snapshots after each change notification until one satisfies `check`. */
async function untilSnapshot(check: (s: ClusterSnapshot) => boolean, what: string, ms = 20_000): Promise<ClusterSnapshot> {
  const deadline = Date.now() + ms;
  for (;;) {
    const seen = changes.length;
    const snapshot = await connection.sendRequest(ClusterSnapshotRequest, undefined);
    if (check(snapshot)) return snapshot;
    if (Date.now() >= deadline) throw new Error(`timed out waiting for ${what}; last snapshot: ${JSON.stringify(snapshot).slice(0, 2000)}`);
    // A change announced while the snapshot was on its way is already reason to ask again.
    if (changes.length === seen) await nextChange(() => true, what, Math.max(1, deadline - Date.now()));
  }
}

const webPods = (): Pod[] => (emulator.store.list(R.pods, 'default') as Pod[]).filter((p) => p.metadata.labels?.['app'] === 'web' && !p.metadata.deletionTimestamp);

before(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'ksl-lsp-features-'));
  emulator = await startEmulator({ stateDir, podReadyDelayMs: 200, podTerminationDelayMs: 100, hostPorts: false, log: () => undefined });
  client = LspClient.spawn();
  connection = client.connection;
  connection.onNotification(ClusterChangedNotification, (n) => {
    changes.push(n);
    for (const w of [...changeWaiters]) w();
  });
  connection.onRequest(InlayHintRefreshRequest.method, () => {
    refreshes++;
    return null;
  });
  connection.onRequest(CodeLensRefreshRequest.method, () => null);
  const connected = nextChange((n) => n.connected, 'the server to connect to the emulator');
  await client.initialize({
    capabilities: { workspace: { inlayHint: { refreshSupport: true }, codeLens: { refreshSupport: true } } },
    initializationOptions: { cluster: { emulator: { stateDir } } },
  });
  await connected;
  await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version: 1, text: lessonText } });
});

after(async () => {
  await client?.close();
  await emulator?.stop();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

describe('the lesson applied through the language server', () => {
  it('creates the Deployment and the Service, then finds them unchanged', async () => {
    const first = await connection.sendRequest(ApplyDocumentsRequest, { uri });
    assert.deepEqual(
      first.map((r) => [r.document, r.kind, r.name, r.namespace, r.outcome, r.message]),
      [
        [0, 'Deployment', 'web', 'default', 'created', undefined],
        [1, 'Service', 'web', 'default', 'created', undefined],
      ],
    );
    const svc = emulator.store.get(R.services, 'default', 'web') as Service;
    assert.match(svc.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'] ?? '', /^\{"apiVersion":"v1","kind":"Service","metadata":\{"annotations":\{\},"name":"web","namespace":"default"\}/);
    await untilStore(emulator.store, () => webPods().length === 3, 'three web pods');
    const second = await connection.sendRequest(ApplyDocumentsRequest, { uri });
    assert.deepEqual(
      second.map((r) => r.outcome),
      ['unchanged', 'unchanged'],
    );
  });

  it('lists the Service with its three endpoints in the tree snapshot', async () => {
    const snapshot = await untilSnapshot((s) => s.services.some((x) => x.name === 'web' && x.ports[0]?.endpoints.filter((e) => e.ready).length === 3), 'three ready endpoints');
    const web = snapshot.services.find((s) => s.namespace === 'default' && s.name === 'web')!;
    const clusterIP = (emulator.store.get(R.services, 'default', 'web') as Service).spec.clusterIP;
    assert.equal(snapshot.emulator, true);
    assert.equal(snapshot.connected, true);
    assert.equal(web.clusterIP, clusterIP);
    assert.deepEqual(web.dnsNames, ['web', 'web.default', 'web.default.svc', 'web.default.svc.cluster.local']);
    assert.deepEqual(
      web.ports[0]!.endpoints.map((e) => e.ip).sort(),
      webPods()
        .map((p) => p.status!.podIP!)
        .sort(),
    );
    const deployment = snapshot.deployments.find((d) => d.name === 'web')!;
    assert.equal(deployment.pods.length, 3);
  });

  it('shows the three endpoint IPs in the hover on the Service name', async () => {
    const hover = await connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: positionOf('web', serviceLine + 2) });
    assert.ok(hover && MarkupContent.is(hover.contents), JSON.stringify(hover));
    const text = hover.contents.value;
    assert.match(text, /\*\*Service\*\* `default\/web` · ClusterIP/);
    for (const pod of webPods()) assert.ok(text.includes(`| ${pod.metadata.name} | ${pod.status!.podIP}:80 | yes | ksl |`), `${pod.metadata.name} is missing from:\n${text}`);
  });

  it('puts the ClusterIP after metadata.name as an inlay hint', async () => {
    const clusterIP = (emulator.store.get(R.services, 'default', 'web') as Service).spec.clusterIP;
    const hints = await connection.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: lines.length, character: 0 } } });
    const name = positionOf('web', serviceLine + 2);
    const hint = hints?.find((h) => h.position.line === name.line);
    assert.ok(hint, JSON.stringify(hints));
    assert.deepEqual(hint.position, { line: name.line, character: name.character + 3 });
    assert.equal(hint.label, `ClusterIP ${clusterIP}`);
    assert.ok(refreshes > 0, 'the client was asked to refresh its inlay hints after the cluster changed');
  });

  it('puts an apply lens and a status lens above the Service', async () => {
    const lenses = await connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } });
    // The lenses stand on the document's first key, `apiVersion`, the line above `kind`.
    const titles = (lenses ?? []).filter((l) => l.range.start.line === serviceLine - 1).map((l) => l.command?.title);
    const clusterIP = (emulator.store.get(R.services, 'default', 'web') as Service).spec.clusterIP;
    assert.deepEqual(titles, ['Apply to emulator', `3/3 endpoints ready · ClusterIP ${clusterIP}`]);
  });
});

describe('apply and delete outcomes for a file that is not open', () => {
  const other = 'file:///work/not-open.yaml';
  const text = [
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    '  name: api',
    'spec:',
    '  selector:',
    '    app: api',
    '  ports:',
    '    - port: 80',
    '---',
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    '  name: bad',
    'spec:',
    '  ports:',
    '    - port: 70000',
    '      targetPort: 80',
    '---',
    'kind: [',
    '',
  ].join('\n');

  it('creates, fails with the apiserver message as kubectl prints it, and skips what does not parse', async () => {
    const results = await connection.sendRequest(ApplyDocumentsRequest, { uri: other, text });
    assert.deepEqual(
      results.slice(0, 2).map((r) => [r.name, r.outcome, r.message]),
      [
        ['api', 'created', undefined],
        ['bad', 'failed', 'The Service "bad" is invalid: spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive'],
      ],
    );
    assert.equal(results[2]?.outcome, 'skipped');
    assert.match(results[2]?.message ?? '', /^the YAML does not parse \(line 20: /);
  });

  it('configures a changed Service, keeping what the server allocated', async () => {
    const clusterIP = (emulator.store.get(R.services, 'default', 'api') as Service).spec.clusterIP;
    const results = await connection.sendRequest(ApplyDocumentsRequest, { uri: other, text: text.replace('- port: 80', '- port: 8080'), documents: [0] });
    assert.deepEqual(
      results.map((r) => [r.name, r.outcome]),
      [['api', 'configured']],
    );
    const svc = emulator.store.get(R.services, 'default', 'api') as Service;
    assert.equal(svc.spec.ports?.[0]?.port, 8080);
    assert.equal(svc.spec.clusterIP, clusterIP);
  });

  it('deletes what exists and reports what does not', async () => {
    const results = await connection.sendRequest(DeleteDocumentsRequest, { uri: other, text, documents: [0, 1] });
    assert.deepEqual(
      results.map((r) => [r.name, r.outcome]),
      [
        ['api', 'deleted'],
        ['bad', 'not found'],
      ],
    );
    assert.equal(emulator.store.get(R.services, 'default', 'api'), undefined);
  });
});

describe('the emulator-only requests', () => {
  it('returns kube-proxy rules with the Service chain', async () => {
    const rules = await connection.sendRequest(ProxyRulesRequest, {});
    assert.match(rules.text, /KUBE-SVC-[A-Z0-9]{16}/);
    assert.match(rules.text, /default\/web/);
  });

  it('calls http://web from a pod and gets the nginx page from one of the web pods', async () => {
    const answer = await connection.sendRequest(CallServiceRequest, { url: 'http://web', namespace: 'default' });
    assert.equal(answer.error, undefined, JSON.stringify(answer));
    assert.equal(answer.status, 200);
    assert.match(answer.body, /Welcome to nginx!/);
    assert.ok(
      webPods().some((p) => p.metadata.name === answer.pod),
      `answered by ${answer.pod}`,
    );
    assert.ok(answer.route.some((l) => l.startsWith('Routed by kube-proxy: KUBE-SERVICES -> KUBE-SVC-')), JSON.stringify(answer.route));
  });

  it('resolves the short name through the pod search path', async () => {
    const clusterIP = (emulator.store.get(R.services, 'default', 'web') as Service).spec.clusterIP;
    const answer = await connection.sendRequest(ResolveNameRequest, { name: 'web', namespace: 'default' });
    assert.deepEqual(answer, { query: 'web.default.svc.cluster.local', rcode: 'NOERROR', answers: [`web.default.svc.cluster.local. 30 IN A ${clusterIP}`], tried: ['web.default.svc.cluster.local'] });
  });

  it('spreads a traffic test over the three pods', async () => {
    const result = await connection.sendRequest(TrafficTestRequest, { namespace: 'default', name: 'web', requests: 60 });
    assert.equal(result.total, 60);
    assert.deepEqual(result.failures, []);
    assert.equal(
      result.byPod.reduce((n, p) => n + p.count, 0),
      60,
    );
    assert.deepEqual(
      result.byPod.map((p) => p.pod).sort(),
      webPods()
        .map((p) => p.metadata.name)
        .sort(),
    );
  });
});

describe('acting on live objects', () => {
  it('announces a change after a pod is deleted through the server', async () => {
    const victim = webPods()[0]!.metadata.name!;
    const seen = changes.length;
    await connection.sendRequest(DeletePodRequest, { namespace: 'default', name: victim });
    const snapshot = await untilSnapshot(
      (s) => changes.length > seen && !s.pods.some((p) => p.name === victim && !p.terminating),
      'a cluster change showing the deleted pod terminating or gone',
    );
    assert.ok(changes.slice(seen).every((n) => n.connected && n.source.startsWith('emulator at https://127.0.0.1:')), JSON.stringify(changes.slice(seen)));
    assert.ok(snapshot.pods.some((p) => p.name !== victim && p.labels['app'] === 'web'));
  });

  it('scales the Deployment through its scale subresource', async () => {
    await connection.sendRequest(ScaleDeploymentRequest, { namespace: 'default', name: 'web', replicas: 2 });
    assert.equal((emulator.store.get(R.deployments, 'default', 'web') as Deployment).spec.replicas, 2);
  });

  it('answers a request for a missing pod with the apiserver message', async () => {
    await assert.rejects(connection.sendRequest(DeletePodRequest, { namespace: 'default', name: 'nope' }), /Error from server \(NotFound\): pods "nope" not found/);
  });
});
