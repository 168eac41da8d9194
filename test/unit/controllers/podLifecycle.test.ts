import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeImage, podGracefulDeleter, PodLifecycleController } from '../../../emulator/src/controllers/podLifecycle';
import { R } from '../../../emulator/src/api/resources';
import type { Event, Pod } from '../../../emulator/src/api/types';
import { FakeClock } from '../../../emulator/src/clock';
import { get, strictCluster } from './controllerFixtures';

function nginx(name = 'web'): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] },
  };
}

function setup() {
  const c = strictCluster();
  c.registry.setGracefulDeleter(R.pods, podGracefulDeleter(c.clock));
  const ctl = new PodLifecycleController({ client: c.client, clock: c.clock, schedule: null });
  ctl.start();
  return { ...c, ctl };
}

test('a new pod is bound to the node, then started with an IP, running but not ready', () => {
  const c = setup();
  c.client.create(R.pods, nginx());
  c.ctl.sync('default/web');
  let p = get<Pod>(c, R.pods, 'web');
  assert.equal(p.spec.nodeName, 'ksl');
  assert.equal(p.status?.phase, 'Pending');
  assert.deepEqual(p.status?.conditions?.map((x) => [x.type, x.status]), [['PodScheduled', 'True']]);

  c.ctl.sync('default/web');
  p = get<Pod>(c, R.pods, 'web');
  assert.equal(p.status?.phase, 'Running');
  assert.equal(p.status?.podIP, '10.244.0.2');
  assert.deepEqual(p.status?.podIPs, [{ ip: '10.244.0.2' }]);
  assert.equal(p.status?.hostIP, '127.0.0.1');
  assert.equal(p.status?.startTime, '2026-11-26T08:00:00Z');
  assert.equal(p.status?.qosClass, 'BestEffort');
  assert.deepEqual(
    p.status?.conditions?.map((x) => [x.type, x.status, x.reason, x.message]),
    [
      ['PodReadyToStartContainers', 'True', undefined, undefined],
      ['Initialized', 'True', undefined, undefined],
      ['Ready', 'False', 'ContainersNotReady', 'containers with unready status: [nginx]'],
      ['ContainersReady', 'False', 'ContainersNotReady', 'containers with unready status: [nginx]'],
      ['PodScheduled', 'True', undefined, undefined],
    ],
  );
  const [cs] = p.status?.containerStatuses ?? [];
  assert.equal(cs.image, 'docker.io/library/nginx:1.27');
  assert.match(cs.imageID ?? '', /^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
  assert.match(cs.containerID ?? '', /^containerd:\/\/[0-9a-f]{64}$/);
  assert.deepEqual([cs.ready, cs.started, cs.restartCount, cs.state], [false, true, 0, { running: { startedAt: '2026-11-26T08:00:00Z' } }]);

  const events = c.client.list<Event>(R.events, 'default').map((e) => [e.reason, e.message, e.reportingComponent]);
  assert.deepEqual(events.sort(), [
    ['Created', 'Created container: nginx', 'kubelet'],
    ['Pulled', 'Container image "nginx:1.27" already present on machine', 'kubelet'],
    ['Scheduled', 'Successfully assigned default/web to ksl', 'default-scheduler'],
    ['Started', 'Started container nginx', 'kubelet'],
  ]);
});

test('the pod turns ready after the delay, and not before', () => {
  const c = setup();
  c.client.create(R.pods, nginx());
  c.ctl.drain();
  c.clock.advance(999);
  c.ctl.drain();
  assert.equal(get<Pod>(c, R.pods, 'web').status?.conditions?.find((x) => x.type === 'Ready')?.status, 'False');
  c.clock.advance(1);
  c.ctl.drain();
  const p = get<Pod>(c, R.pods, 'web');
  assert.equal(p.status?.conditions?.find((x) => x.type === 'Ready')?.status, 'True');
  assert.equal(p.status?.conditions?.find((x) => x.type === 'Ready')?.lastTransitionTime, '2026-11-26T08:00:01Z');
  assert.equal(p.status?.containerStatuses?.[0].ready, true);
});

test('a graceful delete makes the pod Terminating; the kubelet removes it and frees its IP', () => {
  const c = setup();
  c.client.create(R.pods, nginx('a'));
  c.ctl.drain();
  c.client.delete(R.pods, 'default', 'a');
  const t = get<Pod>(c, R.pods, 'a');
  assert.equal(t.metadata.deletionTimestamp, '2026-11-26T08:00:30Z');
  assert.equal(t.metadata.deletionGracePeriodSeconds, 30);
  c.ctl.drain();
  c.clock.advance(499);
  c.ctl.drain();
  assert.ok(c.client.get(R.pods, 'default', 'a'));
  c.clock.advance(1);
  c.ctl.drain();
  assert.equal(c.client.get(R.pods, 'default', 'a'), undefined);
  assert.equal(c.ctl.allocator.has('10.244.0.2'), false);
  assert.ok(c.client.list<Event>(R.events, 'default').some((e) => e.reason === 'Killing' && e.message === 'Stopping container nginx'));
});

test('the graceful deleter deletes at once with grace 0, for unscheduled pods and for finished ones', () => {
  const del = podGracefulDeleter(new FakeClock());
  const scheduled: Pod = { ...nginx(), spec: { ...nginx().spec, nodeName: 'ksl', terminationGracePeriodSeconds: 5 } as Pod['spec'] };
  assert.equal(del(nginx(), undefined), undefined);
  assert.equal(del(scheduled, 0), undefined);
  assert.equal(del({ ...scheduled, status: { phase: 'Succeeded' } }, undefined), undefined);
  assert.equal(del(scheduled, undefined)?.metadata.deletionGracePeriodSeconds, 5);
});

test('IPs held by stored pods are taken over at start, and new pods continue after the newest', () => {
  const c = setup();
  c.client.create(R.pods, nginx('a'));
  c.client.create(R.pods, nginx('b'));
  c.ctl.drain();
  c.ctl.stop();
  const again = new PodLifecycleController({ client: c.client, clock: c.clock, schedule: null });
  again.start();
  again.drain();
  assert.ok(again.allocator.has('10.244.0.2') && again.allocator.has('10.244.0.3'));
  c.client.create(R.pods, nginx('c'));
  again.drain();
  assert.equal(get<Pod>(c, R.pods, 'c').status?.podIP, '10.244.0.4');
});

test('image references are normalized as containerd reports them', () => {
  assert.equal(normalizeImage('nginx'), 'docker.io/library/nginx:latest');
  assert.equal(normalizeImage('hashicorp/http-echo:1.0'), 'docker.io/hashicorp/http-echo:1.0');
  assert.equal(normalizeImage('registry.k8s.io/pause:3.10'), 'registry.k8s.io/pause:3.10');
});
