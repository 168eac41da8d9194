// KubeProxy against a live store: rules follow Services and EndpointSlices as they change,
// only the Service an event concerns is recomputed, and ClientIP affinity outlives resyncs.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { R } from '../../../emulator/src/api/resources';
import type { EndpointSlice, KubeObject, Pod, Service } from '../../../emulator/src/api/types';
import { FakeClock } from '../../../emulator/src/clock';
import { KubeProxy, type ProxySource } from '../../../emulator/src/proxy/kubeProxy';
import { Store, type StoreEvent } from '../../../emulator/src/store/store';
import { deployment, pods, runningCluster, service } from '../controllers/controllerFixtures';

function dnatLines(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => l.includes('-j DNAT'))
    .map((l) => /--to-destination (\S+)/.exec(l)?.[1] ?? '')
    .sort();
}

test('a deleted pod leaves the rules as soon as its endpoint stops being ready, and its replacement joins', () => {
  const c = runningCluster();
  c.client.create(R.deployments, deployment('web', 3));
  c.client.create(R.services, service('web', { app: 'web' }));
  c.tick(1000);
  const proxy = new KubeProxy({ source: c.store, clock: c.clock, rand: () => 0.5 });
  let changes = 0;
  proxy.onChange(() => changes++);
  assert.deepEqual(dnatLines(proxy.render()), ['10.244.0.2:80', '10.244.0.3:80', '10.244.0.4:80']);

  const victim = pods(c).find((p) => p.status?.podIP === '10.244.0.3') as Pod;
  c.client.delete(R.pods, 'default', victim.metadata.name ?? '');
  c.ctl.drain();
  assert.ok(changes > 0, 'the slice update announced a change');
  assert.deepEqual(dnatLines(proxy.render()), ['10.244.0.2:80', '10.244.0.4:80']);
  for (let i = 0; i < 20; i++) {
    const v = proxy.route({ srcIP: '127.0.0.1', dstIP: c.client.get<Service>(R.services, 'default', 'web')?.spec.clusterIP ?? '', dstPort: 80, protocol: 'TCP', dstIsLocal: false });
    assert.ok(v.kind === 'dnat' && v.ip !== '10.244.0.3', JSON.stringify(v));
  }

  c.tick(1000);
  assert.deepEqual(dnatLines(proxy.render()), ['10.244.0.2:80', '10.244.0.4:80', '10.244.0.5:80']);
  proxy.stop();
});

function svc(name: string, clusterIP: string, extra: Partial<Service['spec']> = {}): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: name === 'other' ? 'other' : 'default', uid: `uid-${name}` },
    spec: { type: 'ClusterIP', clusterIP, clusterIPs: [clusterIP], ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }], ...extra },
  };
}

