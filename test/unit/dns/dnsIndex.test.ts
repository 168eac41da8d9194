// The DNS index follows the store event by event: answers change as soon as a Service,
// EndpointSlice, pod or namespace is added, modified or deleted, without re-listing anything.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { R } from '../../../emulator/src/api/resources';
import type { EndpointSlice, KubeObject, Pod, Service } from '../../../emulator/src/api/types';
import { DnsIndex } from '../../../emulator/src/dns/dnsIndex';
import type { StoreEvent } from '../../../emulator/src/store/store';
import { clusterIP, dig, dnsWorld, endpoint, namespace, rr, slice, soa, type DnsWorld } from './dnsFixtures';

function answer(w: DnsWorld, q: string, options = {}): string[] {
  const r = dig(w.index, q, options);
  return r.rcode === 'NOERROR' ? r.answer : [r.rcode];
}

function get<T extends KubeObject>(w: DnsWorld, resource: string, ns: string, name: string): T {
  const obj = w.store.get(resource, ns, name);
  assert.ok(obj, `${resource} ${ns}/${name}`);
  return structuredClone(obj) as T;
}

test('a modified Service is answered from its new spec, and its old IP no longer reverses to it', () => {
  const w = dnsWorld();
  const web = get<Service>(w, R.services, 'default', 'web');
  w.store.update(R.services, { ...web, spec: { ...web.spec, ports: [...(web.spec.ports ?? []), { name: 'https', port: 443, protocol: 'TCP' }] } });
  assert.deepEqual(answer(w, '_https._tcp.web.default.svc.cluster.local. SRV'), [
    rr('_https._tcp.web.default.svc.cluster.local. 30 IN SRV 0 100 443 web.default.svc.cluster.local.'),
  ]);

  const now = get<Service>(w, R.services, 'default', 'web');
  w.store.update(R.services, { ...now, spec: { type: 'ExternalName', externalName: 'web.example.org' } });
  assert.deepEqual(answer(w, 'web.default.svc.cluster.local. A'), [rr('web.default.svc.cluster.local. 30 IN CNAME web.example.org.')]);
  assert.deepEqual(answer(w, '20.0.96.10.in-addr.arpa. PTR'), ['NXDOMAIN']);
});

test('a deleted Service is NXDOMAIN for every name it had, and its IPs no longer reverse', () => {
  const w = dnsWorld();
  w.store.delete(R.services, 'default', 'web');
  assert.deepEqual(answer(w, 'web.default.svc.cluster.local. A'), ['NXDOMAIN']);
  assert.deepEqual(answer(w, '_http._tcp.web.default.svc.cluster.local. SRV'), ['NXDOMAIN']);
  assert.deepEqual(answer(w, '20.0.96.10.in-addr.arpa. PTR'), ['NXDOMAIN']);
  // Its slice still exists (the controller deletes it later) and still names the endpoint.
  assert.deepEqual(answer(w, '2.0.244.10.in-addr.arpa. PTR'), [
    rr('2.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-2.hdls.default.svc.cluster.local.'),
    rr('2.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-2.web.default.svc.cluster.local.'),
  ]);
  w.store.delete(R.endpointslices, 'default', 'web-abcde');
  assert.deepEqual(answer(w, '2.0.244.10.in-addr.arpa. PTR'), [rr('2.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-2.hdls.default.svc.cluster.local.')]);
});

