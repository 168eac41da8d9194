// The view the server holds for its whole life: it answers from the workspace until the live
// cluster is connected, switches on every connect and disconnect, follows the target source
// (the emulator starting and stopping), and announces each switch with connectionChanged.
// Targets and live views are fakes driven by hand.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterTarget, TargetSource, TargetState } from '../../../../server/src/cluster/clusterTargets';
import type { ClusterChange } from '../../../../server/src/cluster/clusterView';
import { SwitchingView } from '../../../../server/src/cluster/switchingView';
import { clusterFindings } from '../../../../server/src/cluster/clusterFindings';
import type { KubeObject } from '../../../../server/src/validation/kubeTypes';
import { FakeClusterView, webPods } from './fakeClusterView';

class FakeTargets implements TargetSource {
  state: TargetState = { reason: 'the emulator is not running' };
  disposed = false;
  private readonly listeners = new Set<() => void>();
  current(): TargetState {
    return this.state;
  }
  onDidChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }
  set(state: TargetState): void {
    this.state = state;
    for (const l of this.listeners) l();
  }
  dispose(): void {
    this.disposed = true;
  }
}

function target(url: string, namespace = 'default'): ClusterTarget {
  return {
    key: url,
    source: { kind: 'emulator', stateDir: '/state', url },
    label: `emulator at ${url}`,
    defaultNamespace: namespace,
    connection: { server: url, prepare: async () => undefined },
  };
}

const deployment: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx' }] } } },
};
const typo: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'wbe' }, ports: [{ port: 80 }] } };

function setup() {
  const targets = new FakeTargets();
  const opened: FakeClusterView[] = [];
  const changes: ClusterChange[] = [];
  const view = new SwitchingView({
    targets,
    workspaceObjects: () => [deployment, typo],
    log: () => undefined,
    connect: (t) => {
      const live = new FakeClusterView({ source: t.source, connected: false, label: t.label, pods: webPods() });
      opened.push(live);
      return live;
    },
  });
  view.onDidChange((c) => changes.push(c));
  return { targets, opened, changes, view };
}

test('without a target the workspace answers and says why', () => {
  const { view } = setup();
  assert.equal(view.connected, false);
  assert.deepEqual(view.source, { kind: 'workspace' });
  assert.equal(view.describe(), 'workspace pod templates (the emulator is not running)');
  assert.deepEqual(view.pods('default').map((p) => p.metadata.name), ['web-template']);
  assert.equal(clusterFindings(typo, view)[0].message, 'no pod template in the workspace has app=wbe; 1 Deployment template has app=web');
});

test('a target that appears is connected to; the workspace answers until the connection is up', () => {
  const { targets, opened, changes, view } = setup();
  targets.set({ target: target('https://127.0.0.1:4321') });
  assert.equal(opened.length, 1);
  assert.equal(view.connected, false);
  assert.equal(view.describe(), 'workspace pod templates (emulator at https://127.0.0.1:4321: connecting)');
  assert.deepEqual(changes.map((c) => c.connectionChanged), [true]);

  opened[0].connected = true;
  opened[0].emit({ connectionChanged: true });
  assert.equal(view.connected, true);
  assert.equal(view.describe(), 'emulator at https://127.0.0.1:4321');
  assert.equal(view.source.kind, 'emulator');
  assert.equal(view.pods('default').length, 3);
  assert.equal(changes.length, 2);
  assert.equal(changes[1].connectionChanged, true);
  assert.deepEqual([...changes[1].resources].sort(), ['deployments', 'endpointslices', 'namespaces', 'pods', 'services']);
  assert.equal(clusterFindings(typo, view)[0].message, 'no pod has app=wbe; 3 pods have app=web');
});

test('the live view’s own changes are forwarded while it answers, and only then', () => {
  const { targets, opened, changes } = setup();
  targets.set({ target: target('https://127.0.0.1:4321') });
  opened[0].emit({ resources: new Set(['pods']) });
  assert.equal(changes.length, 1, 'a change from a view that does not answer yet is not forwarded');
  opened[0].connected = true;
  opened[0].emit({ connectionChanged: true });
  opened[0].emit({ resources: new Set(['pods']) });
  assert.equal(changes.length, 3);
  assert.deepEqual(changes[2], { resources: new Set(['pods']), connectionChanged: false });
});

test('losing the connection falls back to the workspace, and regaining it switches back', () => {
  const { targets, opened, changes, view } = setup();
  targets.set({ target: target('https://127.0.0.1:4321') });
  opened[0].connected = true;
  opened[0].emit({ connectionChanged: true });
  opened[0].connected = false;
  opened[0].emit({ connectionChanged: true });
  assert.equal(view.connected, false);
  assert.equal(view.source.kind, 'workspace');
  assert.match(view.describe(), /^workspace pod templates \(emulator at https:\/\/127\.0\.0\.1:4321: connecting\)$/);
  opened[0].connected = true;
  opened[0].emit({ connectionChanged: true });
  assert.equal(view.connected, true);
  assert.deepEqual(changes.map((c) => c.connectionChanged), [true, true, true, true]);
  assert.equal(opened.length, 1, 'a reconnect of the same target keeps its view');
});

test('a vanished target drops the live view; a new one replaces it, and the old one is ignored', () => {
  const { targets, opened, changes, view } = setup();
  targets.set({ target: target('https://127.0.0.1:4321') });
  opened[0].connected = true;
  opened[0].emit({ connectionChanged: true });
  targets.set({ reason: 'the emulator is not running' });
  assert.equal(opened[0].disposed, true);
  assert.equal(view.describe(), 'workspace pod templates (the emulator is not running)');
  assert.equal(changes.at(-1)?.connectionChanged, true);

  targets.set({ target: target('https://127.0.0.1:5555', 'shop') });
  assert.equal(opened.length, 2);
  assert.equal(view.defaultNamespace, 'shop');
  const before = changes.length;
  opened[0].emit({ connectionChanged: true });
  assert.equal(changes.length, before, 'the disposed view is not listened to');
  opened[1].connected = true;
  opened[1].emit({ connectionChanged: true });
  assert.equal(view.describe(), 'emulator at https://127.0.0.1:5555');
});

test('the same target announced again keeps the connection', () => {
  const { targets, opened } = setup();
  targets.set({ target: target('https://127.0.0.1:4321') });
  targets.set({ target: target('https://127.0.0.1:4321') });
  assert.equal(opened.length, 1);
  assert.equal(opened[0].disposed, false);
});

test('dispose closes the target source and the live view', () => {
  const { targets, opened, view, changes } = setup();
  targets.set({ target: target('https://127.0.0.1:4321') });
  view.dispose();
  assert.equal(targets.disposed, true);
  assert.equal(opened[0].disposed, true);
  const before = changes.length;
  targets.set({ target: target('https://127.0.0.1:9999') });
  assert.equal(opened.length, 1);
  assert.equal(changes.length, before);
});
