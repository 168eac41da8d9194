// DeleteOptions.propagationPolicy with the garbage collector running. Background (kubectl's
// default): the owner goes at once and its dependents follow. Orphan: the owner goes and every
// dependent, of any kind, stays with the owner's reference removed. Foreground is accepted and
// ends in the same state as Background: the emulator does not keep the owner around with a
// foregroundDeletion finalizer while its dependents go.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { R } from '../../../emulator/src/api/resources';
import type { Deployment, Pod, ReplicaSet, Service } from '../../../emulator/src/api/types';
import type { DeleteOptions } from '../../../emulator/src/registry/registry';
import { deployment, runningCluster, service, type Running } from '../controllers/controllerFixtures';

interface Owned {
  c: Running;
  owner: Deployment;
  rs: ReplicaSet;
  pods: Pod[];
}

/** A Deployment with two running pods, plus a Service that names the Deployment as its owner. */
function deploymentWithDependents(): Owned {
  const c = runningCluster();
  const owner = c.client.create<Deployment>(R.deployments, deployment('web', 2));
  c.tick(1000);
  const svc = service('web', { app: 'web' });
  svc.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: owner.metadata.uid ?? '' }];
  c.client.create<Service>(R.services, svc);
  c.ctl.drain();
  const [rs] = c.client.list<ReplicaSet>(R.replicasets, 'default');
  const pods = c.client.list<Pod>(R.pods, 'default');
  assert.equal(pods.length, 2);
  return { c, owner, rs, pods };
}

function deleteOwner(o: Owned, opts: DeleteOptions): void {
  o.c.client.delete(R.deployments, 'default', 'web', opts);
  // Pods terminate within their 30-second grace period.
  o.c.tick(31_000);
}

for (const policy of ['Background', 'Foreground'] as const) {
  test(`${policy}: the Deployment, its ReplicaSet, its pods and the Service it owns are all gone in the end`, () => {
    const o = deploymentWithDependents();
    deleteOwner(o, { propagationPolicy: policy });
    assert.equal(o.c.client.get(R.deployments, 'default', 'web'), undefined);
    assert.deepEqual(o.c.client.list(R.replicasets, 'default'), []);
    assert.deepEqual(o.c.client.list(R.pods, 'default'), []);
    assert.equal(o.c.client.get(R.services, 'default', 'web'), undefined);
  });
}

test('no policy from an in-process client means Background', () => {
  const o = deploymentWithDependents();
  deleteOwner(o, {});
  assert.deepEqual(o.c.client.list(R.replicasets, 'default'), []);
  assert.deepEqual(o.c.client.list(R.pods, 'default'), []);
});

test('Orphan: the ReplicaSet, its pods and the owned Service stay, and only the Deployment reference is removed', () => {
  const o = deploymentWithDependents();
  deleteOwner(o, { propagationPolicy: 'Orphan' });

  assert.equal(o.c.client.get(R.deployments, 'default', 'web'), undefined);
  const rs = o.c.client.get<ReplicaSet>(R.replicasets, 'default', o.rs.metadata.name ?? '');
  assert.ok(rs, 'the ReplicaSet was orphaned, not deleted');
  assert.equal(rs.metadata.uid, o.rs.metadata.uid);
  assert.equal(rs.metadata.ownerReferences, undefined);

  const pods = o.c.client.list<Pod>(R.pods, 'default');
  assert.deepEqual(
    pods.map((p) => p.metadata.uid).sort(),
    o.pods.map((p) => p.metadata.uid).sort(),
    'the same pods still run',
  );
  for (const p of pods) assert.deepEqual(p.metadata.ownerReferences?.map((r) => r.uid), [rs.metadata.uid], 'pods keep their ReplicaSet');

  const svc = o.c.client.get<Service>(R.services, 'default', 'web');
  assert.ok(svc, 'a dependent of another kind is orphaned too');
  assert.equal(svc.metadata.ownerReferences, undefined);
});

test('Orphan keeps a dependent\'s other owners', () => {
  const o = deploymentWithDependents();
  const svc = o.c.client.get<Service>(R.services, 'default', 'web');
  assert.ok(svc);
  const other = { apiVersion: 'v1', kind: 'Namespace', name: 'default', uid: o.c.client.get(R.namespaces, '', 'default')?.metadata.uid ?? '' };
  o.c.client.update<Service>(R.services, { ...structuredClone(svc), metadata: { ...structuredClone(svc.metadata), ownerReferences: [...(svc.metadata.ownerReferences ?? []), other] } });

  deleteOwner(o, { propagationPolicy: 'Orphan' });

  assert.deepEqual(o.c.client.get<Service>(R.services, 'default', 'web')?.metadata.ownerReferences, [other]);
});