test('endpoints that turn ready or unready move in and out of a headless answer and of PTR', () => {
  const w = dnsWorld();
  const s = get<EndpointSlice>(w, R.endpointslices, 'default', 'hdls-v4');
  w.store.update(R.endpointslices, {
    ...s,
    endpoints: [endpoint('10.244.0.2', { conditions: { ready: false } }), endpoint('10.244.0.5', { conditions: { ready: true } })],
  });
  assert.deepEqual(answer(w, 'hdls.default.svc.cluster.local. A'), [rr('hdls.default.svc.cluster.local. 30 IN A 10.244.0.5')]);
  assert.deepEqual(answer(w, '5.0.244.10.in-addr.arpa. PTR'), [rr('5.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-5.hdls.default.svc.cluster.local.')]);
  assert.deepEqual(answer(w, '4.0.244.10.in-addr.arpa. PTR'), ['NXDOMAIN']);
  assert.deepEqual(answer(w, '2.0.244.10.in-addr.arpa. PTR'), [rr('2.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-2.web.default.svc.cluster.local.')]);

  w.store.delete(R.endpointslices, 'default', 'hdls-v4');
  w.store.delete(R.endpointslices, 'default', 'hdls-v6');
  assert.deepEqual(answer(w, 'hdls.default.svc.cluster.local. A'), ['NXDOMAIN']);
  assert.deepEqual(answer(w, '5.0.244.10.in-addr.arpa. PTR'), ['NXDOMAIN']);
});

test('a slice relabelled to another Service moves its endpoints there', () => {
  const w = dnsWorld();
  w.store.create(R.services, clusterIP('default', 'other', ['10.96.0.50'], [{ name: 'http', port: 80, protocol: 'TCP' }]));
  const s = get<EndpointSlice>(w, R.endpointslices, 'default', 'portless-x');
  w.store.update(R.endpointslices, { ...s, metadata: { ...s.metadata, labels: { 'kubernetes.io/service-name': 'other' } } });
  assert.deepEqual(answer(w, 'portless.default.svc.cluster.local. A'), ['NXDOMAIN']);
  assert.deepEqual(answer(w, '10-244-0-20.other.default.svc.cluster.local. A'), [rr('10-244-0-20.other.default.svc.cluster.local. 30 IN A 10.244.0.20')]);
});

test('namespaces come and go, and with them the names below them', () => {
  const w = dnsWorld();
  assert.deepEqual(answer(w, '10-1-2-3.team.pod.cluster.local. A'), ['NXDOMAIN']);
  w.store.create(R.namespaces, namespace('team'));
  assert.deepEqual(answer(w, 'team.svc.cluster.local. A'), []);
  assert.deepEqual(answer(w, '10-1-2-3.team.pod.cluster.local. A'), [rr('10-1-2-3.team.pod.cluster.local. 30 IN A 10.1.2.3')]);
  w.store.delete(R.namespaces, '', 'team');
  assert.deepEqual(answer(w, 'team.svc.cluster.local. A'), ['NXDOMAIN']);
});

test('a terminating or deleted pod stops vouching for its IP in `pods verified` mode', () => {
  const w = dnsWorld();
  const verified = { podMode: 'verified' as const };
  assert.deepEqual(answer(w, '10-244-0-4.default.pod.cluster.local. A', verified), [rr('10-244-0-4.default.pod.cluster.local. 30 IN A 10.244.0.4')]);
  const p = get<Pod>(w, R.pods, 'default', 'web-0');
  w.store.update(R.pods, { ...p, metadata: { ...p.metadata, deletionTimestamp: '2026-11-26T08:00:05Z' } });
  assert.deepEqual(answer(w, '10-244-0-4.default.pod.cluster.local. A', verified), ['NXDOMAIN']);
  w.store.update(R.pods, { ...p, status: { ...p.status, podIP: '10.244.0.8' } });
  assert.deepEqual(answer(w, '10-244-0-8.default.pod.cluster.local. A', verified), [rr('10-244-0-8.default.pod.cluster.local. 30 IN A 10.244.0.8')]);
  w.store.delete(R.pods, 'default', 'web-0');
  assert.deepEqual(answer(w, '10-244-0-8.default.pod.cluster.local. A', verified), ['NXDOMAIN']);
});

