// Optimistic concurrency, as kube-apiserver's generic registry does it: a write that names a
// resourceVersion only lands on exactly that version; otherwise the client gets 409 Conflict
// with the message kubectl prints, and the stored object is unchanged.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { R } from '../../../emulator/src/api/resources';
import type { Service } from '../../../emulator/src/api/types';
import { recordEvents, registryCluster, rt, serviceManifest, statusOf } from './registryFixtures';

const services = rt(R.services);
const MODIFIED = 'the object has been modified; please apply your changes to the latest version and try again';

function withLabel(svc: Service, value: string): Service {
  const next = structuredClone(svc);
  next.metadata.labels = { ...(next.metadata.labels ?? {}), tier: value };
  return next;
}

test('of two writers that read the same version, the second gets 409 Conflict with the apiserver message', () => {
  const c = registryCluster();
  const read = c.registry.create(services, 'default', serviceManifest('web')).object as Service;

  const first = c.registry.update(services, 'default', 'web', withLabel(read, 'a')).object;
  const status = statusOf(() => c.registry.update(services, 'default', 'web', withLabel(read, 'b')));

  assert.deepEqual(status, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `Operation cannot be fulfilled on services "web": ${MODIFIED}`,
    reason: 'Conflict',
    details: { name: 'web', kind: 'services' },
    code: 409,
  });
  assert.equal(c.store.get(R.services, 'default', 'web'), first, 'the first writer\'s version is what is stored');
});

test('a grouped resource names its group in the Conflict message and details', () => {
  const c = registryCluster();
  const deployments = rt(R.deployments);
  const d = c.registry.create(deployments, 'default', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } },
    },
  }).object;
  const stale = { ...structuredClone(d), metadata: { ...structuredClone(d.metadata), resourceVersion: '1' } };
  const status = statusOf(() => c.registry.update(deployments, 'default', 'web', stale));
  assert.equal(status.message, `Operation cannot be fulfilled on deployments.apps "web": ${MODIFIED}`);
  assert.deepEqual(status.details, { name: 'web', group: 'apps', kind: 'deployments' });
});

test('a stale status update conflicts as well, and nothing is written', () => {
  const c = registryCluster();
  const read = c.registry.create(services, 'default', serviceManifest('web', { type: 'LoadBalancer' })).object as Service;
  c.registry.update(services, 'default', 'web', withLabel(read, 'a'));
  const watch = recordEvents(c);

  const status = structuredClone(read);
  status.status = { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } };
  const answer = statusOf(() => c.registry.update(services, 'default', 'web', status, { subresource: 'status' }));

  assert.equal(answer.code, 409);
  assert.equal(answer.message, `Operation cannot be fulfilled on services "web": ${MODIFIED}`);
  assert.deepEqual(watch.events, []);
});

test('an update without a resourceVersion is unconditional and lands on the latest version', () => {
  const c = registryCluster();
  const read = c.registry.create(services, 'default', serviceManifest('web')).object as Service;
  c.registry.update(services, 'default', 'web', withLabel(read, 'a'));

  const blind = withLabel(read, 'b');
  delete blind.metadata.resourceVersion;
  const result = c.registry.update(services, 'default', 'web', blind).object;

  assert.equal(result.metadata.labels?.tier, 'b');
  assert.equal(result.metadata.resourceVersion, String(c.store.resourceVersion));
});

test('a stale update that would have allocated a NodePort conflicts without holding one', () => {
  const c = registryCluster();
  const read = c.registry.create(services, 'default', serviceManifest('web')).object as Service;
  c.registry.update(services, 'default', 'web', withLabel(read, 'a'));
  const usedPorts = c.services.nodePorts.used;

  const stale = structuredClone(read);
  stale.spec.type = 'NodePort';
  assert.equal(statusOf(() => c.registry.update(services, 'default', 'web', stale)).code, 409);
  assert.equal(c.services.nodePorts.used, usedPorts);
});

test('a delete whose resourceVersion precondition is stale conflicts and deletes nothing', () => {
  const c = registryCluster();
  const read = c.registry.create(services, 'default', serviceManifest('web')).object as Service;
  const current = c.registry.update(services, 'default', 'web', withLabel(read, 'a')).object;

  const status = statusOf(() =>
    c.registry.delete(services, 'default', 'web', { preconditions: { resourceVersion: read.metadata.resourceVersion } }),
  );
  // rest.BeforeDelete names the kind, not the resource, in this Conflict.
  assert.equal(status.code, 409);
  assert.equal(
    status.message,
    `Operation cannot be fulfilled on Service "web": the ResourceVersion in the precondition (${read.metadata.resourceVersion}) ` +
      `does not match the ResourceVersion in record (${current.metadata.resourceVersion}). The object might have been modified`,
  );
  assert.deepEqual(status.details, { name: 'web', kind: 'Service' });
  assert.equal(c.store.get(R.services, 'default', 'web'), current);
  assert.equal(c.services.clusterIPs.has((current as Service).spec.clusterIP ?? ''), true);
});

test('replacing an object with a copy of an older incarnation (another uid) is a storage precondition Conflict', () => {
  const c = registryCluster();
  const saved = c.registry.create(services, 'default', serviceManifest('web')).object as Service;
  c.registry.delete(services, 'default', 'web');
  const recreated = c.registry.create(services, 'default', serviceManifest('web')).object;

  const copy = structuredClone(saved);
  delete copy.metadata.resourceVersion;
  const status = statusOf(() => c.registry.update(services, 'default', 'web', copy));

  assert.equal(status.code, 409);
  assert.equal(
    status.message,
    'Operation cannot be fulfilled on services "web": StorageError: invalid object, Code: 4, Key: /registry/services/specs/default/web, ' +
      `ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in precondition: ${saved.metadata.uid}, UID in object meta: ${recreated.metadata.uid}`,
  );
  assert.equal(c.store.get(R.services, 'default', 'web'), recreated);
});

test('a patch that changes the uid sets no precondition: it fails validation as an immutable field', () => {
  const c = registryCluster();
  const stored = c.registry.create(services, 'default', serviceManifest('web')).object;
  const patched = structuredClone(stored);
  patched.metadata.uid = 'another-uid';
  const status = statusOf(() => c.registry.update(services, 'default', 'web', patched, { patched: true }));
  assert.equal(status.code, 422);
  assert.equal(status.message, 'Service "web" is invalid: metadata.uid: Invalid value: "another-uid": field is immutable');
  assert.equal(c.store.get(R.services, 'default', 'web'), stored);
});
