import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openWal } from '../../../emulator/src/store/wal';
import type { Persistence, WalRecord } from '../../../emulator/src/store/persistence';
import type { KubeObject } from '../../../emulator/src/api/types';

const dirs: string[] = [];
const open: Persistence[] = [];

afterEach(() => {
  for (const p of open.splice(0)) p.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tempStateDir(): string {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'ksl-wal-'));
  dirs.push(parent);
  return path.join(parent, 'state');
}

function openQuiet(dir: string, messages: string[] = []): Persistence {
  const wal = openWal(dir, { log: (m) => messages.push(m), now: () => new Date('2025-01-02T03:04:05.678Z') });
  open.push(wal);
  return wal;
}

function closeWal(wal: Persistence): void {
  wal.close();
  open.splice(open.indexOf(wal), 1);
}

function configMap(name: string, value: string): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { value } };
}

function put(rv: number, name: string, value = `value ${rv}`): WalRecord {
  return { rv, op: 'put', resource: 'configmaps', object: configMap(name, value) };
}

function writeRecords(dir: string, count: number): WalRecord[] {
  const wal = openQuiet(dir);
  wal.load();
  const records: WalRecord[] = [];
  for (let rv = 1; rv <= count; rv++) {
    const record = put(rv, `cm-${rv}`);
    wal.append(record);
    records.push(record);
  }
  closeWal(wal);
  return records;
}

function reopen(dir: string) {
  const wal = openQuiet(dir);
  return { wal, result: wal.load() };
}

const logPath = (dir: string) => path.join(dir, 'wal.log');

test('records written before close come back in order after reopening', () => {
  const dir = tempStateDir();
  const wal = openQuiet(dir);
  assert.deepEqual(wal.load(), { snapshot: undefined, records: [], warnings: [] });
  const records: WalRecord[] = [
    put(1, 'a', 'line one\nline two, "quoted", ünïcödé ✓'),
    put(2, 'b'),
    { rv: 3, op: 'delete', resource: 'configmaps', namespace: 'default', name: 'a' },
  ];
  for (const r of records) wal.append(r);
  assert.equal(wal.recordsSinceSnapshot, 3);
  closeWal(wal);

  const { wal: again, result } = reopen(dir);
  assert.deepEqual(result, { snapshot: undefined, records, warnings: [] });
  assert.equal(again.recordsSinceSnapshot, 3);
});

const tornTails: { name: string; tail: (goodLine: Buffer) => Buffer }[] = [
  { name: 'half a record', tail: (line) => line.subarray(0, Math.floor(line.length / 2)) },
  { name: 'garbage bytes with newlines', tail: () => Buffer.from('\u0000\u0000\u0000garbage\n\u0000{not json\n\u0000') },
  {
    name: 'a complete record with a bad checksum',
    tail: (line) => {
      const bad = Buffer.from(line);
      bad.write(bad.subarray(0, 1).toString() === '0' ? '1' : '0', 0, 'latin1');
      return bad;
    },
  },
];

for (const { name, tail } of tornTails) {
  test(`a log ending in ${name} loses only that record, says so, and keeps working`, () => {
    const dir = tempStateDir();
    const written = writeRecords(dir, 4);
    const goodSize = fs.statSync(logPath(dir)).size;
    const lastLine = fs.readFileSync(logPath(dir)).toString('utf8').split('\n').at(-2) ?? '';
    const added = tail(Buffer.from(`${lastLine}\n`));
    fs.appendFileSync(logPath(dir), added);

    const { wal, result } = reopen(dir);
    assert.deepEqual(result.records, written);
    assert.equal(result.warnings.length, 1);
    const warning = result.warnings[0] ?? '';
    assert.match(warning, /wal\.log/);
    assert.match(warning, new RegExp(`offset ${goodSize}\\b`));
    assert.match(warning, new RegExp(`\\b${added.length} bytes dropped`));
    assert.equal(fs.statSync(logPath(dir)).size, goodSize);

    wal.append(put(5, 'after-crash'));
    closeWal(wal);
    const { result: third } = reopen(dir);
    assert.deepEqual(third.records, [...written, put(5, 'after-crash')]);
    assert.deepEqual(third.warnings, []);
  });
}

test('damage in the middle of the log keeps the records before it, sets the log aside and goes on', () => {
  const dir = tempStateDir();
  const written = writeRecords(dir, 5);
  const original = fs.readFileSync(logPath(dir));
  const lines = original.toString('utf8').split('\n');
  const damagedOffset = Buffer.byteLength(`${lines[0]}\n${lines[1]}\n`);
  // Flip one character inside the third record's JSON: its checksum no longer matches.
  const damaged = Buffer.from(original);
  const at = damagedOffset + 30;
  damaged[at] = damaged[at] === 0x41 ? 0x42 : 0x41;
  fs.writeFileSync(logPath(dir), damaged);

  const { wal, result } = reopen(dir);
  assert.deepEqual(result.records, written.slice(0, 2));
  assert.equal(result.warnings.length, 1);
  assert.match(result.warnings[0] ?? '', /^DATA LOSS: .*wal\.log is damaged in the middle, at byte offset \d+/);
  assert.match(result.warnings[0] ?? '', new RegExp(`offset ${damagedOffset}\\.`));
  assert.match(result.warnings[0] ?? '', /the 2 readable records after it/);
  const aside = fs.readdirSync(dir).filter((f) => f.startsWith('wal.log.corrupt-'));
  assert.deepEqual(aside, ['wal.log.corrupt-2025-01-02T03-04-05-678Z']);
  assert.deepEqual(fs.readFileSync(path.join(dir, aside[0] ?? '')), damaged);
  assert.match(result.warnings[0] ?? '', /saved as .*wal\.log\.corrupt-2025-01-02T03-04-05-678Z/);

  wal.append(put(6, 'fresh'));
  closeWal(wal);
  const { result: third } = reopen(dir);
  assert.deepEqual(third.records, [...written.slice(0, 2), put(6, 'fresh')]);
  assert.deepEqual(third.warnings, []);
});

