// The language server's cluster view against a real emulator, through the same HTTP API and
// kubeconfig a real cluster would use: it finds the emulator through its state dir, sees the
// lesson's pods become ready, turns a selector typo into the warning the user reads, follows
// pods as they go and come back, falls back to the workspace when the emulator stops and
// returns when a new one starts on the same state dir. A kubeconfig context works the same.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { R } from '../../emulator/src/api/resources';
import type { Deployment } from '../../emulator/src/api/types';
import { startEmulator, type Emulator } from '../../emulator/src/emulator';
import { clusterFindings } from '../../server/src/cluster/clusterFindings';
import type { ClusterView } from '../../server/src/cluster/clusterView';
import { createClusterView } from '../../server/src/cluster/createClusterView';
import type { KubeObject, Pod } from '../../server/src/validation/kubeTypes';
import { untilView } from '../unit/server/cluster/viewWait';

let stateDir: string;
let emulator: Emulator;
let view: ClusterView;
const views: ClusterView[] = [];

function manifests(file: string): KubeObject[] {
  return parseAllDocuments(readFileSync(join('examples', file), 'utf8')).map((d) => d.toJS() as KubeObject);
}

const deploymentDoc = manifests('deployment-web.yaml')[0];
const webServiceDoc = manifests('service-clusterip.yaml')[0];
const nodePortDoc = manifests('service-nodeport.yaml')[0];
const typoDoc: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web-typo' }, spec: { selector: { app: 'wbe' }, ports: [{ port: 80 }] } };
const workspaceDocs = [deploymentDoc, webServiceDoc, typoDoc];

function start(): Promise<Emulator> {
  return startEmulator({ stateDir, podReadyDelayMs: 300, podTerminationDelayMs: 200, hostPorts: false, log: () => undefined });
}

function open(cluster: unknown): ClusterView {
  const v = createClusterView({ initializationOptions: { cluster }, workspaceFolders: [], log: () => undefined, workspaceObjects: () => workspaceDocs });
  views.push(v);
  return v;
}

function apply(obj: KubeObject, resource: string): void {
  emulator.client.create(resource, { ...obj, metadata: { ...obj.metadata, namespace: 'default' } });
}

const isReady = (p: Pod) => !p.metadata.deletionTimestamp && (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
const webPods = (v: ClusterView) => v.pods('default').filter((p) => p.metadata.labels?.['app'] === 'web');
const messages = (doc: KubeObject, v: ClusterView) => clusterFindings(doc, v).map((f) => f.message);

function scale(replicas: number): void {
  const dep = emulator.client.get<Deployment>(R.deployments, 'default', 'web')!;
  emulator.client.update(R.deployments, { ...dep, spec: { ...dep.spec, replicas } });
}

before(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'ksl-clusterview-'));
  emulator = await start();
  view = open({ emulator: { stateDir } });
});

after(async () => {
  for (const v of views) v.dispose();
  await emulator?.stop();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

test('the view finds the emulator through its state dir and connects', async () => {
  await untilView(view, () => view.connected, 'the connection to the emulator');
  assert.equal(view.describe(), `emulator at ${emulator.url}`);
  assert.deepEqual(view.source, { kind: 'emulator', stateDir, url: emulator.url });
  assert.ok(view.namespaces().includes('kube-system'), view.namespaces().join());
  assert.ok(view.service('default', 'kubernetes'), 'the bootstrap Service is in the cache');
});

test('the cache sees the Deployment’s three pods become ready', async () => {
  apply(deploymentDoc, R.deployments);
  apply(webServiceDoc, R.services);
  apply(nodePortDoc, R.services);
  await untilView(view, () => webPods(view).filter(isReady).length === 3, 'three ready web pods');
  await untilView(view, () => view.endpointSlices('default', 'web').length > 0, 'the EndpointSlice of web');
  assert.equal(view.deployments('default')[0]?.metadata.name, 'web');
});

test('a selector typo gets the warning that names the labels that exist', () => {
  assert.deepEqual(messages(typoDoc, view), ['no pod has app=wbe; 3 pods have app=web']);
  assert.deepEqual(messages(webServiceDoc, view), [], 'the lesson’s own Service is fine');
  const clash = { ...nodePortDoc, metadata: { name: 'web-nodeport-2' } };
  assert.deepEqual(messages(clash, view), [
    'spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated (to Service default/web-nodeport)',
  ]);
});

test('findings follow the pods as they go and come back', async () => {
  const seen = new Set<string>();
  const record = view.onDidChange(() => {
    for (const m of messages(webServiceDoc, view)) seen.add(m.replace(/: .*$/, ''));
  });
  try {
    scale(0);
    await untilView(view, () => messages(webServiceDoc, view).join() === 'no pod has app=web; namespace default has no pods', 'the selector warning to appear');
    assert.ok(seen.has('3 pods match app=web, but none is ready'), `terminating pods were seen as unready: ${[...seen].join(' | ')}`);
    assert.deepEqual(messages(typoDoc, view), ['no pod has app=wbe; namespace default has no pods']);
    scale(3);
    await untilView(view, () => messages(webServiceDoc, view).length === 0, 'the selector warning to go away');
    assert.equal(webPods(view).filter(isReady).length, 3);
    assert.deepEqual(messages(typoDoc, view), ['no pod has app=wbe; 3 pods have app=web']);
  } finally {
    record();
  }
});

test('stopping the emulator falls back to the workspace; a new one on the same state dir switches back', async () => {
  await emulator.stop();
  await untilView(view, () => view.describe() === 'workspace pod templates (the emulator is not running)', 'the fallback to the workspace');
  assert.equal(view.connected, false);
  assert.deepEqual(view.source, { kind: 'workspace' });
  assert.deepEqual(messages(typoDoc, view), ['no pod template in the workspace has app=wbe; 1 Deployment template has app=web']);

  emulator = await start();
  await untilView(view, () => view.connected, 'the switch back to the emulator');
  assert.equal(view.describe(), `emulator at ${emulator.url}`);
  await untilView(view, () => webPods(view).filter(isReady).length === 3, 'the restored pods');
  assert.deepEqual(messages(typoDoc, view), ['no pod has app=wbe; 3 pods have app=web']);
});

test('a kubeconfig context reaches the same cluster', async () => {
  const kv = open({ kubeconfig: join(stateDir, 'kubeconfig'), context: 'ksl' });
  await untilView(kv, () => kv.connected, 'the kubeconfig connection');
  assert.equal(kv.describe(), `context ksl at ${emulator.url}`);
  assert.deepEqual(kv.source, { kind: 'kubeconfig', context: 'ksl', url: emulator.url });
  assert.deepEqual(messages(typoDoc, kv), ['no pod has app=wbe; 3 pods have app=web']);
  kv.dispose();
});
