// Endpoints and EndpointSlices for seeded pods, through each controller's sync(key).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EndpointsController, repackSubsets, truncateEndpoints } from '../../../emulator/src/controllers/endpoints';
import { EndpointSliceController } from '../../../emulator/src/controllers/endpointSlices';
import { R } from '../../../emulator/src/api/resources';
import type { Endpoints, EndpointSlice, EndpointSubset, Pod, Service } from '../../../emulator/src/api/types';
import { service, strictCluster } from './controllerFixtures';
import type { TestCluster } from '../helpers/testCluster';

/** Stores a pod as the kubelet leaves it: bound, running, with an IP, ready or not. */
function seedPod(c: TestCluster, name: string, ip: string, ready: boolean, extra: { labels?: Record<string, string>; port?: number; terminating?: boolean } = {}): Pod {
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: extra.labels ?? { app: 'web' } },
    spec: { nodeName: 'ksl', containers: [{ name: 'c', image: 'nginx', ports: [{ name: 'http', containerPort: extra.port ?? 80 }] }] },
  };
  const created = c.client.create<Pod>(R.pods, pod);
  const status = {
    phase: 'Running',
    podIP: ip,
    podIPs: [{ ip }],
    conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: '2026-11-26T08:00:00Z' }],
  };
  const withStatus = c.client.updateStatus<Pod>(R.pods, { ...created, status });
  if (extra.terminating) {
    // Store the terminating state directly, as a graceful delete would leave it.
    c.store.update(R.pods, { ...withStatus, metadata: { ...withStatus.metadata, deletionTimestamp: '2026-11-26T08:00:30Z', deletionGracePeriodSeconds: 30 } });
  }
  return withStatus;
}

function endpointsSync(c: TestCluster, name = 'web'): Endpoints | undefined {
  new EndpointsController({ client: c.client, clock: c.clock, schedule: null }).sync(`default/${name}`);
  return c.client.get<Endpoints>(R.endpoints, 'default', name);
}

function slicesSync(c: TestCluster, name = 'web', ctl = new EndpointSliceController({ client: c.client, clock: c.clock, schedule: null })): EndpointSlice[] {
  ctl.sync(`default/${name}`);
  return c.client.list<EndpointSlice>(R.endpointslices, 'default').filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === name);
}

const ips = (subset: EndpointSubset | undefined, key: 'addresses' | 'notReadyAddresses') => (subset?.[key] ?? []).map((a) => a.ip);

test('Endpoints sort addresses bytewise by IP and split ready from not ready', () => {
  const c = strictCluster();
  c.client.create(R.services, service('web', { app: 'web' }));
  seedPod(c, 'a', '10.244.0.5', true);
  seedPod(c, 'b', '10.244.0.10', true);
  seedPod(c, 'd', '10.244.0.3', false);
  seedPod(c, 'other', '10.244.0.7', true, { labels: { app: 'db' } });
  const ep = endpointsSync(c) as Endpoints;
  assert.equal(ep.subsets?.length, 1);
  assert.deepEqual(ips(ep.subsets?.[0], 'addresses'), ['10.244.0.10', '10.244.0.5']);
  assert.deepEqual(ips(ep.subsets?.[0], 'notReadyAddresses'), ['10.244.0.3']);
  assert.deepEqual(ep.subsets?.[0].ports, [{ port: 80, protocol: 'TCP' }]);
  assert.deepEqual(ep.subsets?.[0].addresses?.[0].targetRef?.name, 'b');
  assert.equal(ep.subsets?.[0].addresses?.[0].nodeName, 'ksl');
  assert.deepEqual(ep.metadata.labels, { app: 'web' });
  assert.equal(ep.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'], '2026-11-26T08:00:00Z');
});

test('publishNotReadyAddresses lists every pod as ready, terminating ones too', () => {
  const c = strictCluster();
  c.client.create(R.services, service('web', { app: 'web' }, { publishNotReadyAddresses: true }));
  seedPod(c, 'a', '10.244.0.2', false);
  seedPod(c, 'b', '10.244.0.3', true, { terminating: true });
  const ep = endpointsSync(c) as Endpoints;
  assert.deepEqual(ips(ep.subsets?.[0], 'addresses'), ['10.244.0.2', '10.244.0.3']);
  const slice = slicesSync(c)[0];
  assert.deepEqual(slice.endpoints.map((e) => [e.addresses[0], e.conditions]), [
    ['10.244.0.2', { ready: true, serving: false, terminating: false }],
    ['10.244.0.3', { ready: true, serving: true, terminating: true }],
  ]);
});

test('a named targetPort resolves per pod, so pods may use different numbers', () => {
  const c = strictCluster();
  c.client.create(R.services, service('web', { app: 'web' }, { ports: [{ name: 'web', port: 80, targetPort: 'http' }] }));
  seedPod(c, 'a', '10.244.0.2', true, { port: 8080 });
  seedPod(c, 'b', '10.244.0.3', true, { port: 9090 });
  const ep = endpointsSync(c) as Endpoints;
  assert.deepEqual(
    ep.subsets?.map((s) => [ips(s, 'addresses'), s.ports]),
    [
      [['10.244.0.2'], [{ name: 'web', port: 8080, protocol: 'TCP' }]],
      [['10.244.0.3'], [{ name: 'web', port: 9090, protocol: 'TCP' }]],
    ],
  );
  const slices = slicesSync(c);
  assert.deepEqual(slices.map((s) => [s.ports, s.endpoints.map((e) => e.addresses[0])]).sort(), [
    [[{ name: 'web', port: 8080, protocol: 'TCP' }], ['10.244.0.2']],
    [[{ name: 'web', port: 9090, protocol: 'TCP' }], ['10.244.0.3']],
  ]);
});

test('a Service without a selector gets no Endpoints or slices, and hand-made ones are left alone', () => {
  const c = strictCluster();
  c.client.create(R.services, service('ext', null));
  const own = c.client.create<Endpoints>(R.endpoints, {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'ext', namespace: 'default' },
    subsets: [{ addresses: [{ ip: '192.0.2.1' }], ports: [{ port: 80 }] }],
  });
  seedPod(c, 'a', '10.244.0.2', true);
  assert.deepEqual(endpointsSync(c, 'ext'), own);
  assert.deepEqual(slicesSync(c, 'ext'), []);
});

