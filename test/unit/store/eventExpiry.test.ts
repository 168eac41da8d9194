// Events expire like kube-apiserver's (--event-ttl, one hour): each write starts the hour again,
// and an expired Event is deleted with a DELETED watch event. The clock is a FakeClock, so
// time moves only when the test says.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { R } from '../../../emulator/src/api/resources';
import type { Event, KubeObject } from '../../../emulator/src/api/types';
import { EVENT_TTL_MS, EventRecorder, eventExpiry } from '../../../emulator/src/controllers/events';
import { GarbageCollector } from '../../../emulator/src/controllers/garbageCollector';
import { testCluster, type TestCluster } from '../helpers/testCluster';

const MINUTE = 60_000;

const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1', namespace: 'default', uid: 'p-1', resourceVersion: '3' } };

function kubelet(c: TestCluster): EventRecorder {
  return new EventRecorder({ client: c.client, clock: c.clock, source: { component: 'kubelet', host: 'ksl' } });
}

const events = (c: TestCluster): Event[] => c.client.list<Event>(R.events, 'default');

test('an Event is deleted an hour after it was written, and watchers see it go', () => {
  const c = testCluster();
  const expiry = eventExpiry(c.client, c.clock);
  expiry.start();
  const deleted: string[] = [];
  c.store.subscribe((e) => {
    if (e.resource === R.events && e.type === 'DELETED') deleted.push(e.object.metadata.name ?? '');
  });
  kubelet(c).normal(pod, 'Pulled', 'Container image "nginx:1.27" already present on machine');
  const [event] = events(c);
  c.clock.advance(EVENT_TTL_MS - 1000);
  assert.equal(events(c).length, 1);
  c.clock.advance(1000);
  assert.deepEqual(events(c), []);
  assert.deepEqual(deleted, [event?.metadata.name]);
  expiry.stop();
});

test('an Event counted again lives on for an hour from its last count', () => {
  const c = testCluster();
  const expiry = eventExpiry(c.client, c.clock);
  expiry.start();
  const rec = kubelet(c);
  rec.warning(pod, 'BackOff', 'Back-off restarting failed container');
  c.clock.advance(40 * MINUTE);
  rec.warning(pod, 'BackOff', 'Back-off restarting failed container');
  c.clock.advance(40 * MINUTE);
  assert.equal(events(c)[0]?.count, 2, 'still there 80 minutes after it was first written');
  c.clock.advance(20 * MINUTE);
  assert.deepEqual(events(c), []);

  // The recorder's aggregation forgets it too: the next occurrence starts a new Event.
  rec.warning(pod, 'BackOff', 'Back-off restarting failed container');
  assert.equal(events(c)[0]?.count, 1);
  expiry.stop();
});

test('Events found at start (restored from disk) expire an hour after their own last timestamp', () => {
  const c = testCluster();
  const rec = kubelet(c);
  rec.normal(pod, 'Pulled', 'seventy minutes ago');
  c.clock.advance(20 * MINUTE);
  rec.normal(pod, 'Started', 'fifty minutes ago');
  c.clock.advance(50 * MINUTE);
  const expiry = eventExpiry(c.client, c.clock);
  expiry.start();
  c.clock.advance(0);
  assert.deepEqual(events(c).map((e) => e.message), ['fifty minutes ago']);
  c.clock.advance(10 * MINUTE - 1000);
  assert.equal(events(c).length, 1);
  c.clock.advance(1000);
  assert.deepEqual(events(c), []);
  expiry.stop();
});

test('one timer waits, however many Events there are, and stop() leaves them alone', () => {
  const c = testCluster();
  const expiry = eventExpiry(c.client, c.clock);
  expiry.start();
  const rec = kubelet(c);
  for (let i = 0; i < 1000; i++) {
    rec.normal({ ...pod, metadata: { ...pod.metadata, name: `web-${i}`, uid: `p-${i}` } }, 'Scheduled', `assigned web-${i}`);
    if (i % 100 === 0) c.clock.advance(1000);
  }
  assert.equal(c.clock.pending, 1);
  assert.equal(expiry.tracked, 1000);
  expiry.stop();
  assert.equal(c.clock.pending, 0);
  c.clock.advance(2 * EVENT_TTL_MS);
  assert.equal(events(c).length, 1000);
});

test('the garbage collector runs the Events\' TTL while it runs', () => {
  const c = testCluster();
  const gc = new GarbageCollector({ client: c.client, clock: c.clock, schedule: null });
  gc.start();
  kubelet(c).normal(pod, 'Started', 'Started container web');
  c.clock.advance(EVENT_TTL_MS);
  assert.deepEqual(events(c), []);
  gc.stop();
  kubelet(c).normal(pod, 'Started', 'Started container web again');
  c.clock.advance(EVENT_TTL_MS);
  assert.equal(events(c).length, 1, 'a stopped collector expires nothing');
});

test('a key counted recently is still aggregated after 4096 newer keys (the correlator is an LRU)', () => {
  const c = testCluster();
  const rec = kubelet(c);
  rec.normal(pod, 'Pulled', 'kept warm');
  for (let i = 0; i < 4200; i++) {
    rec.normal(pod, 'Created', `distinct ${i}`);
    if (i % 1000 === 0) rec.normal(pod, 'Pulled', 'kept warm');
  }
  rec.normal(pod, 'Pulled', 'kept warm');
  const warm = events(c).filter((e) => e.message === 'kept warm');
  assert.equal(warm.length, 1);
  assert.equal(warm[0]?.count, 7);
});
