// The store over a real state directory: what a restart brings back after writes, background
// compactions and damage.

import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { KubeObject } from '../../../emulator/src/api/types';
import { encodeLine } from '../../../emulator/src/store/recordLines';
import { Store } from '../../../emulator/src/store/store';
import { openWal } from '../../../emulator/src/store/wal';

const dirs: string[] = [];
const stores: Store[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function stateDir(): string {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'ksl-store-restart-'));
  dirs.push(parent);
  return path.join(parent, 'state');
}

function open(dir: string, log: string[] = [], compactEvery = 5000): Store {
  const store = new Store({ persistence: openWal(dir, { log: (m) => log.push(m) }), log: (m) => log.push(m), compactEvery });
  stores.push(store);
  return store;
}

function close(store: Store): void {
  store.close();
  stores.splice(stores.indexOf(store), 1);
}

const pod = (name: string, phase: string): KubeObject =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { app: 'web' } }, status: { phase } }) as KubeObject;

const summary = (s: Store): string[] => s.list('pods').map((p) => `${p.metadata.name} ${p.metadata.resourceVersion} ${(p.status as { phase: string }).phase}`);

test('after background compactions and more writes, a restart brings back exactly the same objects', async () => {
  const dir = stateDir();
  const store = open(dir, [], 20);
  for (let i = 0; i < 60; i++) store.create('pods', pod(`web-${i}`, 'Pending'));
  for (let i = 0; i < 60; i += 2) store.update('pods', pod(`web-${i}`, 'Running'));
  for (let i = 0; i < 60; i += 5) store.delete('pods', 'default', `web-${i}`);
  await store.settled();
  assert.ok(fs.existsSync(path.join(dir, 'snapshot.snap')), 'the log was compacted along the way');
  const before = summary(store);
  const rv = store.resourceVersion;
  close(store);

  const again = open(dir);
  assert.deepEqual(summary(again), before);
  assert.equal(again.resourceVersion, rv);
  assert.equal(again.create('pods', pod('new', 'Pending')).metadata.resourceVersion, String(rv + 1));
});

test('a snapshot found damaged halfway through is dropped whole, and the log alone is loaded', () => {
  const dir = stateDir();
  const store = open(dir);
  for (const n of ['a', 'b', 'c']) store.create('pods', pod(n, 'Running'));
  store.compact();
  store.create('pods', pod('after-snapshot', 'Pending'));
  close(store);
  // The last object line of the snapshot is replaced by one that fails its checksum.
  const file = path.join(dir, 'snapshot.snap');
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
  lines[lines.length - 1] = `00000000 ${lines[lines.length - 1]?.slice(9)}`;
  fs.writeFileSync(file, lines.join('\n') + '\n');

  const log: string[] = [];
  const again = open(dir, log);
  assert.deepEqual(summary(again), ['after-snapshot 4 Pending']);
  assert.match(log.join('\n'), /warning: the snapshot .*snapshot\.snap is damaged \(line 4 \(byte offset \d+\) is corrupt\)/);
});

test('a torn record at the end of the log is cut off at startup, with a warning, and the rest is kept', () => {
  const dir = stateDir();
  const store = open(dir);
  store.create('pods', pod('kept', 'Running'));
  close(store);
  const torn = encodeLine({ rv: 2, op: 'put', resource: 'pods', object: pod('torn', 'Running') });
  fs.appendFileSync(path.join(dir, 'wal.log'), torn.subarray(0, torn.length - 5));

  const log: string[] = [];
  const again = open(dir, log);
  assert.deepEqual(summary(again), ['kept 1 Running']);
  assert.match(log.join('\n'), /warning: .*wal\.log: cut off an incomplete or corrupt last record/);
});
