// A watch client that stops reading must not make the server's memory grow: kube-apiserver's
// cacher gives each watcher a channel of 100 events and closes a watcher that leaves it full
// (cache_watcher.go, "Forcing watcher close due to unresponsiveness"). Here the events wait as
// references and are encoded only when the socket has room, a client that takes none of more
// than 100 waiting changes within the budget is cut off, and a client that keeps reading
// survives bursts of any size.

import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import { request } from 'node:https';
import { R } from '../../../emulator/src/api/resources';
import type { KubeObject } from '../../../emulator/src/api/types';
import { SLOW_WATCHER_BUDGET_MS, WATCH_CHANNEL_SIZE } from '../../../emulator/src/apiserver/watch';
import { rt, serviceManifest } from '../registry/registryFixtures';
import { startApiFixture, type ApiFixture } from './apiServerFixture';

const SERVICES = '/api/v1/namespaces/default/services';
/** One change's size on the wire, so a few hundred of them overflow every socket buffer. */
const PAD = 'x'.repeat(16_000);

let api: ApiFixture;
const logged: string[] = [];
let serverSide: ServerResponse | undefined;

before(async () => {
  api = await startApiFixture({ log: (m) => logged.push(m) });
  // The server's own end of each watch, to read what it holds buffered for the client.
  api.server.server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.includes('watch=true')) serverSide = res;
  });
  api.cluster.registry.create(rt(R.services), 'default', serviceManifest('web'));
});

afterEach(() => {
  logged.length = 0;
  serverSide = undefined;
});

after(async () => {
  await api.close();
});

interface RawWatch {
  req: ClientRequest;
  res: IncomingMessage;
  /** Resolves with every event line received once the stream is over, however it ended. */
  ended: Promise<string[]>;
}

function openWatch(query: string): Promise<RawWatch> {
  return new Promise((resolve, reject) => {
    const req = request(`${api.server.url}${SERVICES}?watch=true&${query}`, {
      ca: api.ca,
      agent: false,
      headers: { authorization: `Bearer ${api.token}` },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      const lines: string[] = [];
      let partial = '';
      const ended = new Promise<string[]>((done) => {
        res.on('data', (chunk: Buffer) => {
          const text = partial + chunk.toString('utf8');
          const parts = text.split('\n');
          partial = parts.pop() ?? '';
          lines.push(...parts.filter(Boolean));
        });
        res.on('close', () => done(lines));
        res.on('error', () => done(lines));
        req.on('error', () => done(lines));
      });
      resolve({ req, res, ended });
    });
    req.end();
  });
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

function annotate(n: number, pad = PAD): void {
  const current = api.cluster.store.get(R.services, 'default', 'web') as KubeObject;
  const next = structuredClone(current);
  next.metadata.annotations = { ...next.metadata.annotations, n: String(n), pad };
  api.cluster.registry.update(rt(R.services), 'default', 'web', next);
}

test('a watch whose client stops reading keeps only a small write buffer, and is cut off once over 100 changes wait through the budget', async () => {
  // Enough objects that the initial ADDED events alone would be megabytes if encoded at once.
  for (let i = 0; i < 400; i++) {
    api.cluster.registry.create(rt(R.services), 'default', { ...serviceManifest(`bulk-${i}`), metadata: { name: `bulk-${i}`, annotations: { pad: PAD } } });
  }
  const watch = await openWatch('resourceVersion=0');
  watch.res.pause();
  let maxBuffered = 0;
  const changes = 600;
  for (let n = 0; n < changes; n++) {
    annotate(n);
    if (n % 20 === 19) {
      await turn();
      maxBuffered = Math.max(maxBuffered, serverSide?.writableLength ?? 0);
    }
  }
  assert.ok(serverSide, 'the server side of the watch was seen');
  // Node's high-water mark (16 KiB) plus the one event that crossed it, whatever the backlog.
  assert.ok(maxBuffered <= 64 * 1024, `the server buffered ${maxBuffered} bytes for a client that reads nothing`);
  assert.deepEqual(logged, [], 'nothing is cut off before the budget is up');

  api.cluster.clock.advance(SLOW_WATCHER_BUDGET_MS);
  await turn();
  await turn();
  assert.equal(logged.length, 1, 'the slow watch was cut off once');
  assert.match(logged[0], /^closed a watch on services: more than 100 changes waited for 2000 ms \((\d+) now\)/);
  assert.ok(Number(/\((\d+) now\)/.exec(logged[0])?.[1]) > WATCH_CHANNEL_SIZE);
  assert.equal(serverSide.destroyed, true, 'its connection is closed');

  // The client learns it when it reads again: its stream ends, short of every change.
  watch.res.resume();
  const lines = await withDeadline(watch.ended, 10_000, 'the end of the cut-off stream');
  assert.ok(lines.length < 400 + changes, `the client got ${lines.length} events, not all ${400 + changes}`);

  for (let i = 0; i < 400; i++) api.cluster.registry.delete(rt(R.services), 'default', `bulk-${i}`);
});

test('a client that keeps reading is never cut off, even by a burst of a thousand changes in one go', async () => {
  const from = String(api.cluster.store.resourceVersion);
  const watch = await openWatch(`resourceVersion=${from}`);
  const burst = 1000;
  let received = 0;
  const all = new Promise<void>((resolve) => {
    watch.res.on('data', (chunk: Buffer) => {
      received += chunk.toString('utf8').split('\n').filter(Boolean).length;
      if (received >= burst) resolve();
    });
  });
  for (let n = 0; n < burst; n++) annotate(n, 'small');
  await withDeadline(all, 20_000, `receiving ${burst} events`);

  api.cluster.clock.advance(SLOW_WATCHER_BUDGET_MS * 3);
  await turn();
  await turn();
  assert.deepEqual(logged, []);
  assert.equal(serverSide?.destroyed, false);

  // The watch still delivers.
  const one = new Promise<void>((resolve) => watch.res.once('data', () => resolve()));
  annotate(burst, 'small');
  await withDeadline(one, 5000, 'one more event');
  watch.req.destroy();
});