function slice(service: Service, ips: string[]): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${service.metadata.name}-abcde`, namespace: service.metadata.namespace, labels: { 'kubernetes.io/service-name': service.metadata.name ?? '' } },
    addressType: 'IPv4',
    endpoints: ips.map((ip) => ({ addresses: [ip], conditions: { ready: true }, nodeName: 'ksl' })),
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  };
}

function setSlice(store: Store, s: EndpointSlice): void {
  const existing = store.get(R.endpointslices, s.metadata.namespace ?? '', s.metadata.name ?? '');
  if (existing) store.update(R.endpointslices, { ...s, metadata: { ...s.metadata, resourceVersion: existing.metadata.resourceVersion } });
  else store.create(R.endpointslices, s);
}

/** A source that records every list kube-proxy asks the store for. */
function countingSource(store: Store): { source: ProxySource; lists: string[] } {
  const lists: string[] = [];
  return {
    lists,
    source: {
      list(resource: string, namespace?: string): readonly KubeObject[] {
        lists.push(`${resource}${namespace === undefined ? '' : `/${namespace}`}`);
        return store.list(resource, namespace);
      },
      subscribe: (listener: (e: StoreEvent) => void) => store.subscribe(listener),
    },
  };
}

test('an event recomputes only its own Service, and the model is rebuilt only when read', () => {
  const store = new Store();
  const web = svc('web', '10.96.0.20');
  const other = svc('other', '10.96.0.21');
  store.create(R.services, web);
  store.create(R.services, other);
  store.create(R.endpointslices, slice(web, ['10.244.0.5']));
  store.create(R.endpointslices, slice(other, ['10.244.0.6']));
  const { source, lists } = countingSource(store);
  const proxy = new KubeProxy({ source, clock: new FakeClock() });
  let changes = 0;
  const changed: string[][] = [];
  proxy.onChange((services) => {
    changes++;
    changed.push([...services]);
  });
  const first = proxy.rules();
  assert.equal(proxy.rules(), first, 'reading twice without a change reuses the model');

  lists.length = 0;
  setSlice(store, slice(web, ['10.244.0.5', '10.244.0.7']));
  assert.deepEqual(lists, [], 'the store is not listed again: events carry what changed');
  assert.deepEqual(changed, [['default/web']], 'the change names the one Service it concerns');
  assert.equal(changes, 1);
  const second = proxy.rules();
  assert.notEqual(second, first);
  assert.deepEqual(dnatLines(proxy.render()), ['10.244.0.5:8080', '10.244.0.6:8080', '10.244.0.7:8080']);

  // Events that change nothing kube-proxy uses leave the model and the listeners alone.
  store.create(R.pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [] } } as Pod);
  const relabelled = slice(web, ['10.244.0.5', '10.244.0.7']);
  relabelled.metadata.annotations = { note: 'unrelated' };
  setSlice(store, relabelled);
  assert.equal(changes, 1);
  assert.equal(proxy.rules(), second);

  store.delete(R.services, 'default', 'web');
  assert.equal(changes, 2);
  assert.deepEqual(dnatLines(proxy.render()), ['10.244.0.6:8080']);

  proxy.stop();
  store.delete(R.services, 'other', 'other');
  assert.equal(changes, 2, 'a stopped proxy hears nothing');
});

test('ClientIP affinity survives a resync that keeps the endpoint, and ends when the endpoint goes', () => {
  const store = new Store();
  const sticky = svc('sticky', '10.96.0.30', { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } } });
  store.create(R.services, sticky);
  store.create(R.endpointslices, slice(sticky, ['10.244.0.11', '10.244.0.12']));
  let next = 0.1;
  const proxy = new KubeProxy({ source: store, clock: new FakeClock(), rand: () => next });
  const connect = () => {
    const v = proxy.route({ srcIP: '10.244.0.99', dstIP: '10.96.0.30', dstPort: 80, protocol: 'TCP', dstIsLocal: false });
    return v.kind === 'dnat' ? v.ip : v.kind;
  };
  assert.equal(connect(), '10.244.0.11');
  next = 0.99;
  setSlice(store, slice(sticky, ['10.244.0.11', '10.244.0.12', '10.244.0.13']));
  assert.equal(connect(), '10.244.0.11', 'the new rules still find the client in the old list');

  setSlice(store, slice(sticky, ['10.244.0.12', '10.244.0.13']));
  assert.equal(connect(), '10.244.0.13');
  setSlice(store, slice(sticky, ['10.244.0.11', '10.244.0.12', '10.244.0.13']));
  next = 0.1;
  assert.equal(connect(), '10.244.0.13', 'the client is now pinned to where it went');
  proxy.stop();
});

test('the defaults are the emulator node: ksl, 127.0.0.1, pod CIDR 10.244.0.0/16', () => {
  const store = new Store();
  const web = svc('web', '10.96.0.40');
  store.create(R.services, web);
  store.create(R.endpointslices, slice(web, ['10.244.0.5']));
  const proxy = new KubeProxy({ source: store, clock: new FakeClock() });
  const text = proxy.render();
  assert.match(text, /^# Generated by iptables-save v1\.8\.9 on Thu Nov 26 08:00:00 2026$/m);
  assert.match(text, /! -s 10\.244\.0\.0\/16 -d 10\.96\.0\.40\/32/);
  assert.equal(proxy.render({ namespace: 'default', name: 'missing' }), '');
  proxy.stop();
});
