import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { openWal } from '../../../emulator/src/store/wal';
import { StateDirLockedError } from '../../../emulator/src/store/stateDirLock';
import type { Persistence } from '../../../emulator/src/store/persistence';

const dirs: string[] = [];
const opened: Persistence[] = [];
const children: ChildProcess[] = [];

afterEach(() => {
  for (const p of opened.splice(0)) p.close();
  for (const c of children.splice(0)) c.kill();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tempStateDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ksl-wal-lock-'));
  dirs.push(dir);
  return dir;
}

function openTracked(dir: string, messages: string[] = []): Persistence {
  const wal = openWal(dir, { log: (m) => messages.push(m) });
  opened.push(wal);
  return wal;
}

const lockPath = (dir: string) => path.join(dir, 'lock');

test('the lock file names this process while the state directory is open, and is gone after close', () => {
  const dir = tempStateDir();
  const wal = openTracked(dir);
  assert.equal(fs.readFileSync(lockPath(dir), 'utf8').trim(), String(process.pid));
  wal.close();
  opened.splice(0);
  assert.ok(!fs.existsSync(lockPath(dir)));
  // Once released, the directory can be opened again.
  openTracked(dir).load();
});

test('a second open of the same state directory in this process is refused', () => {
  const dir = tempStateDir();
  openTracked(dir);
  assert.throws(() => openTracked(dir), StateDirLockedError);
});

test('a lock held by another live process is refused with its pid and what to do', () => {
  const dir = tempStateDir();
  const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
  children.push(sleeper);
  assert.ok(sleeper.pid);
  fs.writeFileSync(lockPath(dir), `${sleeper.pid}\n`);

  assert.throws(
    () => openTracked(dir),
    (error: unknown) => {
      assert.ok(error instanceof StateDirLockedError);
      assert.equal(error.pid, sleeper.pid);
      assert.match(error.message, new RegExp(`pid ${sleeper.pid}\\b`));
      assert.match(error.message, /Stop that emulator, or start this one with another --state-dir/);
      return true;
    },
  );
  // The other emulator's lock is left alone.
  assert.equal(fs.readFileSync(lockPath(dir), 'utf8').trim(), String(sleeper.pid));
});

test('a lock left by a process that has exited is taken over with a warning', () => {
  const dir = tempStateDir();
  const exited = spawnSync('true');
  assert.ok(exited.pid);
  fs.writeFileSync(lockPath(dir), `${exited.pid}\n`);

  const messages: string[] = [];
  openTracked(dir, messages).load();
  assert.equal(fs.readFileSync(lockPath(dir), 'utf8').trim(), String(process.pid));
  assert.equal(messages.length, 1);
  assert.match(messages[0] ?? '', new RegExp(`took over the lock file .*lock left by pid ${exited.pid}`));
});

test('an empty lock file (a crash while creating it) is taken over with a warning', () => {
  const dir = tempStateDir();
  fs.writeFileSync(lockPath(dir), '');
  const messages: string[] = [];
  openTracked(dir, messages);
  assert.equal(fs.readFileSync(lockPath(dir), 'utf8').trim(), String(process.pid));
  assert.match(messages.join('\n'), /names no process/);
});
