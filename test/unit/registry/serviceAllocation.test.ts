// ClusterIPs and NodePorts through the registry (ARCHITECTURE invariant 4): allocated in the
// write path before validation, as the service registry's BeginCreate/BeginUpdate do, given
// back when a write fails for any reason, and released when the Service goes away.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { R } from '../../../emulator/src/api/resources';
import type { Service } from '../../../emulator/src/api/types';
import { Registry } from '../../../emulator/src/registry/registry';
import { buildStrategies, metaValidator } from '../../../emulator/src/registry/strategies/index';
import { allocationsOf, registryCluster, rt, serviceManifest, statusOf } from './registryFixtures';

const services = rt(R.services);

test('deleting a Service releases its ClusterIP and NodePort, so another Service can ask for them', () => {
  const c = registryCluster();
  const { clusterIP, nodePorts } = allocationsOf(c.registry.create(services, 'default', serviceManifest('web', { type: 'NodePort' })).object);
  assert.equal(c.services.clusterIPs.has(clusterIP), true);
  assert.equal(c.services.nodePorts.has(nodePorts[0]), true);

  c.registry.delete(services, 'default', 'web');

  assert.equal(c.services.clusterIPs.has(clusterIP), false);
  assert.equal(c.services.nodePorts.has(nodePorts[0]), false);
  const again = c.registry.create(
    services,
    'default',
    serviceManifest('other', { type: 'NodePort', clusterIP, ports: [{ port: 80, targetPort: 8080, nodePort: nodePorts[0] }] }),
  );
  assert.deepEqual(allocationsOf(again.object), { clusterIP, nodePorts });
});

test('a create that fails validation gives back the ClusterIP and NodePort it requested', () => {
  const c = registryCluster();
  const before = { ips: c.services.clusterIPs.used, ports: c.services.nodePorts.used };
  const bad = serviceManifest('web', {
    type: 'NodePort',
    clusterIP: '10.96.100.100',
    ports: [{ port: 80, targetPort: 8080, nodePort: 30080, name: 'Web' }],
  });

  assert.equal(statusOf(() => c.registry.create(services, 'default', bad)).code, 422);

  assert.deepEqual({ ips: c.services.clusterIPs.used, ports: c.services.nodePorts.used }, before);
  const fixed = structuredClone(bad);
  fixed.spec.ports = [{ port: 80, targetPort: 8080, nodePort: 30080, name: 'web' }];
  assert.deepEqual(allocationsOf(c.registry.create(services, 'default', fixed).object), { clusterIP: '10.96.100.100', nodePorts: [30080] });
});

test('a create that loses to an existing name gives back the ClusterIP it was handed', () => {
  const c = registryCluster();
  c.registry.create(services, 'default', serviceManifest('web'));
  const used = c.services.clusterIPs.used;

  const status = statusOf(() => c.registry.create(services, 'default', serviceManifest('web')));

  assert.equal(status.code, 409);
  assert.equal(status.reason, 'AlreadyExists');
  assert.equal(status.message, 'services "web" already exists');
  assert.equal(c.services.clusterIPs.used, used);
});

test('an allocation error is reported alone, before validation errors, as BeginCreate runs first', () => {
  const c = registryCluster();
  c.registry.create(services, 'default', serviceManifest('a', { clusterIP: '10.96.100.100' }));

  const both = serviceManifest('b', { clusterIP: '10.96.100.100', ports: [{ port: 80, targetPort: 8080, name: 'Web' }] });
  const status = statusOf(() => c.registry.create(services, 'default', both));

  assert.equal(status.code, 422);
  assert.equal(
    status.message,
    'Service "b" is invalid: spec.clusterIPs: Invalid value: ["10.96.100.100"]: failed to allocate IP 10.96.100.100: provided IP is already allocated',
  );
  assert.deepEqual(
    status.details?.causes?.map((cause) => cause.field),
    ['spec.clusterIPs'],
    'the invalid port name is not reported: validation never ran',
  );
});

