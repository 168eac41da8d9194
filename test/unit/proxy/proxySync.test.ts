// KubeProxy's syncs against a full recomputation: after any sequence of Service and
// EndpointSlice changes its text and its routing are those of computeRules over the store as
// it stands; above 1,000 endpoints it drops per-endpoint comments the way the real proxier
// does, partial syncs included.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { R } from '../../../emulator/src/api/resources';
import type { EndpointSlice, KubeObject, Service } from '../../../emulator/src/api/types';
import { FakeClock } from '../../../emulator/src/clock';
import { renderIptablesSave } from '../../../emulator/src/proxy/iptablesSave';
import { FULL_SYNC_PERIOD_MS, KubeProxy } from '../../../emulator/src/proxy/kubeProxy';
import { evaluateConnection, RecentTables, type NewConnection } from '../../../emulator/src/proxy/ruleEvaluator';
import { computeRules } from '../../../emulator/src/proxy/rules';
import { Store } from '../../../emulator/src/store/store';
import { seededRandom as seeded } from '../helpers/seededRandom';

const CONFIG = { clusterCIDR: '10.244.0.0/16', nodeIPs: ['127.0.0.1'], nodeName: 'ksl' };

function service(namespace: string, name: string, clusterIP: string, extra: Partial<Service['spec']> = {}): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace },
    spec: { type: 'ClusterIP', clusterIP, clusterIPs: [clusterIP], ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }], ...extra },
  };
}

function slice(namespace: string, name: string, serviceName: string, ips: string[], ready = true): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name, namespace, labels: { 'kubernetes.io/service-name': serviceName } },
    addressType: 'IPv4',
    endpoints: ips.map((ip) => ({ addresses: [ip], conditions: { ready }, nodeName: 'ksl' })),
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  };
}

/** Creates the object, or replaces what the store has under its name. */
function put(store: Store, resource: string, obj: KubeObject): void {
  const existing = store.get(resource, obj.metadata.namespace ?? '', obj.metadata.name ?? '');
  if (existing) store.update(resource, { ...obj, metadata: { ...obj.metadata, resourceVersion: existing.metadata.resourceVersion } });
  else store.create(resource, obj);
}

function expectedText(store: Store, now: number): string {
  return renderIptablesSave(computeRules(store.list(R.services) as Service[], store.list(R.endpointslices) as EndpointSlice[], CONFIG), { now });
}

/** Connections to every ClusterIP and NodePort in the store, plus one to nothing. */
function connections(store: Store): NewConnection[] {
  const out: NewConnection[] = [{ srcIP: '10.244.9.9', dstIP: '10.96.99.99', dstPort: 80, protocol: 'TCP', dstIsLocal: false }];
  for (const svc of store.list(R.services) as Service[]) {
    for (const p of svc.spec.ports ?? []) {
      out.push({ srcIP: '10.244.9.9', dstIP: svc.spec.clusterIP ?? '', dstPort: p.port, protocol: 'TCP', dstIsLocal: false });
      if (p.nodePort) out.push({ srcIP: '127.0.0.1', dstIP: '127.0.0.1', dstPort: p.nodePort, protocol: 'TCP', dstIsLocal: true });
    }
  }
  return out;
}

test('after any sequence of changes the text and the routing are those of a full recomputation', () => {
  const store = new Store();
  const clock = new FakeClock();
  const proxy = new KubeProxy({ source: store, clock, rand: () => 0.5, ...CONFIG });
  const rand = seeded(20261126);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const namespaces = ['default', 'shop'];
  const names = ['web', 'api', 'db', 'cache'];
  const ips = (n: number) => Array.from({ length: n }, () => `10.244.${Math.floor(rand() * 4)}.${2 + Math.floor(rand() * 40)}`);
  for (let step = 0; step < 250; step++) {
    const ns = pick(namespaces);
    const name = pick(names);
    const op = rand();
    if (op < 0.2) {
      const clusterIP = `10.96.${namespaces.indexOf(ns)}.${10 + names.indexOf(name)}`;
      const nodePort = rand() < 0.4 ? { type: 'NodePort' as const, ports: [{ name: 'http', port: 80, protocol: 'TCP' as const, targetPort: 8080, nodePort: 30000 + step }] } : {};
      const affinity = rand() < 0.3 ? { sessionAffinity: 'ClientIP' as const } : {};
      put(store, R.services, service(ns, name, clusterIP, { ...nodePort, ...affinity }));
    } else if (op < 0.27) {
      if (store.get(R.services, ns, name)) store.delete(R.services, ns, name);
    } else if (op < 0.85) {
      put(store, R.endpointslices, slice(ns, `${name}-${pick(['a', 'b'])}`, name, ips(Math.floor(rand() * 5)), rand() < 0.85));
    } else if (op < 0.93) {
      // Relabelled: the slice now belongs to another Service.
      put(store, R.endpointslices, slice(ns, `${name}-a`, pick(names), ips(2)));
    } else {
      const sliceName = `${name}-${pick(['a', 'b'])}`;
      if (store.get(R.endpointslices, ns, sliceName)) store.delete(R.endpointslices, ns, sliceName);
    }
    assert.equal(proxy.render(), expectedText(store, clock.now()), `text after step ${step}`);
    const model = computeRules(store.list(R.services) as Service[], store.list(R.endpointslices) as EndpointSlice[], CONFIG);
    for (const conn of connections(store)) {
      const expected = evaluateConnection(model, conn, { rand: () => 0.5, now: clock.now(), recent: new RecentTables(), nodeIPs: CONFIG.nodeIPs });
      assert.deepEqual(proxy.probe(conn), expected, `routing after step ${step}: ${JSON.stringify(conn)}`);
    }
  }
  proxy.stop();
});

