// The API acknowledges a write only once it is on disk (ARCHITECTURE invariant 6), although the
// store applies it in memory at once and writes its log in batches. The log's sync call is
// replaced here so the test decides when the disk answers, and whether it fails.

import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import selfsigned from 'selfsigned';
import { mustResource, R } from '../../../emulator/src/api/resources';
import { startApiServer, type RunningApiServer } from '../../../emulator/src/apiserver/apiServer';
import { FakeClock } from '../../../emulator/src/clock';
import { Registry } from '../../../emulator/src/registry/registry';
import { buildStrategies, metaValidator } from '../../../emulator/src/registry/strategies/index';
import { Store } from '../../../emulator/src/store/store';
import { openWal, type LogIo } from '../../../emulator/src/store/wal';
import { apiRequest, type ApiTarget } from '../../integration/apiRequests';
import { seededRand } from '../helpers/testCluster';

const TOKEN = 'durability-token';
const pems = selfsigned.generate([{ name: 'commonName', value: 'ksl-test' }], {
  days: 1,
  keySize: 2048,
  algorithm: 'sha256',
  extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
});

interface Fixture {
  target: ApiTarget;
  store: Store;
  /** From now on every fdatasync the log starts is held, until `answerSyncs`; resolves when the first starts. */
  holdSyncs(): Promise<void>;
  /** Lets the held fdatasyncs run (or fail with `error`). */
  answerSyncs(error?: Error): void;
  log: string[];
}

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function start(): Promise<Fixture> {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'ksl-api-durability-'));
  cleanup.push(() => fs.rmSync(parent, { recursive: true, force: true }));
  let held: ((error?: Error) => void)[] | undefined;
  let onSync: (() => void) | undefined;
  const io: Partial<LogIo> = {
    datasync(fd, done) {
      if (!held) return fs.fdatasync(fd, done);
      held.push((error) => (error ? done(error) : fs.fdatasync(fd, done)));
      onSync?.();
    },
  };
  const log: string[] = [];
  const store = new Store({ persistence: openWal(path.join(parent, 'state'), { io, log: (m) => log.push(m) }), log: (m) => log.push(m) });
  cleanup.push(() => store.close());
  const clock = new FakeClock();
  const rand = seededRand(3);
  const strategies = buildStrategies({ serviceCIDR: '10.96.0.0/12', nodePortBase: 30000, nodePortSize: 2768, rand });
  const registry = new Registry({ store, clock, strategies: strategies.map, rand, metaValidator });
  registry.create(mustResource(R.namespaces), '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  await store.durable();
  const server: RunningApiServer = await startApiServer({ registry, clock, token: TOKEN, tls: { cert: pems.cert, key: pems.private } });
  cleanup.push(() => server.close());
  return {
    target: { url: server.url, caPem: pems.cert, token: TOKEN },
    store,
    holdSyncs: () => {
      held = [];
      return new Promise<void>((resolve) => (onSync = resolve));
    },
    answerSyncs: (error) => {
      for (const answer of held?.splice(0) ?? []) answer(error);
      held = undefined;
    },
    log,
  };
}

const service = (name: string): string =>
  JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: name }, ports: [{ port: 80 }] } });

test('a create is answered only after its record is synced, while reads go on', async () => {
  const f = await start();
  const syncStarted = f.holdSyncs();
  let answered = false;
  const created = apiRequest(f.target, 'POST', '/api/v1/namespaces/default/services', { body: service('settings') }).then((res) => {
    answered = true;
    return res;
  });
  await Promise.race([syncStarted, created.then((res) => assert.fail(`answered before its sync started: ${res.code} ${res.text}`))]);
  // The write is visible at once; a read made after the sync began comes back first.
  const read = await apiRequest(f.target, 'GET', '/api/v1/namespaces/default/services/settings');
  assert.equal(read.code, 200);
  assert.equal(answered, false, 'the create is not acknowledged before its fdatasync returns');
  f.answerSyncs();
  const res = await created;
  assert.equal(res.code, 201, res.text);
});

test('when the disk fails, the waiting write gets a 500 that says what to do, later writes are refused, reads still work', async () => {
  const f = await start();
  const syncStarted = f.holdSyncs();
  const created = apiRequest(f.target, 'POST', '/api/v1/namespaces/default/services', { body: service('doomed') });
  await Promise.race([syncStarted, created.then((res) => assert.fail(`answered before its sync started: ${res.code} ${res.text}`))]);
  f.answerSyncs(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
  const res = await created;
  assert.equal(res.code, 500);
  const status = JSON.parse(res.text) as { reason: string; message: string };
  assert.equal(status.reason, 'InternalError');
  assert.match(status.message, /could not save a write .*EIO: i\/o error.*restart the emulator/);

  const later = await apiRequest(f.target, 'POST', '/api/v1/namespaces/default/services', { body: service('later') });
  assert.equal(later.code, 500);
  assert.match(later.text, /refuses all writes/);
  const deleted = await apiRequest(f.target, 'DELETE', '/api/v1/namespaces/default/services/doomed');
  assert.equal(deleted.code, 500);
  assert.equal((await apiRequest(f.target, 'GET', '/api/v1/namespaces/default/services')).code, 200);
  assert.equal(f.log.filter((m) => m.includes('could not save a write')).length, 1, 'the failure is logged once');
});
