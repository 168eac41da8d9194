import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../../emulator/src/api/errors';
import { mustResource, R } from '../../../emulator/src/api/resources';
import type { Namespace, Pod, ReplicaSet } from '../../../emulator/src/api/types';
import { GarbageCollector } from '../../../emulator/src/controllers/garbageCollector';
import { deployment, runningCluster, service, strictCluster } from './controllerFixtures';

test('the system namespaces cannot be deleted, with the NamespaceLifecycle message', () => {
  const c = runningCluster();
  for (const name of ['default', 'kube-system', 'kube-public']) {
    assert.throws(
      () => c.client.delete(R.namespaces, '', name),
      (err: unknown) =>
        err instanceof ApiError && err.code === 403 && err.message === `namespaces "${name}" is forbidden: this namespace may not be deleted`,
    );
  }
});

test('deleting a namespace marks it Terminating, empties it, then removes it', () => {
  const c = runningCluster();
  c.registry.create(mustResource(R.namespaces), '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'lab' } });
  const d = deployment('web', 2);
  d.metadata.namespace = 'lab';
  c.client.create(R.deployments, d);
  const s = service('web', { app: 'web' });
  s.metadata.namespace = 'lab';
  c.client.create(R.services, s);
  c.tick(1000);
  assert.equal(c.client.list<Pod>(R.pods, 'lab').length, 2);

  c.client.delete(R.namespaces, '', 'lab');
  const ns = c.client.get<Namespace>(R.namespaces, '', 'lab');
  assert.equal(ns?.status?.phase, 'Terminating');
  assert.ok(ns?.metadata.deletionTimestamp);
  assert.deepEqual(ns?.spec?.finalizers, ['kubernetes']);
  assert.throws(() => c.client.create(R.services, { ...s, metadata: { name: 'late', namespace: 'lab' } }), (e: unknown) => e instanceof ApiError && e.code === 403);

  c.tick(2000);
  assert.equal(c.client.get(R.namespaces, '', 'lab'), undefined);
  for (const r of [R.pods, R.replicasets, R.deployments, R.services, R.endpoints, R.endpointslices, R.events]) {
    assert.deepEqual(c.client.list(r, 'lab'), [], r);
  }
});

test('at start the collector deletes dependents whose owner is already gone', () => {
  const c = strictCluster();
  const orphan = c.client.create<ReplicaSet>(R.replicasets, {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: 'web-1',
      namespace: 'default',
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'gone', controller: true }],
    },
    spec: { replicas: 0, selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
  });
  const kept = c.client.create<ReplicaSet>(R.replicasets, {
    ...orphan,
    metadata: {
      name: 'web-2',
      namespace: 'default',
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'gone' },
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: orphan.metadata.uid ?? '' },
      ],
    },
  });
  const gc = new GarbageCollector({ client: c.client, clock: c.clock, schedule: null });
  gc.start();
  gc.drain();
  // web-1 goes; web-2 first loses the dangling reference, then its last owner (web-1) is gone too.
  assert.equal(c.client.get(R.replicasets, 'default', 'web-1'), undefined);
  assert.equal(c.client.get(R.replicasets, 'default', kept.metadata.name ?? ''), undefined);
});
