import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventRecorder } from '../../../emulator/src/controllers/events';
import { R } from '../../../emulator/src/api/resources';
import type { Event, KubeObject } from '../../../emulator/src/api/types';
import { testCluster } from '../helpers/testCluster';

const deploy: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', uid: 'd-1', resourceVersion: '7' },
};

test('an event names the object, its source and the time, as client-go writes it', () => {
  const c = testCluster();
  const rec = new EventRecorder({ client: c.client, clock: c.clock, source: { component: 'deployment-controller' } });
  rec.normal(deploy, 'ScalingReplicaSet', 'Scaled up replica set web-775855699b from 0 to 3');
  const [e] = c.client.list<Event>(R.events, 'default');
  assert.match(e.metadata.name ?? '', /^web\.[0-9a-f]{16}$/);
  assert.deepEqual(e.involvedObject, { kind: 'Deployment', namespace: 'default', name: 'web', uid: 'd-1', apiVersion: 'apps/v1', resourceVersion: '7' });
  assert.equal(e.type, 'Normal');
  assert.deepEqual(e.source, { component: 'deployment-controller' });
  assert.equal(e.firstTimestamp, '2026-11-26T08:00:00Z');
  assert.equal(e.count, 1);
  assert.equal(e.reportingComponent, 'deployment-controller');
});

test('identical events are counted in one Event instead of piling up', () => {
  const c = testCluster();
  const rec = new EventRecorder({ client: c.client, clock: c.clock, source: { component: 'kubelet', host: 'ksl' } });
  rec.normal(deploy, 'Pulled', 'same');
  c.clock.advance(5000);
  rec.normal(deploy, 'Pulled', 'same');
  rec.normal(deploy, 'Pulled', 'different');
  const events = c.client.list<Event>(R.events, 'default');
  assert.equal(events.length, 2);
  const same = events.find((e) => e.message === 'same') as Event;
  assert.equal(same.count, 2);
  assert.equal(same.firstTimestamp, '2026-11-26T08:00:00Z');
  assert.equal(same.lastTimestamp, '2026-11-26T08:00:05Z');
});

test('events of cluster-scoped objects go to default, and a failed write is dropped quietly', () => {
  const c = testCluster();
  const logs: string[] = [];
  const rec = new EventRecorder({ client: c.client, clock: c.clock, source: { component: 'x' }, log: (m) => logs.push(m) });
  rec.normal({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'ksl', uid: 'n' } }, 'Starting', 'hi');
  assert.equal(c.client.list<Event>(R.events, 'default').length, 1);
  rec.normal({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'missing' } }, 'R', 'm');
  assert.equal(logs.length, 1);
});
