// Bursts of watch events become one change: the batcher's window starts at the first notice
// and everything noticed until it closes is announced together.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChangeBatcher } from '../../../../server/src/cluster/changeBatcher';
import type { ClusterChange } from '../../../../server/src/cluster/clusterView';
import { FakeClock } from '../../../../emulator/src/clock';

test('a burst of notices within the window is one change naming every resource', () => {
  const clock = new FakeClock();
  const batcher = new ChangeBatcher(clock, () => undefined, 50);
  const seen: ClusterChange[] = [];
  batcher.subscribe((c) => seen.push(c));
  batcher.resourceChanged('pods');
  clock.advance(20);
  batcher.resourceChanged('endpointslices');
  batcher.resourceChanged('pods');
  clock.advance(29);
  assert.equal(seen.length, 0);
  clock.advance(1);
  assert.deepEqual(seen, [{ resources: new Set(['pods', 'endpointslices']), connectionChanged: false }]);
  batcher.connectionChanged();
  clock.advance(50);
  assert.deepEqual(seen[1], { resources: new Set(), connectionChanged: true });
});

test('a failing listener does not keep the others from hearing, and dispose stops everything', () => {
  const clock = new FakeClock();
  const logged: string[] = [];
  const batcher = new ChangeBatcher(clock, (m) => logged.push(m), 50);
  let heard = 0;
  batcher.subscribe(() => {
    throw new Error('boom');
  });
  batcher.subscribe(() => heard++);
  batcher.resourceChanged('pods');
  clock.advance(50);
  assert.equal(heard, 1);
  assert.match(logged[0], /boom/);
  batcher.resourceChanged('pods');
  batcher.dispose();
  clock.advance(100);
  assert.equal(heard, 1);
  assert.equal(clock.pending, 0);
});
