// The workspace view: every kind with a pod template stands for its pods, named
// `<workload>-template` with the template's labels and containers, in phase Template; documents
// of the wrong shape are skipped; unchanged workspaces are not derived again.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkspaceView } from '../../../../server/src/cluster/workspaceView';
import type { KubeObject } from '../../../../server/src/validation/kubeTypes';

const template = (labels: Record<string, unknown>) => ({
  metadata: { labels },
  spec: { containers: [{ name: 'app', image: 'nginx', ports: [{ containerPort: 80, name: 'http' }, { containerPort: 'x' }] }] },
});

const docs: KubeObject[] = [
  { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { template: template({ app: 'web' }) } },
  { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'data' }, spec: { template: template({ app: 'db', replicas: 3 }) } },
  { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent' }, spec: { template: template({ app: 'agent' }) } },
  { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'backup' }, spec: { jobTemplate: { spec: { template: template({ job: 'backup' }) } } } },
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'debug', labels: { app: 'debug' } }, spec: { containers: [{ name: 'sh' }] } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' } } },
  { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'broken' }, spec: { template: 'not a template' } },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' } },
];

test('each pod template becomes a Template pod named after its workload', () => {
  const view = new WorkspaceView({ workspaceObjects: () => docs });
  assert.deepEqual(view.pods('default').map((p) => [p.metadata.name, p.metadata.labels, p.status?.phase, p.metadata.ownerReferences?.[0]?.kind]), [
    ['web-template', { app: 'web' }, 'Template', 'Deployment'],
    ['agent-template', { app: 'agent' }, 'Template', 'DaemonSet'],
    ['backup-template', { job: 'backup' }, 'Template', 'CronJob'],
    ['debug', { app: 'debug' }, 'Template', undefined],
  ]);
  const [db] = view.pods('data');
  assert.deepEqual(db.metadata.labels, { app: 'db' }, 'a label that is not a string is left out');
  assert.deepEqual(db.spec.containers[0].ports, [{ containerPort: 80, name: 'http' }], 'a port that is not a number is left out');
  assert.deepEqual(view.namespaces(), ['data', 'default']);
  assert.deepEqual(view.services('default').map((s) => s.metadata.name), ['web']);
  assert.equal(view.service('default', 'web')?.kind, 'Service');
  assert.deepEqual(view.endpointSlices('default', 'web'), []);
  assert.equal(view.connected, false);
  assert.deepEqual(view.source, { kind: 'workspace' });
});

test('documents without a namespace land in the default namespace the view is given', () => {
  const view = new WorkspaceView({ workspaceObjects: () => docs, defaultNamespace: () => 'team-a' });
  assert.deepEqual(view.pods('team-a').map((p) => p.metadata.name), ['web-template', 'agent-template', 'backup-template', 'debug']);
  assert.deepEqual(view.pods('default'), []);
});

test('the same documents are derived once; a changed list is derived again', () => {
  let current = docs.slice(0, 1);
  const view = new WorkspaceView({ workspaceObjects: () => [...current] });
  const first = view.pods('default');
  assert.equal(view.pods('default'), first, 'a new array holding the same objects reuses the derived pods');
  current = docs.slice(0, 3);
  assert.notEqual(view.pods('default'), first);
  assert.equal(view.pods('default').length, 2);
});

test('a workspace that throws or hands over garbage reads as empty', () => {
  const logged: string[] = [];
  const throwing = new WorkspaceView({
    workspaceObjects: () => {
      throw new Error('parser exploded');
    },
    log: (m) => logged.push(m),
  });
  assert.deepEqual(throwing.pods(), []);
  assert.match(logged[0], /parser exploded/);
  const garbage = new WorkspaceView({ workspaceObjects: () => [null, 42, { kind: 'Deployment', metadata: null }] as unknown as KubeObject[] });
  assert.deepEqual(garbage.pods(), []);
  assert.equal(new WorkspaceView({ workspaceObjects: () => [], reason: () => 'no cluster configured' }).describe(), 'workspace pod templates (no cluster configured)');
});
