// The lesson's path through the whole controller set, on the fake clock: Deployment →
// ReplicaSet → pods → Endpoints and EndpointSlices, self-healing, scaling, a rolling update,
// and cleanup by the garbage collector.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { R } from '../../../emulator/src/api/resources';
import type { Deployment, Endpoints, EndpointSlice, Pod, ReplicaSet } from '../../../emulator/src/api/types';
import { isPodReady } from '../../../emulator/src/controllers/podState';
import { deployment, get, messages, podIPs, pods, runningCluster, service } from './controllerFixtures';

const HASH = /^[4-9bcdf]{1,10}$/;

function slicesOf(c: ReturnType<typeof runningCluster>, svc: string): EndpointSlice[] {
  return c.client.list<EndpointSlice>(R.endpointslices, 'default').filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === svc);
}

function readyIPs(c: ReturnType<typeof runningCluster>, svc: string): string[] {
  const ep = c.client.get<Endpoints>(R.endpoints, 'default', svc);
  return (ep?.subsets ?? []).flatMap((s) => (s.addresses ?? []).map((a) => a.ip));
}

test('a Deployment of 3 becomes one ReplicaSet and 3 pods that run, get IPs and turn ready after the delay', () => {
  const c = runningCluster();
  c.client.create(R.deployments, deployment('web', 3));
  c.ctl.drain();

  const rss = c.client.list<ReplicaSet>(R.replicasets, 'default');
  assert.equal(rss.length, 1);
  const rs = rss[0];
  const hash = rs.metadata.labels?.['pod-template-hash'] ?? '';
  assert.match(hash, HASH);
  assert.equal(rs.metadata.name, `web-${hash}`);

  const ps = pods(c);
  assert.equal(ps.length, 3);
  for (const p of ps) {
    assert.match(p.metadata.name ?? '', new RegExp(`^web-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
    assert.equal(p.status?.phase, 'Running');
    assert.equal(p.spec.nodeName, 'ksl');
    assert.equal(isPodReady(p), false);
  }
  assert.deepEqual(podIPs(c), ['10.244.0.2', '10.244.0.3', '10.244.0.4']);
  assert.deepEqual(messages(c, 'ScalingReplicaSet'), [`Scaled up replica set web-${hash} from 0 to 3`]);

  c.tick(1000);
  assert.ok(pods(c).every(isPodReady));
  const d = get<Deployment>(c, R.deployments, 'web');
  assert.equal(d.status?.readyReplicas, 3);
  assert.equal(d.status?.availableReplicas, 3);
  assert.equal(d.status?.updatedReplicas, 3);
  assert.equal(d.status?.observedGeneration, 1);
  assert.deepEqual(
    d.status?.conditions?.map((x) => [x.type, x.status, x.reason, x.message]),
    [
      ['Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'],
      ['Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "web-${hash}" has successfully progressed.`],
    ],
  );
});

test('the Service lists the ready IPs in Endpoints and in one EndpointSlice', () => {
  const c = runningCluster();
  c.client.create(R.deployments, deployment('web', 3));
  c.client.create(R.services, service('web', { app: 'web' }));
  c.tick(1000);

  assert.deepEqual(readyIPs(c, 'web'), ['10.244.0.2', '10.244.0.3', '10.244.0.4']);
  const slices = slicesOf(c, 'web');
  assert.equal(slices.length, 1);
  assert.deepEqual(
    slices[0].endpoints.map((e) => [e.addresses[0], e.conditions]),
    [
      ['10.244.0.2', { ready: true, serving: true, terminating: false }],
      ['10.244.0.3', { ready: true, serving: true, terminating: false }],
      ['10.244.0.4', { ready: true, serving: true, terminating: false }],
    ].sort(),
  );
  assert.deepEqual(slices[0].ports, [{ name: '', port: 80, protocol: 'TCP' }]);
});

