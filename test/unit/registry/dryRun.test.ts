// `?dryRun=All` (kubectl's --dry-run=server): every check and allocation runs and the answer is
// what a real write would answer, but nothing is stored and every allocation is given back.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { R } from '../../../emulator/src/api/resources';
import type { Service } from '../../../emulator/src/api/types';
import { allocationsOf, recordEvents, registryCluster, rt, serviceManifest, statusOf } from './registryFixtures';

const services = rt(R.services);

test('a dry-run create answers with the allocated ClusterIP and NodePort but stores and keeps nothing', () => {
  const c = registryCluster();
  const rv = c.store.resourceVersion;
  const watch = recordEvents(c);

  const result = c.registry.create(services, 'default', serviceManifest('web', { type: 'NodePort' }), { dryRun: true });
  const answer = result.object as Service;
  const { clusterIP, nodePorts } = allocationsOf(answer);

  assert.match(clusterIP, /^10\.(9[6-9]|10\d|11[01])\.\d+\.\d+$/);
  assert.equal(nodePorts.length, 1);
  assert.deepEqual(answer.spec.clusterIPs, [clusterIP]);
  assert.ok(answer.metadata.uid, 'the answer carries a uid, as a real create would');
  assert.ok(answer.metadata.creationTimestamp);
  assert.equal(answer.metadata.resourceVersion, undefined, 'nothing was stored, so there is no resourceVersion');

  assert.equal(c.store.get(R.services, 'default', 'web'), undefined);
  assert.equal(c.store.resourceVersion, rv);
  assert.deepEqual(watch.events, []);
  assert.equal(c.services.clusterIPs.has(clusterIP), false, 'the ClusterIP went back to the pool');
  assert.equal(c.services.nodePorts.has(nodePorts[0]), false, 'the NodePort went back to the pool');

  // The proof that they were released: a real create may now take exactly those values.
  const real = c.registry.create(
    services,
    'default',
    serviceManifest('web', { type: 'NodePort', clusterIP, ports: [{ port: 80, targetPort: 8080, nodePort: nodePorts[0] }] }),
  );
  assert.deepEqual(allocationsOf(real.object), { clusterIP, nodePorts });
});

test('a dry-run create is still validated, and a rejected one holds nothing', () => {
  const c = registryCluster();
  const usedIPs = c.services.clusterIPs.used;
  const status = statusOf(() =>
    c.registry.create(services, 'default', serviceManifest('web', { ports: [{ port: 80, targetPort: 8080, name: 'Web' }] }), { dryRun: true }),
  );
  assert.equal(status.code, 422);
  assert.equal(status.reason, 'Invalid');
  assert.match(status.message ?? '', /^Service "web" is invalid: spec\.ports\[0\]\.name: Invalid value: "Web"/);
  assert.equal(c.services.clusterIPs.used, usedIPs);
});

test('a dry-run update answers with the new NodePort while the stored Service stays as it was', () => {
  const c = registryCluster();
  const stored = c.registry.create(services, 'default', serviceManifest('web')).object as Service;
  const watch = recordEvents(c);

  const next = structuredClone(stored);
  next.spec.type = 'NodePort';
  const result = c.registry.update(services, 'default', 'web', next, { dryRun: true });
  const answer = result.object as Service;
  const nodePort = answer.spec.ports?.[0].nodePort ?? 0;

  assert.equal(result.changed, true);
  assert.ok(nodePort >= 30000 && nodePort <= 32767);
  assert.equal(answer.spec.clusterIP, stored.spec.clusterIP, 'the ClusterIP is kept across the type change');
  assert.equal(c.store.get(R.services, 'default', 'web'), stored, 'the stored object is untouched');
  assert.deepEqual(watch.events, []);
  assert.equal(c.services.nodePorts.has(nodePort), false, 'the NodePort went back to the pool');
  assert.equal(c.services.clusterIPs.has(stored.spec.clusterIP ?? ''), true, 'the ClusterIP the Service holds stays held');
});

test('a dry-run delete answers with the object and leaves it, and its ClusterIP, in place', () => {
  const c = registryCluster();
  const stored = c.registry.create(services, 'default', serviceManifest('web', { type: 'NodePort' })).object;
  const { clusterIP, nodePorts } = allocationsOf(stored);
  const watch = recordEvents(c);

  const result = c.registry.delete(services, 'default', 'web', { dryRun: true });

  assert.equal(result.object, stored);
  assert.equal(c.store.get(R.services, 'default', 'web'), stored);
  assert.deepEqual(watch.events, []);
  assert.equal(c.services.clusterIPs.has(clusterIP), true);
  assert.equal(c.services.nodePorts.has(nodePorts[0]), true);
});

test('a dry-run delete still checks preconditions', () => {
  const c = registryCluster();
  c.registry.create(services, 'default', serviceManifest('web'));
  const status = statusOf(() => c.registry.delete(services, 'default', 'web', { dryRun: true, preconditions: { uid: 'not-the-uid' } }));
  assert.equal(status.code, 409);
  assert.match(
    status.message ?? '',
    /^Operation cannot be fulfilled on Service "web": the UID in the precondition \(not-the-uid\) does not match the UID in record \([0-9a-f-]{36}\)\. The object might have been deleted and then recreated$/,
  );
  assert.ok(c.store.get(R.services, 'default', 'web'));
});
