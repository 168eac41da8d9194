// The throttle that paces cluster-changed notifications and refresh requests: the first
// change goes out at once, a burst after it as one more message at the interval's end.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../../../../emulator/src/clock';
import { Throttle } from '../../../../../server/src/requests/throttle';

test('fires at once, then at most once per interval, never dropping the last change', () => {
  const clock = new FakeClock();
  const fired: number[] = [];
  const start = clock.now();
  const throttle = new Throttle(100, clock, () => fired.push(clock.now() - start));
  throttle.trigger();
  assert.deepEqual(fired, [0]);
  clock.advance(10);
  throttle.trigger();
  throttle.trigger();
  clock.advance(30);
  throttle.trigger();
  assert.deepEqual(fired, [0], 'the burst waits for the interval to pass');
  clock.advance(60);
  assert.deepEqual(fired, [0, 100]);
  clock.advance(500);
  assert.deepEqual(fired, [0, 100], 'nothing more without a change');
  throttle.trigger();
  assert.deepEqual(fired, [0, 100, 600]);
});

test('nothing fires after dispose', () => {
  const clock = new FakeClock();
  let fired = 0;
  const throttle = new Throttle(100, clock, () => fired++);
  throttle.trigger();
  throttle.trigger();
  throttle.dispose();
  clock.advance(1000);
  throttle.trigger();
  assert.equal(fired, 1);
});
