// The NamespaceLifecycle admission rules the registry applies before anything else: a
// namespaced object can only be created in a namespace that exists and is not terminating, and
// a rejected create allocates nothing.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { R } from '../../../emulator/src/api/resources';
import { namespaceGracefulDeleter } from '../../../emulator/src/controllers/namespace';
import { recordEvents, registryCluster, rt, serviceManifest, statusOf } from './registryFixtures';

const services = rt(R.services);

test('creating in a namespace that does not exist is 404 for the namespace, and no ClusterIP is taken', () => {
  const c = registryCluster();
  const used = c.services.clusterIPs.used;
  const watch = recordEvents(c);

  const status = statusOf(() => c.registry.create(services, 'nope', serviceManifest('web', {}, 'nope')));

  assert.deepEqual(status, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'namespaces "nope" not found',
    reason: 'NotFound',
    details: { name: 'nope', kind: 'namespaces' },
    code: 404,
  });
  assert.equal(c.services.clusterIPs.used, used);
  assert.deepEqual(watch.events, []);
});

test('creating in a terminating namespace is 403 Forbidden with the NamespaceTerminating cause', () => {
  const c = registryCluster();
  c.registry.setGracefulDeleter(R.namespaces, namespaceGracefulDeleter(c.clock));
  c.registry.create(rt(R.namespaces), '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev' } });
  c.registry.delete(rt(R.namespaces), '', 'dev');
  assert.ok(c.store.get(R.namespaces, '', 'dev')?.metadata.deletionTimestamp, 'the namespace is terminating, not gone');
  const used = c.services.clusterIPs.used;

  const status = statusOf(() => c.registry.create(services, 'dev', serviceManifest('web', {}, 'dev')));

  assert.deepEqual(status, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'services "web" is forbidden: unable to create new content in namespace dev because it is being terminated',
    reason: 'Forbidden',
    details: {
      name: 'web',
      kind: 'services',
      causes: [{ reason: 'NamespaceTerminating', message: 'namespace dev is being terminated', field: 'metadata.namespace' }],
    },
    code: 403,
  });
  assert.equal(c.services.clusterIPs.used, used);
});

test('updating an object that does not exist, in a namespace that does not exist, is 404 for the object', () => {
  const c = registryCluster();
  const status = statusOf(() => c.registry.update(services, 'nope', 'web', serviceManifest('web', {}, 'nope')));
  assert.equal(status.code, 404);
  assert.equal(status.message, 'services "web" not found');
});

test('cluster-scoped objects need no namespace, and a namespace in their body is dropped', () => {
  const c = registryCluster();
  const ns = c.registry.create(rt(R.namespaces), '', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'team-a', namespace: 'default' },
  }).object;
  assert.equal(ns.metadata.namespace, undefined);
  assert.equal(ns.metadata.labels?.['kubernetes.io/metadata.name'], 'team-a');
});