test('a deleted pod terminates, is replaced by a pod with a new IP, and the endpoints follow', () => {
  const c = runningCluster();
  c.client.create(R.deployments, deployment('web', 3));
  c.client.create(R.services, service('web', { app: 'web' }));
  c.tick(1000);
  const victim = pods(c).find((p) => p.status?.podIP === '10.244.0.3') as Pod;

  c.client.delete(R.pods, 'default', victim.metadata.name ?? '');
  c.ctl.drain();
  const terminating = get<Pod>(c, R.pods, victim.metadata.name ?? '');
  assert.ok(terminating.metadata.deletionTimestamp);
  assert.equal(pods(c).length, 4, 'the replacement is created while the old pod terminates');
  assert.deepEqual(readyIPs(c, 'web'), ['10.244.0.2', '10.244.0.4']);
  const slice = slicesOf(c, 'web')[0];
  const old = slice.endpoints.find((e) => e.addresses[0] === '10.244.0.3');
  assert.deepEqual(old?.conditions, { ready: false, serving: true, terminating: true });

  c.tick(1000);
  assert.equal(c.client.get(R.pods, 'default', victim.metadata.name ?? ''), undefined);
  assert.deepEqual(readyIPs(c, 'web'), ['10.244.0.2', '10.244.0.4', '10.244.0.5']);
  assert.ok(messages(c, 'Killing').includes('Stopping container nginx'));
});

test('scaling 3 → 5 → 2 creates and then deletes pods, and the endpoints match', () => {
  const c = runningCluster();
  c.client.create(R.deployments, deployment('web', 3));
  c.client.create(R.services, service('web', { app: 'web' }));
  c.tick(1000);

  const scale = (n: number) => {
    const d = structuredClone(get<Deployment>(c, R.deployments, 'web'));
    d.spec.replicas = n;
    c.client.update(R.deployments, d);
    c.tick(2000);
  };
  scale(5);
  assert.equal(pods(c).length, 5);
  assert.equal(readyIPs(c, 'web').length, 5);
  scale(2);
  assert.equal(pods(c).length, 2);
  assert.equal(readyIPs(c, 'web').length, 2);
  const rs = c.client.list<ReplicaSet>(R.replicasets, 'default');
  assert.equal(rs.length, 1);
  assert.equal(rs[0].spec.replicas, 2);
  assert.equal(rs[0].metadata.annotations?.['deployment.kubernetes.io/desired-replicas'], '2');
  const name = rs[0].metadata.name;
  assert.deepEqual(messages(c, 'ScalingReplicaSet'), [
    `Scaled up replica set ${name} from 0 to 3`,
    `Scaled up replica set ${name} from 3 to 5`,
    `Scaled down replica set ${name} from 5 to 2`,
  ]);
});

test('a rolling update to a new image never has fewer than replicas-maxUnavailable available pods', () => {
  const c = runningCluster();
  c.client.create(R.deployments, deployment('web', 4));
  c.tick(1000);
  let minAvailable = Infinity;
  let maxReplicas = 0;
  const unsubscribe = c.client.subscribe(() => {
    const ready = pods(c).filter((p) => isPodReady(p) && !p.metadata.deletionTimestamp).length;
    minAvailable = Math.min(minAvailable, ready);
    const total = c.client.list<ReplicaSet>(R.replicasets, 'default').reduce((n, r) => n + (r.spec.replicas ?? 0), 0);
    maxReplicas = Math.max(maxReplicas, total);
  });

  const d = structuredClone(get<Deployment>(c, R.deployments, 'web'));
  d.spec.template.spec.containers[0].image = 'nginx:1.28';
  c.client.update(R.deployments, d);
  c.tick(10_000);
  unsubscribe();

  // 4 replicas with 25%/25%: surge 1, unavailable 1. The controller bounds the ReplicaSets'
  // sizes; the pods follow as each ReplicaSet controller catches up.
  assert.equal(minAvailable, 3);
  assert.equal(maxReplicas, 5);
  const rss = c.client.list<ReplicaSet>(R.replicasets, 'default');
  assert.equal(rss.length, 2);
  const [newRS] = rss.filter((r) => r.spec.template?.spec.containers[0].image === 'nginx:1.28');
  const [oldRS] = rss.filter((r) => r !== newRS);
  assert.equal(newRS.spec.replicas, 4);
  assert.equal(oldRS.spec.replicas, 0);
  assert.equal(newRS.metadata.annotations?.['deployment.kubernetes.io/revision'], '2');
  assert.equal(get<Deployment>(c, R.deployments, 'web').metadata.annotations?.['deployment.kubernetes.io/revision'], '2');
  assert.ok(pods(c).every((p) => p.spec.containers[0].image === 'nginx:1.28' && isPodReady(p)));
  assert.equal(pods(c).length, 4);
});

