import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podsToDelete, ReplicaSetController } from '../../../emulator/src/controllers/replicaSet';
import { R } from '../../../emulator/src/api/resources';
import type { Pod, ReplicaSet } from '../../../emulator/src/api/types';
import { get, messages, pods, strictCluster } from './controllerFixtures';

function replicaSet(replicas: number): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web-775855699b', namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web', 'pod-template-hash': '775855699b' } },
      template: {
        metadata: { labels: { app: 'web', 'pod-template-hash': '775855699b' } },
        spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] },
      },
    },
  };
}

function pod(name: string, phase: string, ready: boolean, extra: Partial<Pod['metadata']> = {}, nodeName = 'ksl'): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: name, creationTimestamp: '2026-11-26T07:00:00Z', ...extra },
    spec: { nodeName, containers: [{ name: 'c' }] },
    status: { phase, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: '2026-11-26T07:30:00Z' }] },
  };
}

test('sync creates the missing pods from the template, owned by the ReplicaSet', () => {
  const c = strictCluster();
  const rs = c.client.create<ReplicaSet>(R.replicasets, replicaSet(2));
  new ReplicaSetController({ client: c.client, clock: c.clock, schedule: null }).sync('default/web-775855699b');
  const ps = pods(c);
  assert.equal(ps.length, 2);
  for (const p of ps) {
    assert.equal(p.metadata.generateName, 'web-775855699b-');
    assert.match(p.metadata.name ?? '', /^web-775855699b-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.deepEqual(p.metadata.labels, { app: 'web', 'pod-template-hash': '775855699b' });
    assert.deepEqual(p.metadata.ownerReferences, [
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-775855699b', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true },
    ]);
  }
  assert.deepEqual(messages(c, 'SuccessfulCreate').sort(), ps.map((p) => `Created pod: ${p.metadata.name}`).sort());
  assert.deepEqual(get<ReplicaSet>(c, R.replicasets, 'web-775855699b').status, { replicas: 2, fullyLabeledReplicas: 2, observedGeneration: 1 });
});

test('terminating and finished pods do not count, so they are replaced', () => {
  const c = strictCluster();
  c.client.create<ReplicaSet>(R.replicasets, replicaSet(1));
  const ctl = new ReplicaSetController({ client: c.client, clock: c.clock, schedule: null });
  ctl.sync('default/web-775855699b');
  const [first] = pods(c);
  c.client.updateStatus(R.pods, { ...first, status: { phase: 'Failed' } });
  ctl.sync('default/web-775855699b');
  assert.equal(pods(c).length, 2);
});

test('scale-down deletes unscheduled, then pending, then not-ready pods before ready ones', () => {
  const now = Date.parse('2026-11-26T08:00:00Z');
  const all = [
    pod('ready-old', 'Running', true),
    pod('ready-new', 'Running', true, { creationTimestamp: '2026-11-26T07:59:00Z' }),
    pod('not-ready', 'Running', false),
    pod('pending', 'Pending', false),
    pod('unscheduled', 'Pending', false, {}, ''),
  ];
  assert.deepEqual(podsToDelete(all, all, 3, now).map((p) => p.metadata.name), ['unscheduled', 'pending', 'not-ready']);
  const costly = pod('costly', 'Running', true, { annotations: { 'controller.kubernetes.io/pod-deletion-cost': '100' } });
  const cheap = pod('cheap', 'Running', true);
  assert.deepEqual(podsToDelete([costly, cheap], [costly, cheap], 1, now).map((p) => p.metadata.name), ['cheap']);
});

test('scale-down through sync deletes the surplus and says so', () => {
  const c = strictCluster();
  c.client.create<ReplicaSet>(R.replicasets, replicaSet(3));
  const ctl = new ReplicaSetController({ client: c.client, clock: c.clock, schedule: null });
  ctl.sync('default/web-775855699b');
  const rs = structuredClone(get<ReplicaSet>(c, R.replicasets, 'web-775855699b'));
  rs.spec.replicas = 1;
  c.client.update(R.replicasets, rs);
  ctl.sync('default/web-775855699b');
  // Never-scheduled pods go at once (no grace), so two remain gone.
  assert.equal(pods(c).length, 1);
  assert.equal(messages(c, 'SuccessfulDelete').length, 2);
  assert.match(messages(c, 'SuccessfulDelete')[0], /^Deleted pod: web-775855699b-[a-z0-9]{5}$/);
});
