// Optimistic concurrency over the real API: several clients increment one counter (an
// annotation on a Service) with read-modify-write loops, each GET followed by a PUT that
// carries the resourceVersion it read, retried on 409 Conflict. Writers that overlap must be
// told so with 409s, and no increment may be lost: the final count is every client's total.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, type Emulator } from '../../emulator/src/emulator';
import { apiRequest, jsonOf, type ApiTarget } from './apiRequests';

const CLIENTS = 8;
const INCREMENTS = 25;
/** A client that meets more conflicts than this in a row has found a livelock, not contention. */
const MAX_RETRIES = 500;
const PATH = '/api/v1/namespaces/default/services/counter';

interface CounterService {
  metadata: { resourceVersion: string; annotations?: Record<string, string> };
}

let emulator: Emulator;

before(async () => {
  emulator = await startEmulator({ hostPorts: false, log: () => undefined });
  const body = JSON.stringify({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'counter', annotations: { count: '0' } },
    spec: { selector: { app: 'counter' }, ports: [{ port: 80 }] },
  });
  const created = await apiRequest(emulator, 'POST', '/api/v1/namespaces/default/services', { body });
  assert.equal(created.code, 201, created.text);
});

after(async () => {
  await emulator?.stop();
});

/** One client: INCREMENTS successful read-modify-writes, its conflicts counted. */
async function client(target: ApiTarget): Promise<{ conflicts: number }> {
  let conflicts = 0;
  for (let done = 0; done < INCREMENTS; ) {
    const read = await apiRequest(target, 'GET', PATH);
    assert.equal(read.code, 200, read.text);
    const svc = jsonOf<CounterService>(read);
    const count = Number(svc.metadata.annotations?.count ?? '0');
    svc.metadata.annotations = { ...svc.metadata.annotations, count: String(count + 1) };
    const write = await apiRequest(target, 'PUT', PATH, { body: JSON.stringify(svc) });
    if (write.code === 409) {
      const status = jsonOf<{ reason: string; message: string }>(write);
      assert.equal(status.reason, 'Conflict');
      assert.equal(status.message, 'Operation cannot be fulfilled on services "counter": the object has been modified; please apply your changes to the latest version and try again');
      conflicts++;
      assert.ok(conflicts <= MAX_RETRIES, `more than ${MAX_RETRIES} conflicts for one client`);
      continue;
    }
    assert.equal(write.code, 200, write.text);
    done++;
  }
  return { conflicts };
}

test(`${CLIENTS} clients incrementing one annotation with resourceVersion preconditions lose no update, and get 409s when they overlap`, async (t) => {
  // The clients run at once: their requests are in flight together on separate connections.
  const results = await Promise.all(Array.from({ length: CLIENTS }, () => client(emulator)));
  const conflicts = results.reduce((n, r) => n + r.conflicts, 0);
  const final = jsonOf<CounterService>(await apiRequest(emulator, 'GET', PATH));
  t.diagnostic(`${CLIENTS} clients × ${INCREMENTS} increments; ${conflicts} conflicts (409) retried`);
  assert.equal(final.metadata.annotations?.count, String(CLIENTS * INCREMENTS), 'every increment counted once');
  assert.ok(conflicts > 0, 'overlapping writers were told about each other');
});