test('the SOA serial is the clock time of the last change DNS cares about', () => {
  const w = dnsWorld();
  const start = w.serial();
  assert.equal(start, Math.floor(w.clock.now() / 1000));
  w.clock.advance(60_000);
  w.store.create(R.events, { apiVersion: 'v1', kind: 'Event', metadata: { name: 'e', namespace: 'default' } });
  assert.equal(w.serial(), start);
  w.store.delete(R.services, 'default', 'empty');
  assert.equal(w.serial(), start + 60);
  assert.deepEqual(dig(w.index, 'empty.default.svc.cluster.local. A').authority, [soa(start + 60)]);
});

test('the generation (which cached answers follow) and the serial move only when what DNS sees changes', () => {
  const w = dnsWorld();
  const state = () => [w.index.generation(), w.serial()];
  w.clock.advance(60_000);
  const start = state();

  const p = get<Pod>(w, R.pods, 'default', 'web-0');
  w.store.update(R.pods, { ...p, status: { ...p.status, conditions: [{ type: 'Ready', status: 'True' }] } });
  const s = get<EndpointSlice>(w, R.endpointslices, 'default', 'hdls-v4');
  w.store.update(R.endpointslices, { ...s, metadata: { ...s.metadata, annotations: { note: 'no DNS change' } } });
  const svc = get<Service>(w, R.services, 'default', 'web');
  w.store.update(R.services, { ...svc, metadata: { ...svc.metadata, labels: { tier: 'front' } } });
  w.store.create(R.events, { apiVersion: 'v1', kind: 'Event', metadata: { name: 'e', namespace: 'default' } });
  assert.deepEqual(state(), start);

  w.store.update(R.pods, { ...p, status: { ...p.status, podIP: '10.244.0.9' } });
  assert.deepEqual(state(), [(start[0] ?? 0) + 1, (start[1] ?? 0) + 60]);
  w.store.update(R.endpointslices, { ...s, endpoints: (s.endpoints ?? []).slice(1) });
  w.store.update(R.services, { ...svc, spec: { ...svc.spec, ports: [{ name: 'http', port: 81, protocol: 'TCP' }] } });
  assert.equal(w.index.generation(), (start[0] ?? 0) + 3);
  w.store.create(R.namespaces, namespace('team'));
  assert.equal(w.index.generation(), (start[0] ?? 0) + 4);
  assert.equal(w.serial(), (start[1] ?? 0) + 60, 'namespaces are not part of the serial');
});

test('after the first list, the index never lists again: each event updates it in place', () => {
  const w = dnsWorld();
  let lists = 0;
  const source = {
    list(resource: string, ns?: string): KubeObject[] {
      lists++;
      return w.store.list(resource, ns);
    },
    subscribe: (l: (e: StoreEvent) => void) => w.store.subscribe(l),
  };
  const index = new DnsIndex(source, { clock: w.clock });
  const afterStart = lists;
  for (let i = 0; i < 50; i++) {
    w.store.create(R.services, clusterIP('default', `svc-${i}`, [`10.96.1.${i}`], [{ name: 'http', port: 80, protocol: 'TCP' }]));
    w.store.create(R.endpointslices, slice('default', `svc-${i}-x`, `svc-${i}`, [endpoint(`10.244.1.${i}`)], [{ name: 'http', port: 80, protocol: 'TCP' }]));
  }
  assert.equal(lists, afterStart);
  assert.deepEqual(dig(index, 'svc-49.default.svc.cluster.local. A').answer, [rr('svc-49.default.svc.cluster.local. 30 IN A 10.96.1.49')]);
  assert.deepEqual(dig(index, '49.1.244.10.in-addr.arpa. PTR').answer, [rr('49.1.244.10.in-addr.arpa. 30 IN PTR 10-244-1-49.svc-49.default.svc.cluster.local.')]);
  index.close();
  w.store.delete(R.services, 'default', 'svc-49');
  assert.equal(dig(index, 'svc-49.default.svc.cluster.local. A').rcode, 'NOERROR', 'a closed index no longer follows the store');
});