test('a slice relabelled to another Service leaves the first one at once', () => {
  const store = new Store();
  store.create(R.services, service('default', 'web', '10.96.0.20'));
  store.create(R.services, service('default', 'api', '10.96.0.21'));
  store.create(R.endpointslices, slice('default', 'web-a', 'web', ['10.244.0.5']));
  const proxy = new KubeProxy({ source: store, clock: new FakeClock(), ...CONFIG });
  const to = (ip: string) => proxy.probe({ srcIP: '10.244.9.9', dstIP: ip, dstPort: 80, protocol: 'TCP', dstIsLocal: false });
  assert.equal(to('10.96.0.20').kind, 'dnat');
  put(store, R.endpointslices, slice('default', 'web-a', 'api', ['10.244.0.5']));
  assert.equal(to('10.96.0.20').kind, 'reject', 'web has no endpoints left');
  assert.equal(to('10.96.0.21').kind, 'dnat');
  proxy.stop();
});

test('objects kube-proxy cannot read give rules for the rest, not an exception', () => {
  const store = new Store();
  store.create(R.services, service('default', 'web', '10.96.0.20'));
  store.create(R.services, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'odd', namespace: 'default' }, spec: { clusterIP: '10.96.0.9', ports: null } } as unknown as Service);
  store.create(R.endpointslices, {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'junk', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
    addressType: 'IPv4',
    endpoints: [null, { addresses: 'nope' }],
    ports: [{ port: 'x' }],
  } as unknown as EndpointSlice);
  store.create(R.endpointslices, slice('default', 'web-a', 'web', ['10.244.0.5']));
  const clock = new FakeClock();
  const proxy = new KubeProxy({ source: store, clock, ...CONFIG });
  assert.equal(proxy.render(), expectedText(store, clock.now()));
  assert.match(proxy.render({ namespace: 'default', name: 'web' }), /--to-destination 10\.244\.0\.5:8080/);
  proxy.stop();
});

/** Services of ten endpoints each, from 10.244.<i>.<k>. */
function fillServices(store: Store, count: number): void {
  for (let i = 0; i < count; i++) {
    store.create(R.services, service('bench', `svc-${i}`, `10.96.${Math.floor(i / 200)}.${10 + (i % 200)}`));
    store.create(R.endpointslices, slice('bench', `svc-${i}-a`, `svc-${i}`, Array.from({ length: 10 }, (_, k) => `10.244.${i}.${k + 2}`)));
  }
}

/** The SEP chain rules of one Service that still carry its per-endpoint comment. */
function commentedEndpointRules(text: string, name: string): number {
  return text.split('\n').filter((l) => l.startsWith('-A KUBE-SEP-') && l.includes(`--comment "bench/${name}:http"`)).length;
}

test('above 1,000 endpoints the per-endpoint comments go, as in largeClusterMode', () => {
  const store = new Store();
  fillServices(store, 101);
  const clock = new FakeClock();
  const proxy = new KubeProxy({ source: store, clock, ...CONFIG });
  const text = proxy.render();
  assert.equal(text, expectedText(store, clock.now()));
  assert.equal(commentedEndpointRules(text, 'svc-0'), 0);
  assert.doesNotMatch(text, / -> 10\.244\./, 'no ladder rule names its endpoint');
  assert.match(text, /-A KUBE-SEP-\w+ -s 10\.244\.0\.2\/32 -j KUBE-MARK-MASQ/);
  proxy.stop();
});

test('a partial sync that crosses 1,000 endpoints rewrites only the changed Service until the next full sync', () => {
  const store = new Store();
  fillServices(store, 100);
  const clock = new FakeClock();
  const proxy = new KubeProxy({ source: store, clock, ...CONFIG });
  assert.equal(commentedEndpointRules(proxy.render(), 'svc-1'), 20, 'exactly 1,000 endpoints: comments everywhere');

  // The 1,001st endpoint: svc-0 is written in largeClusterMode, svc-1 keeps what it had.
  put(store, R.endpointslices, slice('bench', 'svc-0-a', 'svc-0', Array.from({ length: 11 }, (_, k) => `10.244.0.${k + 2}`)));
  let text = proxy.render();
  assert.equal(commentedEndpointRules(text, 'svc-0'), 0);
  assert.equal(commentedEndpointRules(text, 'svc-1'), 20);
  // Comments never change where a packet goes.
  const to = (ip: string) => proxy.probe({ srcIP: '10.244.9.9', dstIP: ip, dstPort: 80, protocol: 'TCP', dstIsLocal: false });
  assert.equal(to('10.96.0.11').kind, 'dnat');

  // An hour after the last full sync, the next sync is full again.
  clock.advance(FULL_SYNC_PERIOD_MS + 1);
  text = proxy.render();
  assert.equal(commentedEndpointRules(text, 'svc-1'), 0);
  assert.equal(text, expectedText(store, clock.now()));

  // Back to 1,000: again only the changed Service is rewritten, now with comments.
  put(store, R.endpointslices, slice('bench', 'svc-0-a', 'svc-0', Array.from({ length: 10 }, (_, k) => `10.244.0.${k + 2}`)));
  text = proxy.render();
  assert.equal(commentedEndpointRules(text, 'svc-0'), 20);
  assert.equal(commentedEndpointRules(text, 'svc-1'), 0);
  proxy.stop();
});