test('when the second port\'s NodePort is taken, the first port\'s NodePort and the ClusterIP are given back', () => {
  const c = registryCluster();
  c.registry.create(services, 'default', serviceManifest('a', { type: 'NodePort', ports: [{ port: 80, targetPort: 80, nodePort: 30080 }] }));
  const before = { ips: c.services.clusterIPs.used, ports: c.services.nodePorts.used };

  const status = statusOf(() =>
    c.registry.create(
      services,
      'default',
      serviceManifest('b', {
        type: 'NodePort',
        ports: [
          { name: 'http', port: 80, targetPort: 80, nodePort: 30081 },
          { name: 'alt', port: 81, targetPort: 81, nodePort: 30080 },
        ],
      }),
    ),
  );

  assert.equal(status.message, 'Service "b" is invalid: spec.ports[1].nodePort: Invalid value: 30080: provided port is already allocated');
  assert.deepEqual({ ips: c.services.clusterIPs.used, ports: c.services.nodePorts.used }, before);
  assert.equal(c.services.nodePorts.has(30081), false);
});

test('a failed update gives back the NodePort it took and keeps the ClusterIP the Service holds', () => {
  const c = registryCluster();
  const stored = c.registry.create(services, 'default', serviceManifest('web')).object as Service;
  const ports = c.services.nodePorts.used;

  const next = structuredClone(stored);
  next.spec.type = 'NodePort';
  next.spec.ports = [{ port: 80, targetPort: 8080, name: 'Web' }];
  assert.equal(statusOf(() => c.registry.update(services, 'default', 'web', next)).code, 422);

  assert.equal(c.services.nodePorts.used, ports);
  assert.equal(c.services.clusterIPs.has(stored.spec.clusterIP ?? ''), true);
  assert.equal(c.store.get(R.services, 'default', 'web'), stored);
});

test('switching NodePort to ClusterIP releases the NodePort once the update is stored', () => {
  const c = registryCluster();
  const stored = c.registry.create(services, 'default', serviceManifest('web', { type: 'NodePort' })).object as Service;
  const { clusterIP, nodePorts } = allocationsOf(stored);

  const next = structuredClone(stored);
  next.spec.type = 'ClusterIP';
  const updated = c.registry.update(services, 'default', 'web', next).object as Service;

  assert.equal(updated.spec.ports?.[0].nodePort, undefined);
  assert.equal(c.services.nodePorts.has(nodePorts[0]), false);
  assert.equal(c.services.clusterIPs.has(clusterIP), true);
});

test('headless and ExternalName Services hold no ClusterIP', () => {
  const c = registryCluster();
  const used = c.services.clusterIPs.used;
  const headless = c.registry.create(services, 'default', serviceManifest('db', { clusterIP: 'None' })).object as Service;
  const external = c.registry.create(services, 'default', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'ext', namespace: 'default' },
    spec: { type: 'ExternalName', externalName: 'example.com' },
  }).object as Service;
  assert.deepEqual(headless.spec.clusterIPs, ['None']);
  assert.equal(external.spec.clusterIP, undefined);
  assert.equal(c.services.clusterIPs.used, used);
});

test('a registry started over an existing store takes over what the stored Services hold and never hands it out twice', () => {
  // A small range, so a duplicate would be likely if restore missed anything.
  const shape = { serviceCIDR: '10.96.0.0/27', nodePortBase: 30000, nodePortSize: 20 };
  const first = registryCluster(shape);
  const held = new Set<string>();
  const heldPorts = new Set<number>();
  for (let i = 0; i < 6; i++) {
    const a = allocationsOf(first.registry.create(services, 'default', serviceManifest(`s${i}`, { type: 'NodePort' })).object);
    held.add(a.clusterIP);
    a.nodePorts.forEach((p) => heldPorts.add(p));
  }

  // The restart: new strategies and a new registry over the same store.
  const strategies = buildStrategies({ ...shape, rand: () => 0 });
  strategies.services.restore({ store: first.store, clock: first.clock });
  const registry = new Registry({ store: first.store, clock: first.clock, strategies: strategies.map, metaValidator });
  for (const ip of held) assert.equal(strategies.services.clusterIPs.has(ip), true, `${ip} is held after the restart`);

  for (let i = 6; i < 12; i++) {
    const a = allocationsOf(registry.create(services, 'default', serviceManifest(`s${i}`, { type: 'NodePort' })).object);
    assert.equal(held.has(a.clusterIP), false, `${a.clusterIP} was handed out twice`);
    assert.equal(heldPorts.has(a.nodePorts[0]), false, `${a.nodePorts[0]} was handed out twice`);
    held.add(a.clusterIP);
    heldPorts.add(a.nodePorts[0]);
  }
});
