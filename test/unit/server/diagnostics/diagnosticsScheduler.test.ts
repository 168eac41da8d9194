// Debouncing per document and cancelling stale runs, with mocked timers.

import { describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticsScheduler } from '../../../../server/src/features/diagnosticsScheduler';

/** Lets pending promise callbacks run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

describe('DiagnosticsScheduler', () => {
  it('computes once after a burst of requests, when the delay has passed', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const computed: string[] = [];
    const published: [string, number][] = [];
    let n = 0;
    const s = new DiagnosticsScheduler<number>({
      delayMs: 150,
      compute: async (uri) => {
        computed.push(uri);
        return ++n;
      },
      publish: (uri, d) => published.push([uri, d]),
    });
    s.schedule('a');
    t.mock.timers.tick(100);
    s.schedule('a');
    t.mock.timers.tick(100);
    s.schedule('a');
    s.schedule('b');
    t.mock.timers.tick(149);
    await settle();
    assert.deepEqual(computed, []);
    t.mock.timers.tick(1);
    await settle();
    assert.deepEqual(computed, ['a', 'b']);
    assert.deepEqual(published, [
      ['a', 1],
      ['b', 2],
    ]);
    s.dispose();
  });

  it('cancels a run in progress when a newer request comes, and publishes only the newer result', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const gates: { release: () => void; cancelled: () => boolean }[] = [];
    const published: string[] = [];
    const s = new DiagnosticsScheduler<string>({
      delayMs: 10,
      compute: (uri, cancelled) =>
        new Promise((resolve) => {
          const run = gates.length;
          gates.push({ release: () => resolve(cancelled() ? undefined : `run ${run}`), cancelled });
        }),
      publish: (_uri, d) => published.push(d),
    });
    s.schedule('a');
    t.mock.timers.tick(10);
    await settle();
    assert.equal(gates.length, 1);
    s.schedule('a');
    assert.equal(gates[0]!.cancelled(), true, 'the first run learns it is stale at once');
    t.mock.timers.tick(10);
    await settle();
    gates[0]!.release();
    gates[1]!.release();
    await settle();
    assert.deepEqual(published, ['run 1']);
    s.dispose();
  });

  it('forgets a cancelled document and reports compute failures', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const errors: string[] = [];
    const computed = mock.fn(async (uri: string) => {
      if (uri === 'bad') throw new Error('boom');
      return 1;
    });
    const s = new DiagnosticsScheduler<number>({ delayMs: 5, compute: computed, publish: () => undefined, onError: (uri) => errors.push(uri) });
    s.schedule('gone');
    s.cancel('gone');
    s.schedule('bad', 0);
    t.mock.timers.tick(5);
    await settle();
    assert.deepEqual(
      computed.mock.calls.map((c) => c.arguments[0]),
      ['bad'],
    );
    assert.deepEqual(errors, ['bad']);
    s.dispose();
  });
});
