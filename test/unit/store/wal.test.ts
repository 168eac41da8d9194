import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openWal, type LogIo } from '../../../emulator/src/store/wal';
import type { Persistence, WalRecord } from '../../../emulator/src/store/persistence';
import { encodeLine } from '../../../emulator/src/store/recordLines';
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
  for (const file of ['wal.log', 'snapshot.snap', 'lock']) {
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

/** Log calls that count what reaches the disk and can be told to fail. */
function countingIo(): { io: Partial<LogIo>; writes: number; syncs: number; failWrite?: Error; failSync?: Error } {
  const state: { io: Partial<LogIo>; writes: number; syncs: number; failWrite?: Error; failSync?: Error } = {
    writes: 0,
    syncs: 0,
    io: {
      write(fd, bytes) {
        state.writes++;
        if (state.failWrite) {
          // Half the batch lands, as when the disk fills up in the middle of it.
          fs.writeSync(fd, bytes, 0, Math.floor(bytes.length / 2));
          throw state.failWrite;
        }
        fs.writeSync(fd, bytes);
      },
      datasync(fd, done) {
        state.syncs++;
        if (state.failSync) setImmediate(() => done(state.failSync ?? null));
        else fs.fdatasync(fd, done);
      },
    },
  };
  return state;
}

function openWith(dir: string, io: Partial<LogIo>, messages: string[] = []): Persistence {
  const wal = openWal(dir, { log: (m) => messages.push(m), now: () => new Date('2025-01-02T03:04:05.678Z'), io });
  open.push(wal);
  return wal;
}

test('records appended in one turn reach the disk in one write and one fdatasync, and durable() waits for it', async () => {
  const dir = tempStateDir();
  const disk = countingIo();
  const wal = openWith(dir, disk.io);
  wal.load();
  for (let rv = 1; rv <= 50; rv++) wal.append(put(rv, `cm-${rv}`));
  const durable = wal.durable();
  assert.equal(disk.writes, 0, 'nothing is written inside the turn that appends');
  await durable;
  assert.equal(disk.writes, 1);
  assert.equal(disk.syncs, 1);
  const lines = fs.readFileSync(logPath(dir), 'utf8').split('\n').filter(Boolean);
  assert.equal(lines.length, 50);
  await wal.durable();
  assert.equal(disk.syncs, 1, 'nothing new to sync: durable() resolves without another fdatasync');
});

test('appends made while an fdatasync runs form the next batch', async () => {
  const dir = tempStateDir();
  const wal = openQuiet(dir);
  wal.load();
  wal.append(put(1, 'a'));
  const first = wal.durable();
  await new Promise<void>((resolve) => setImmediate(resolve));
  wal.append(put(2, 'b'));
  wal.append(put(3, 'c'));
  await Promise.all([first, wal.durable()]);
  closeWal(wal);
  assert.deepEqual(reopen(dir).result.records, [put(1, 'a'), put(2, 'b'), put(3, 'c')]);
});

test('a failed fdatasync fails the writes waiting on it, says why once, and refuses every later write', async () => {
  const dir = tempStateDir();
  const disk = countingIo();
  const messages: string[] = [];
  const wal = openWith(dir, disk.io, messages);
  wal.load();
  wal.append(put(1, 'kept'));
  await wal.durable();
  disk.failSync = Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
  wal.append(put(2, 'unsure'));
  const waiting = [wal.durable(), wal.durable()];
  for (const w of waiting) {
    await assert.rejects(w, /could not save a write to .*wal\.log \(EIO: i\/o error, fdatasync\).*refuses all writes.*restart the emulator/);
  }
  assert.throws(() => wal.append(put(3, 'refused')), /refuses all writes/);
  await assert.rejects(wal.durable(), /refuses all writes/);
  assert.equal(messages.filter((m) => m.includes('could not save')).length, 1);
  closeWal(wal);

  const { result } = reopen(dir);
  assert.deepEqual(result.records[0], put(1, 'kept'), 'what was synced before the failure is still there');
  assert.ok(!result.records.some((r) => r.rv === 3));
});

test('a write that fails halfway (disk full) is cut back, so the log reopens without damage', async () => {
  const dir = tempStateDir();
  const disk = countingIo();
  const wal = openWith(dir, disk.io);
  wal.load();
  wal.append(put(1, 'kept'));
  await wal.durable();
  disk.failWrite = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  wal.append(put(2, 'lost'));
  await assert.rejects(wal.durable(), /ENOSPC: no space left on device/);
  closeWal(wal);

  const { result } = reopen(dir);
  assert.deepEqual(result.records, [put(1, 'kept')]);
  assert.deepEqual(result.warnings, []);
});

test('a background compaction lets appends go on, and every record survives it', async () => {
  const dir = tempStateDir();
  const wal = openQuiet(dir);
  wal.load();
  const objects: { resource: string; object: KubeObject }[] = [];
  for (let rv = 1; rv <= 200; rv++) {
    wal.append(put(rv, `cm-${rv}`));
    objects.push({ resource: 'configmaps', object: configMap(`cm-${rv}`, `value ${rv}`) });
  }
  const compaction = wal.compactInBackground({ rv: 200, objects });
  // Writes made while the snapshot is being written land after it.
  wal.append(put(201, 'during'));
  await new Promise<void>((resolve) => setImmediate(resolve));
  wal.append({ rv: 202, op: 'delete', resource: 'configmaps', namespace: 'default', name: 'cm-1' });
  await compaction;
  wal.append(put(203, 'after'));
  closeWal(wal);

  assert.deepEqual(fs.readdirSync(dir).sort(), ['snapshot.snap', 'wal.log']);
  const { result, wal: again } = reopen(dir);
  assert.equal(result.snapshot?.rv, 200);
  assert.equal(result.snapshot?.objects.length, 200);
  assert.deepEqual(result.records, [put(201, 'during'), { rv: 202, op: 'delete', resource: 'configmaps', namespace: 'default', name: 'cm-1' }, put(203, 'after')]);
  assert.deepEqual(result.warnings, []);
  assert.equal(again.recordsSinceSnapshot, 3, 'the log holds only what the snapshot does not cover');
});

test('closing during a background compaction keeps every record, and the snapshot it abandoned is not used', async () => {
  const dir = tempStateDir();
  const wal = openQuiet(dir);
  wal.load();
  for (let rv = 1; rv <= 3; rv++) wal.append(put(rv, `cm-${rv}`));
  const compaction = wal.compactInBackground({ rv: 3, objects: [] });
  wal.append(put(4, 'during'));
  closeWal(wal);
  await compaction;

  const { result } = reopen(dir);
  assert.equal(result.snapshot, undefined);
  assert.deepEqual(result.records, [put(1, 'cm-1'), put(2, 'cm-2'), put(3, 'cm-3'), put(4, 'during')]);
  assert.ok(!fs.readdirSync(dir).some((f) => f.endsWith('.tmp')));
});

test('a crash in the middle of a compaction (wal.log.next beside wal.log) loses nothing, and the next compaction tidies up', () => {
  const dir = tempStateDir();
  writeRecords(dir, 3);
  // The state a crash leaves after the switch to wal.log.next, before the snapshot's rename:
  // later records in wal.log.next, the last one torn, and an unfinished snapshot.
  const later = [put(4, 'cm-4'), put(5, 'cm-5')];
  const lines = later.map((r) => encodeLine(r));
  fs.writeFileSync(path.join(dir, 'wal.log.next'), Buffer.concat([...lines, encodeLine(put(6, 'torn')).subarray(0, 20)]));
  fs.writeFileSync(path.join(dir, 'snapshot.snap.123-1.tmp'), 'partial');

  const { wal, result } = reopen(dir);
  assert.deepEqual(result.records.map((r) => r.rv), [1, 2, 3, 4, 5]);
  assert.equal(result.warnings.length, 2);
  assert.match(result.warnings.join('\n'), /removed .*snapshot\.snap\.123-1\.tmp/);
  assert.match(result.warnings.join('\n'), /wal\.log\.next: cut off an incomplete or corrupt last record/);

  wal.append(put(6, 'cm-6'));
  wal.compact({ rv: 6, objects: [] });
  wal.append(put(7, 'cm-7'));
  closeWal(wal);
  assert.deepEqual(fs.readdirSync(dir).sort(), ['snapshot.snap', 'wal.log']);
  const { result: after } = reopen(dir);
  assert.equal(after.snapshot?.rv, 6);
  assert.deepEqual(after.records, [put(7, 'cm-7')]);
});

test('damage in wal.log drops the records of wal.log.next too: they cannot follow on from it', () => {
  const dir = tempStateDir();
  writeRecords(dir, 3);
  const log = fs.readFileSync(logPath(dir));
  const damaged = Buffer.from(log);
  const secondLine = log.indexOf(0x0a) + 1;
  damaged[secondLine + 20] = damaged[secondLine + 20] === 0x41 ? 0x42 : 0x41;
  fs.writeFileSync(logPath(dir), damaged);
  fs.writeFileSync(path.join(dir, 'wal.log.next'), encodeLine(put(4, 'cm-4')));

  const { result } = reopen(dir);
  assert.deepEqual(result.records.map((r) => r.rv), [1]);
  assert.match(result.warnings[0] ?? '', /^DATA LOSS: .*wal\.log is damaged in the middle.*the 2 readable records after it/);
  assert.equal(fs.readdirSync(dir).filter((f) => f.includes('.corrupt-')).length, 2, 'both logs are saved for inspection');
});

const damagedSnapshots: { name: string; damage: (file: Buffer) => Buffer }[] = [
  { name: 'a line with a bad checksum', damage: (file) => flipByte(file, file.indexOf(0x0a) + 30) },
  { name: 'a missing last line', damage: (file) => file.subarray(0, file.lastIndexOf(0x0a, file.length - 2) + 1) },
  { name: 'a torn last line', damage: (file) => file.subarray(0, file.length - 10) },
  { name: 'garbage appended', damage: (file) => Buffer.concat([file, Buffer.from('\u0000\u0000garbage\n')]) },
  { name: 'a damaged header', damage: (file) => flipByte(file, 12) },
  { name: 'nothing in it', damage: () => Buffer.alloc(0) },
];

function flipByte(file: Buffer, at: number): Buffer {
  const copy = Buffer.from(file);
  copy[at] = copy[at] === 0x41 ? 0x42 : 0x41;
  return copy;
}

for (const { name, damage } of damagedSnapshots) {
  test(`a snapshot with ${name} is set aside with a warning, and the log still loads`, () => {
    const dir = tempStateDir();
    const wal = openQuiet(dir);
    wal.load();
    wal.compact({ rv: 2, objects: [1, 2].map((n) => ({ resource: 'configmaps', object: configMap(`cm-${n}`, `value ${n}`) })) });
    wal.append(put(3, 'cm-3'));
    closeWal(wal);
    const file = path.join(dir, 'snapshot.snap');
    fs.writeFileSync(file, damage(fs.readFileSync(file)));

    const { result } = reopen(dir);
    assert.equal(result.snapshot, undefined);
    assert.deepEqual(result.records, [put(3, 'cm-3')]);
    assert.equal(result.warnings.length, 1);
    assert.match(result.warnings[0] ?? '', /snapshot\.snap is damaged \(.+\); it was moved to .*snapshot\.snap\.corrupt-.* objects written before the last compaction are missing/);
    assert.ok(!fs.existsSync(file));
  });
}

test('a snapshot holding an object larger than the read buffer loads back whole', () => {
  const dir = tempStateDir();
  const big = configMap('big', 'x'.repeat(3 * 1024 * 1024));
  const wal = openQuiet(dir);
  wal.load();
  wal.compact({ rv: 1, objects: [{ resource: 'configmaps', object: big }] });
  closeWal(wal);
  const { result } = reopen(dir);
  assert.deepEqual(result.snapshot, { rv: 1, objects: [{ resource: 'configmaps', object: big }] });
});

test('a snapshot.json from an earlier version is loaded, and replaced by snapshot.snap at the next compaction', () => {
  const dir = tempStateDir();
  writeRecords(dir, 2);
  const legacy = { rv: 1, objects: [{ resource: 'configmaps', object: configMap('old', 'from 1.0') }] };
  fs.writeFileSync(path.join(dir, 'snapshot.json'), JSON.stringify(legacy));

  const { wal, result } = reopen(dir);
  assert.deepEqual(result.snapshot, legacy);
  assert.deepEqual(result.records, [put(2, 'cm-2')]);
  wal.compact({ rv: 2, objects: legacy.objects });
  closeWal(wal);
  assert.deepEqual(fs.readdirSync(dir).sort(), ['snapshot.snap', 'wal.log']);
});
