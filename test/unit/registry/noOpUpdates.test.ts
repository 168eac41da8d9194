// An update that changes nothing is not written (the generic registry compares the new object
// with the stored one before it calls etcd): the resourceVersion stays, watchers hear nothing,
// and `kubectl apply` of an unchanged manifest leaves the cluster exactly as it was.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { R } from '../../../emulator/src/api/resources';
import type { Deployment, Service } from '../../../emulator/src/api/types';
import { recordEvents, registryCluster, rt, serviceManifest } from './registryFixtures';

const services = rt(R.services);
const deployments = rt(R.deployments);

function deploymentManifest(replicas: number): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } },
    },
  };
}

test('putting back the stored Service unchanged keeps its resourceVersion and emits no event', () => {
  const c = registryCluster();
  const stored = c.registry.create(services, 'default', serviceManifest('web', { type: 'NodePort' })).object;
  const rv = c.store.resourceVersion;
  const watch = recordEvents(c);

  const result = c.registry.update(services, 'default', 'web', structuredClone(stored));

  assert.equal(result.changed, false);
  assert.equal(result.object, stored);
  assert.equal(c.store.resourceVersion, rv);
  assert.deepEqual(watch.events, []);
});

test('re-sending the original manifest, without the allocated ClusterIP and NodePort, is a no-op too', () => {
  const c = registryCluster();
  const manifest = serviceManifest('web', { type: 'NodePort' });
  const stored = c.registry.create(services, 'default', structuredClone(manifest)).object as Service;
  const usedPorts = c.services.nodePorts.used;
  const watch = recordEvents(c);

  const result = c.registry.update(services, 'default', 'web', structuredClone(manifest));

  assert.equal(result.changed, false);
  assert.equal(result.object.metadata.resourceVersion, stored.metadata.resourceVersion);
  assert.deepEqual(watch.events, []);
  assert.equal(c.services.nodePorts.used, usedPorts, 'no second NodePort was taken and kept');
});

test('a status update that repeats the stored status writes nothing', () => {
  const c = registryCluster();
  const stored = c.registry.create(services, 'default', serviceManifest('web')).object;
  const watch = recordEvents(c);
  const result = c.registry.update(services, 'default', 'web', structuredClone(stored), { subresource: 'status' });
  assert.equal(result.changed, false);
  assert.deepEqual(watch.events, []);
});

test('an unchanged Deployment keeps its generation and resourceVersion; a label change bumps only the resourceVersion', () => {
  const c = registryCluster();
  const created = c.registry.create(deployments, 'default', deploymentManifest(3)).object;
  assert.equal(created.metadata.generation, 1);

  const same = c.registry.update(deployments, 'default', 'web', deploymentManifest(3));
  assert.equal(same.changed, false);
  assert.equal(same.object.metadata.resourceVersion, created.metadata.resourceVersion);

  const relabelled = deploymentManifest(3);
  relabelled.metadata.labels = { app: 'web', tier: 'front' };
  const labelled = c.registry.update(deployments, 'default', 'web', relabelled).object;
  assert.notEqual(labelled.metadata.resourceVersion, created.metadata.resourceVersion);
  assert.equal(labelled.metadata.generation, 1, 'metadata changes do not bump the generation');

  const scaled = c.registry.update(deployments, 'default', 'web', { ...deploymentManifest(5), metadata: relabelled.metadata }).object;
  assert.equal(scaled.metadata.generation, 2, 'a spec change does');
});

test('a client cannot change server-owned metadata, so an update that only tries to is a no-op', () => {
  const c = registryCluster();
  const stored = c.registry.create(services, 'default', serviceManifest('web')).object;
  const forged = structuredClone(stored);
  forged.metadata.creationTimestamp = '2001-01-01T00:00:00Z';
  forged.metadata.generation = 7;
  const result = c.registry.update(services, 'default', 'web', forged);
  assert.equal(result.changed, false);
  assert.equal(c.store.get(R.services, 'default', 'web'), stored);
});