test('a selecting Service with no pods keeps one placeholder slice, reused when pods arrive', () => {
  const c = strictCluster();
  c.client.create(R.services, service('web', { app: 'web' }));
  const ctl = new EndpointSliceController({ client: c.client, clock: c.clock, schedule: null });
  const [placeholder] = slicesSync(c, 'web', ctl);
  assert.deepEqual(placeholder.endpoints, []);
  assert.equal(placeholder.ports, undefined);
  assert.match(placeholder.metadata.name ?? '', /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.deepEqual(placeholder.metadata.labels, {
    app: 'web',
    'kubernetes.io/service-name': 'web',
    'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
  });
  assert.equal(placeholder.metadata.ownerReferences?.[0].kind, 'Service');
  assert.equal(slicesSync(c, 'web', ctl).length, 1, 'a second sync keeps the placeholder');

  seedPod(c, 'a', '10.244.0.2', true);
  const [slice] = slicesSync(c, 'web', ctl);
  assert.equal(slice.metadata.name, placeholder.metadata.name);
  assert.deepEqual(slice.endpoints.map((e) => e.addresses[0]), ['10.244.0.2']);
  assert.deepEqual(slice.endpoints[0].targetRef, { kind: 'Pod', namespace: 'default', name: 'a', uid: c.client.get<Pod>(R.pods, 'default', 'a')?.metadata.uid });
});

test('slices hold at most 100 endpoints each, and a headless Service is labelled so', () => {
  const c = strictCluster();
  c.client.create(R.services, service('web', { app: 'web' }, { clusterIP: 'None' }));
  for (let i = 0; i < 150; i++) seedPod(c, `p${i}`, `10.244.${Math.floor(i / 200)}.${(i % 200) + 2}`, true);
  const slices = slicesSync(c);
  assert.deepEqual(slices.map((s) => s.endpoints.length).sort((a, b) => b - a), [100, 50]);
  assert.ok(slices.every((s) => s.metadata.labels?.['service.kubernetes.io/headless'] === ''));
  assert.equal((endpointsSync(c) as Endpoints).metadata.labels?.['service.kubernetes.io/headless'], '');
});

test('RepackSubsets merges ports that share the same addresses, and not-ready wins', () => {
  const a = { ip: '10.244.0.2', targetRef: { uid: 'a' } };
  const b = { ip: '10.244.0.3', targetRef: { uid: 'b' } };
  const out = repackSubsets([
    { addresses: [a], ports: [{ name: 'http', port: 80, protocol: 'TCP' }] },
    { addresses: [a], ports: [{ name: 'https', port: 443, protocol: 'TCP' }] },
    { notReadyAddresses: [b], ports: [{ name: 'http', port: 80, protocol: 'TCP' }] },
    { addresses: [b], ports: [{ name: 'http', port: 80, protocol: 'TCP' }] },
  ]);
  assert.deepEqual(out, [
    { addresses: [a], notReadyAddresses: [b], ports: [{ name: 'http', port: 80, protocol: 'TCP' }] },
    { addresses: [a], ports: [{ name: 'https', port: 443, protocol: 'TCP' }] },
  ]);
});

test('over 1000 addresses, ready ones are kept first and the Endpoints are marked truncated', () => {
  const addr = (i: number) => ({ ip: `10.0.${Math.floor(i / 250)}.${i % 250}` });
  const subsets: EndpointSubset[] = [
    { addresses: Array.from({ length: 900 }, (_, i) => addr(i)), notReadyAddresses: Array.from({ length: 300 }, (_, i) => addr(1000 + i)) },
  ];
  assert.equal(truncateEndpoints(subsets), true);
  assert.equal(subsets[0].addresses?.length, 900);
  assert.equal(subsets[0].notReadyAddresses?.length, 100);
  const small: EndpointSubset[] = [{ addresses: [addr(1)] }];
  assert.equal(truncateEndpoints(small), false);
});

test('a Service change that alters nothing writes nothing', () => {
  const c = strictCluster();
  c.client.create<Service>(R.services, service('web', { app: 'web' }));
  seedPod(c, 'a', '10.244.0.2', true);
  const eps = new EndpointsController({ client: c.client, clock: c.clock, schedule: null });
  const sl = new EndpointSliceController({ client: c.client, clock: c.clock, schedule: null });
  eps.sync('default/web');
  sl.sync('default/web');
  const rv = c.store.resourceVersion;
  eps.sync('default/web');
  sl.sync('default/web');
  assert.equal(c.store.resourceVersion, rv);
});
