import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkQueue } from '../../../emulator/src/controllers/workqueue';
import { conflict } from '../../../emulator/src/api/errors';
import { mustResource } from '../../../emulator/src/api/resources';
import { FakeClock } from '../../../emulator/src/clock';

function queue(process: (key: string) => void, clock = new FakeClock()) {
  return { clock, q: new WorkQueue({ name: 'test', clock, process, schedule: null }) };
}

test('a key added many times before processing is processed once', () => {
  const seen: string[] = [];
  const { q } = queue((k) => seen.push(k));
  q.add('a');
  q.add('b');
  q.add('a');
  q.drain();
  assert.deepEqual(seen, ['a', 'b']);
});

test('a key added while it is processed is processed again afterwards, not concurrently', () => {
  const seen: string[] = [];
  let inside = false;
  const { q } = queue((k) => {
    assert.equal(inside, false);
    inside = true;
    seen.push(k);
    if (seen.length === 1) q.add('a');
    inside = false;
  });
  q.add('a');
  q.drain();
  assert.deepEqual(seen, ['a', 'a']);
});

test('a failing key is retried with a growing backoff on the clock, and errors never escape', () => {
  const times: number[] = [];
  const clock = new FakeClock(0);
  const { q } = queue(() => {
    times.push(clock.now());
    throw new Error('boom');
  }, clock);
  q.add('a');
  q.drain();
  for (let i = 0; i < 100; i++) {
    clock.advance(1);
    q.drain();
  }
  assert.deepEqual(times.slice(0, 5), [0, 5, 15, 35, 75]);
});

test('a conflict is retried soon without growing backoff', () => {
  const times: number[] = [];
  const clock = new FakeClock(0);
  let fail = 3;
  const { q } = queue(() => {
    times.push(clock.now());
    if (fail-- > 0) throw conflict(mustResource('pods'), 'p', 'the object has been modified');
  }, clock);
  q.add('a');
  q.drain();
  for (let i = 0; i < 50; i++) {
    clock.advance(1);
    q.drain();
  }
  assert.deepEqual(times, [0, 10, 20, 30]);
});

test('addAfter keeps the earliest of several delays', () => {
  const seen: number[] = [];
  const clock = new FakeClock(0);
  const { q } = queue(() => seen.push(clock.now()), clock);
  q.addAfter('a', 100);
  q.addAfter('a', 30);
  q.addAfter('a', 200);
  for (let t = 0; t < 300; t += 10) {
    clock.advance(10);
    q.drain();
  }
  assert.deepEqual(seen, [30]);
});

test('with the default scheduler the queue processes on its own', async () => {
  const seen: string[] = [];
  const q = new WorkQueue({ name: 'auto', clock: new FakeClock(), process: (k) => seen.push(k) });
  q.add('x');
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(seen, ['x']);
  q.stop();
});