test('after compaction the snapshot and the newer records are loaded, and the log holds only those', () => {
  const dir = tempStateDir();
  const wal = openQuiet(dir);
  wal.load();
  for (let rv = 1; rv <= 3; rv++) wal.append(put(rv, `cm-${rv}`));
  const snapshot = { rv: 3, objects: [1, 2, 3].map((rv) => ({ resource: 'configmaps', object: configMap(`cm-${rv}`, `value ${rv}`) })) };
  wal.compact(snapshot);
  assert.equal(wal.recordsSinceSnapshot, 0);
  assert.equal(fs.statSync(logPath(dir)).size, 0);
  wal.append(put(4, 'cm-4'));
  wal.append({ rv: 5, op: 'delete', resource: 'configmaps', namespace: 'default', name: 'cm-1' });
  closeWal(wal);

  const { wal: again, result } = reopen(dir);
  assert.deepEqual(result.snapshot, snapshot);
  assert.deepEqual(result.records, [put(4, 'cm-4'), { rv: 5, op: 'delete', resource: 'configmaps', namespace: 'default', name: 'cm-1' }]);
  assert.deepEqual(result.warnings, []);
  assert.equal(again.recordsSinceSnapshot, 2);
});

test('records the snapshot already covers are skipped (a crash between snapshot rename and log truncation)', () => {
  const dir = tempStateDir();
  writeRecords(dir, 4);
  const fullLog = fs.readFileSync(logPath(dir));
  const wal = openQuiet(dir);
  wal.load();
  const snapshot = { rv: 3, objects: [] };
  wal.compact(snapshot);
  closeWal(wal);
  // Put the pre-compaction log back, as if the crash came before the truncation.
  fs.writeFileSync(logPath(dir), fullLog);

  const { result } = reopen(dir);
  assert.deepEqual(result.snapshot, snapshot);
  assert.deepEqual(result.records, [put(4, 'cm-4')]);
  assert.deepEqual(result.warnings, []);
});

test('a damaged snapshot is set aside with a warning and the log is still loaded', () => {
  const dir = tempStateDir();
  const written = writeRecords(dir, 2);
  fs.writeFileSync(path.join(dir, 'snapshot.json'), '{"rv": 7, "objects": [');

  const { result } = reopen(dir);
  assert.equal(result.snapshot, undefined);
  assert.deepEqual(result.records, written);
  assert.equal(result.warnings.length, 1);
  assert.match(result.warnings[0] ?? '', /snapshot\.json is damaged .*moved to .*snapshot\.json\.corrupt-/);
  assert.ok(!fs.existsSync(path.join(dir, 'snapshot.json')));
  assert.equal(fs.readdirSync(dir).filter((f) => f.startsWith('snapshot.json.corrupt-')).length, 1);
});

test('an unfinished snapshot temp file from a crash is removed and the previous state loads', () => {
  const dir = tempStateDir();
  const written = writeRecords(dir, 2);
  fs.writeFileSync(path.join(dir, 'snapshot.json.tmp'), '{"rv": 2, "obj');

  const { result } = reopen(dir);
  assert.deepEqual(result.records, written);
  assert.equal(result.snapshot, undefined);
  assert.ok(!fs.existsSync(path.join(dir, 'snapshot.json.tmp')));
  assert.match(result.warnings.join('\n'), /snapshot\.json\.tmp/);
});

test('the state directory is private (0700) and the files in it 0600', { skip: process.platform === 'win32' }, () => {
  const dir = tempStateDir();
  const wal = openQuiet(dir);
  wal.load();
  wal.append(put(1, 'a'));
  wal.compact({ rv: 1, objects: [] });
  assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
  for (const file of ['wal.log', 'snapshot.json', 'lock']) {
    assert.equal(fs.statSync(path.join(dir, file)).mode & 0o777, 0o600, file);
  }
});

test('an existing state directory with loose permissions is tightened, with a warning', { skip: process.platform === 'win32' }, () => {
  const dir = tempStateDir();
  fs.mkdirSync(dir, { mode: 0o755 });
  fs.chmodSync(dir, 0o755);
  fs.writeFileSync(path.join(dir, 'wal.log'), '', { mode: 0o644 });
  fs.chmodSync(path.join(dir, 'wal.log'), 0o644);
  const messages: string[] = [];
  openQuiet(dir, messages).load();
  assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
  assert.equal(fs.statSync(path.join(dir, 'wal.log')).mode & 0o777, 0o600);
  assert.equal(messages.length, 2);
  assert.match(messages[0] ?? '', /tightened the permissions of the state directory .* from 0755 to 0700/);
  assert.match(messages[1] ?? '', /wal\.log from 0644 to 0600/);
});

test('writing before load or after close is refused', () => {
  const dir = tempStateDir();
  const wal = openQuiet(dir);
  assert.throws(() => wal.append(put(1, 'a')), /load\(\) must run before the first write/);
  wal.load();
  closeWal(wal);
  assert.throws(() => wal.append(put(1, 'a')), /is closed/);
});