test('deleting the Deployment garbage-collects its ReplicaSet and pods', () => {
  const c = runningCluster();
  c.client.create(R.deployments, deployment('web', 2));
  c.tick(1000);
  c.client.delete(R.deployments, 'default', 'web');
  c.tick(1000);
  assert.deepEqual(c.client.list(R.replicasets, 'default'), []);
  assert.deepEqual(pods(c), []);
});

test('deleting a Service removes its Endpoints and EndpointSlices', () => {
  const c = runningCluster();
  c.client.create(R.deployments, deployment('web', 1));
  c.client.create(R.services, service('web', { app: 'web' }));
  c.tick(1000);
  c.client.delete(R.services, 'default', 'web');
  c.ctl.drain();
  assert.equal(c.client.get(R.endpoints, 'default', 'web'), undefined);
  assert.deepEqual(slicesOf(c, 'web'), []);
});

test('the readiness annotation moves a pod to notReadyAddresses and back', () => {
  const c = runningCluster();
  c.client.create(R.deployments, deployment('web', 2));
  c.client.create(R.services, service('web', { app: 'web' }));
  c.tick(1000);
  const p = structuredClone(pods(c)[0]);
  p.metadata.annotations = { 'kube-service-lab.dev/readiness': 'fail' };
  c.client.update(R.pods, p);
  c.ctl.drain();

  const ep = get<Endpoints>(c, R.endpoints, 'web');
  assert.deepEqual(ep.subsets?.[0].notReadyAddresses?.map((a) => a.ip), [p.status?.podIP]);
  const sliceEp = slicesOf(c, 'web')[0].endpoints.find((e) => e.addresses[0] === p.status?.podIP);
  assert.deepEqual(sliceEp?.conditions, { ready: false, serving: false, terminating: false });

  const back = structuredClone(get<Pod>(c, R.pods, p.metadata.name ?? ''));
  delete back.metadata.annotations;
  c.client.update(R.pods, back);
  c.ctl.drain();
  assert.equal(readyIPs(c, 'web').length, 1, 'not ready again until the delay has passed');
  c.tick(1000);
  assert.equal(readyIPs(c, 'web').length, 2);
});

test('LoadBalancer Services stay pending without the tunnel and get 127.0.0.1 with it', () => {
  const off = runningCluster();
  off.client.create(R.services, service('lb', { app: 'lb' }, { type: 'LoadBalancer' }));
  off.ctl.drain();
  assert.deepEqual(get<{ metadata: object; status?: unknown }>(off, R.services, 'lb').status, { loadBalancer: {} });

  const on = runningCluster({ tunnel: true });
  on.client.create(R.services, service('lb', { app: 'lb' }, { type: 'LoadBalancer' }));
  on.ctl.drain();
  const svc = get<{ metadata: object; status?: { loadBalancer?: unknown } }>(on, R.services, 'lb');
  assert.deepEqual(svc.status?.loadBalancer, { ingress: [{ ip: '127.0.0.1', ipMode: 'VIP' }] });

  const cluster = structuredClone(get<import('../../../emulator/src/api/types').Service>(on, R.services, 'lb'));
  cluster.spec.type = 'ClusterIP';
  for (const port of cluster.spec.ports ?? []) delete port.nodePort;
  delete cluster.spec.externalTrafficPolicy;
  delete cluster.spec.allocateLoadBalancerNodePorts;
  on.client.update(R.services, cluster);
  on.ctl.drain();
  assert.deepEqual(get<{ metadata: object; status?: { loadBalancer?: unknown } }>(on, R.services, 'lb').status?.loadBalancer, {});
});
