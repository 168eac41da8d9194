// Keeps two emulators from sharing one state directory: two writers appending to one log would
// interleave records and each would miss the other's writes. The lock is a file named `lock`
// holding the owner's pid, created with O_EXCL so exactly one creator wins.

import * as fs from 'node:fs';
import * as path from 'node:path';

/** Thrown when a live process holds the lock. */
export class StateDirLockedError extends Error {
  constructor(
    readonly stateDir: string,
    /** The holder's pid, or undefined when the lock file names none. */
    readonly pid: number | undefined,
  ) {
    super(
      `the state directory ${stateDir} is in use by another emulator (${pid === undefined ? 'pid unknown' : `pid ${pid}`}). ` +
        `Stop that emulator, or start this one with another --state-dir. ` +
        `If no emulator is running, delete ${path.join(stateDir, 'lock')}.`,
    );
    this.name = 'StateDirLockedError';
  }
}

export interface StateDirLock {
  readonly path: string;
  /** Removes the lock file if it is still ours. Safe to call twice. */
  release(): void;
}

// Locks held by this process, by lock-file path. A lock file naming our own pid is ours only if
// it is listed here; otherwise it was left by an earlier process that happened to get the same
// pid (after a reboot, say) and is stale.
const heldByThisProcess = new Set<string>();

/**
 * Takes the lock on `stateDir` (which must exist). A lock left by a process that is no longer
 * running is taken over, and `warn` is told so. Throws StateDirLockedError when a live process
 * holds it.
 */
export function acquireStateDirLock(stateDir: string, warn: (message: string) => void): StateDirLock {
  const lockPath = path.join(path.resolve(stateDir), 'lock');
  if (heldByThisProcess.has(lockPath)) throw new StateDirLockedError(stateDir, process.pid);
  // Two rounds: the first may find a stale lock and remove it; the second must then win, or
  // another emulator took the lock in between and the error names that one.
  let takeover: string | undefined;
  for (let round = 0; round < 2; round++) {
    if (tryCreate(lockPath)) {
      heldByThisProcess.add(lockPath);
      if (takeover) warn(takeover);
      return { path: lockPath, release: () => releaseLock(lockPath) };
    }
    const holder = readHolder(lockPath);
    if (holder === 'missing') continue;
    if (holder !== undefined && holder !== process.pid && isAlive(holder)) {
      throw new StateDirLockedError(stateDir, holder);
    }
    takeover =
      holder === undefined
        ? `took over the lock file ${lockPath}, which names no process (an emulator probably crashed while creating it)`
        : `took over the lock file ${lockPath} left by pid ${holder}, an emulator that is no longer running`;
    // Removing and re-creating is not atomic: two emulators starting at the same instant
    // over the same stale lock could both get here, and the slower one could remove the lock
    // the faster one has just made. The window is a few microseconds at startup; closing it
    // would need an atomic compare-and-swap that the filesystem does not offer portably.
    fs.rmSync(lockPath, { force: true });
  }
  const holder = readHolder(lockPath);
  throw new StateDirLockedError(stateDir, holder === 'missing' ? undefined : holder);
}

function tryCreate(lockPath: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(lockPath, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    fs.writeSync(fd, `${process.pid}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

/** The pid in the lock file; undefined when the file names none, `missing` when there is no file. */
function readHolder(lockPath: string): number | undefined | 'missing' {
  let text: string;
  try {
    text = fs.readFileSync(lockPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
  const pid = Number(text.trim());
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}

function isAlive(pid: number): boolean {
  try {
    // Signal 0 only checks that the process exists and may be signalled.
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user, so it is alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function releaseLock(lockPath: string): void {
  if (!heldByThisProcess.delete(lockPath)) return;
  if (readHolder(lockPath) === process.pid) fs.rmSync(lockPath, { force: true });
}
