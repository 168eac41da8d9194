// The emulator's durable storage: a snapshot plus an append-only log of the writes made since,
// both in one state directory that only one emulator may use at a time.
//
// Files in the state directory (mode 0700; files 0600, since Secrets live here):
//   lock                   the pid of the emulator using the directory (see stateDirLock.ts)
//   snapshot.snap          every object at one resourceVersion (see snapshotFile.ts)
//   wal.log                the log, one record per line (framing in recordLines.ts)
//   wal.log.next           during a compaction: the records appended after the snapshot's
//                          resourceVersion; renamed over wal.log once the snapshot is durable
//   snapshot.*.tmp         a snapshot being written; left only by a crash, removed by `load`
//   *.corrupt-<time>       damaged files set aside by `load`, kept for a human to inspect
//
// Group commit: `append` encodes a record and queues it. Once per turn of the event loop
// (setImmediate, so every request and controller callback of the turn shares it) the queue is
// written with one write() and made durable with one fdatasync, which runs on libuv's thread
// pool while the event loop goes on; whatever is appended meanwhile forms the next batch.
// `durable()` resolves once the records appended before it are synced. setImmediate rather than
// a microtask: a microtask would flush after every single callback, one fsync per request.
//
// Crash safety. A crash mid-batch leaves a torn last record, which `load` cuts off; no record of
// a torn batch was acknowledged, since acknowledgement waits for the fdatasync. A compaction
// first makes every queued record durable and switches appends to wal.log.next (the directory
// fsynced, so the new file survives a crash), then writes the snapshot to a temporary file,
// fsyncs it, renames it over snapshot.snap and fsyncs the directory, and only then renames
// wal.log.next over wal.log. A crash before the snapshot's rename leaves the old snapshot,
// wal.log and wal.log.next, which `load` reads in that order; a crash after it leaves records the
// new snapshot already covers, which `load` skips by resourceVersion.
//
// A failed flush (disk full, EIO) cannot be taken back: its writes are already visible in
// memory and watchers have seen them. The log then refuses every further write and every
// waiting `durable()` rejects, so nothing is acknowledged on top of writes that may be lost;
// the message says to restart, which reloads what the disk holds. This is also why a failed
// fsync is never retried: the kernel may have dropped the dirty pages it could not write.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { CHECK_MODES, FILE_MODE, fsyncDirectory, fsyncFile, octal, removeIfPresent, tightenFileMode, writeAll } from './durableFiles';
import {
  isWalRecord,
  type LoadResult,
  type LoadSink,
  type Persistence,
  type Snapshot,
  type SnapshotEntry,
  type WalRecord,
} from './persistence';
import { decodeLine, encodeLine, forEachLine } from './recordLines';
import { LEGACY_SNAPSHOT_FILE, readSnapshotFile, SNAPSHOT_FILE, writeSnapshotAsync, writeSnapshotSync } from './snapshotFile';
import { acquireStateDirLock, type StateDirLock } from './stateDirLock';

export interface WalOptions {
  /**
   * Receives warnings raised while opening the directory (permissions tightened, a stale lock
   * taken over) and the error of a failed flush. Warnings about the data itself are returned by
   * `load` instead. Defaults to standard error.
   */
  log?: (message: string) => void;
  /** The clock that names set-aside files; the real one unless a test pins it. */
  now?: () => Date;
  /** Replaces the log's write and sync calls, so tests can make the disk fail. */
  io?: Partial<LogIo>;
}

/** The calls that put log batches on disk. */
export interface LogIo {
  /** Writes all of `bytes` at the end of the file, or throws. */
  write(fd: number, bytes: Buffer): void;
  /** fdatasync on libuv's thread pool. */
  datasync(fd: number, done: (error: Error | null) => void): void;
  datasyncSync(fd: number): void;
}

const FILE_IO: LogIo = {
  write: writeAll,
  datasync: (fd, done) => fs.fdatasync(fd, done),
  datasyncSync: (fd) => fs.fdatasyncSync(fd),
};

const LOG_FILE = 'wal.log';
const NEXT_LOG_FILE = 'wal.log.next';
const DIR_MODE = 0o700;
// POSIX permission bits mean little on Windows, where Node reports made-up modes.

// Names temporary snapshot files uniquely within the process: a compaction abandoned by a closed
// log may still be writing its file while a newer log on the same directory starts its own.
let temporaryFiles = 0;

/**
 * Opens (creating if needed) the state directory and takes its lock. Throws
 * StateDirLockedError when another live emulator uses the directory. Call `load` before
 * `append` or `compact`: it repairs a log left torn by a crash.
 */
export function openWal(stateDir: string, opts: WalOptions = {}): Persistence {
  const log = opts.log ?? ((message: string) => process.stderr.write(`warning: ${message}\n`));
  prepareDirectory(stateDir, log);
  const lock = acquireStateDirLock(stateDir, log);
  try {
    return new WriteAheadLog(stateDir, lock, log, opts.now ?? (() => new Date()), { ...FILE_IO, ...opts.io });
  } catch (error) {
    lock.release();
    throw error;
  }
}

function prepareDirectory(dir: string, log: (message: string) => void): void {
  fs.mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  if (!CHECK_MODES) return;
  const mode = fs.statSync(dir).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    fs.chmodSync(dir, DIR_MODE);
    log(
      `tightened the permissions of the state directory ${dir} from ${octal(mode)} to ${octal(DIR_MODE)}: ` +
        `it holds every object of the cluster, Secrets included`,
    );
  }
}

interface Waiter {
  /** The append sequence number that must be synced. */
  upTo: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

interface SegmentScan {
  file: string;
  fd: number;
  /** How many intact records came before the first damaged one (and were handed over). */
  kept: number;
  /** Byte offset of the first damaged or incomplete record, if any. */
  damagedAt: number | undefined;
  /** How many intact records follow the damage in this file (all of them after earlier damage). */
  recordsAfterDamage: number;
  bytes: number;
}

type CollectingSink = LoadSink & { result: { snapshot?: Snapshot; records: WalRecord[] } };

/** A sink that keeps everything, for a `load()` without one. */
function collectingSink(): CollectingSink {
  let objects: SnapshotEntry[] = [];
  const result: CollectingSink['result'] = { records: [] };
  return {
    result,
    object: (entry) => void objects.push(entry),
    snapshot: (rv) => void (result.snapshot = { rv, objects }),
    discardSnapshot: () => void (objects = []),
    record: (record) => void result.records.push(record),
  };
}

class WriteAheadLog implements Persistence {
  private readonly logPath: string;
  private readonly nextPath: string;
  private readonly snapshotPath: string;
  private readonly legacySnapshotPath: string;
  /** The file appends go to: wal.log, or wal.log.next while a compaction is unfinished. */
  private fd: number;
  private activePath: string;
  /** Bytes of intact records in the active file. */
  private size = 0;
  private loaded = false;
  private closed = false;
  private failure: Error | undefined;
  private recordCount = 0;
  private compactions = 0;

  // Group commit. Records are numbered in append order: `appended` is the last queued,
  // `written` the last handed to the kernel, `synced` the last known to be on disk.
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private appended = 0;
  private written = 0;
  private synced = 0;
  private flushScheduled = false;
  private syncing: { fd: number; upTo: number } | undefined;
  /** Descriptors replaced while their fdatasync was running; closed when it ends. */
  private readonly retired = new Set<number>();
  /** Waiting `durable()` calls, in increasing `upTo` order. */
  private waiters: Waiter[] = [];

  constructor(
    private readonly dir: string,
    private readonly lock: StateDirLock,
    private readonly log: (message: string) => void,
    private readonly now: () => Date,
    private readonly io: LogIo,
  ) {
    this.logPath = path.join(dir, LOG_FILE);
    this.nextPath = path.join(dir, NEXT_LOG_FILE);
    this.snapshotPath = path.join(dir, SNAPSHOT_FILE);
    this.legacySnapshotPath = path.join(dir, LEGACY_SNAPSHOT_FILE);
    // O_APPEND puts every write at the end.
    this.fd = fs.openSync(this.logPath, 'a', FILE_MODE);
    this.activePath = this.logPath;
    try {
      tightenFileMode(this.logPath, this.log, { fd: this.fd });
      fsyncDirectory(dir);
    } catch (error) {
      fs.closeSync(this.fd);
      throw error;
    }
  }

  get recordsSinceSnapshot(): number {
    return this.recordCount;
  }

  load(sink?: LoadSink): LoadResult {
    this.assertOpen();
    const warnings: string[] = [];
    const collected = sink ? undefined : collectingSink();
    const target = sink ?? (collected as CollectingSink);
    this.removeUnfinishedSnapshots(warnings);
    const snapshotRv = this.readSnapshot(target, warnings) ?? 0;
    this.readLogs((record) => {
      if (record.rv > snapshotRv) target.record(record);
    }, warnings);
    this.loaded = true;
    return { snapshot: collected?.result.snapshot, records: collected?.result.records ?? [], warnings };
  }

  append(record: WalRecord): void {
    this.assertWritable();
    const bytes = encodeLine(record);
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    this.appended++;
    this.recordCount++;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        this.flush();
      });
    }
  }

  durable(): Promise<void> {
    const upTo = this.appended;
    if (upTo <= this.synced) return Promise.resolve();
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiters.push({ upTo, resolve, reject }));
  }

  compact(snapshot: Snapshot): void {
    this.assertWritable();
    this.compactions++;
    this.beginCompaction();
    const temp = this.temporarySnapshotPath();
    try {
      writeSnapshotSync(temp, snapshot);
    } catch (error) {
      removeIfPresent(temp);
      throw error;
    }
    this.finishCompaction(temp);
  }

  async compactInBackground(snapshot: Snapshot): Promise<void> {
    this.assertWritable();
    const generation = ++this.compactions;
    this.beginCompaction();
    const temp = this.temporarySnapshotPath();
    const abandoned = (): boolean => this.closed || this.failure !== undefined || generation !== this.compactions;
    let bytes: number | undefined;
    try {
      bytes = await writeSnapshotAsync(temp, snapshot, abandoned);
    } catch (error) {
      removeIfPresent(temp);
      if (abandoned()) return;
      throw error;
    }
    if (bytes === undefined || abandoned()) {
      removeIfPresent(temp);
      return;
    }
    this.finishCompaction(temp);
  }

  close(): void {
    if (this.closed) return;
    try {
      if (this.loaded && !this.failure) this.flushSync();
    } catch (error) {
      this.log(`could not flush the write-ahead log while closing: ${(error as Error).message}`);
    } finally {
      this.closed = true;
      this.retire(this.fd);
      this.lock.release();
    }
  }

  // --- group commit ---

  /** Writes the queued batch and starts its fdatasync, unless one is already running. */
  private flush(): void {
    if (this.closed || this.failure) return;
    this.writePending();
    this.startSync();
  }

  private writePending(): void {
    if (this.pending.length === 0 || this.failure) return;
    const batch = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    try {
      this.io.write(this.fd, batch);
    } catch (error) {
      // Cut a partial batch back so the file ends on a whole record; a crash would leave the
      // same torn tail, which `load` repairs, so a failure here changes nothing.
      try {
        fs.ftruncateSync(this.fd, this.size);
      } catch {
        // The failure below already stops every write.
      }
      this.fail(error as Error);
      return;
    }
    this.size += batch.length;
    this.written = this.appended;
  }

  private startSync(): void {
    if (this.syncing || this.failure || this.written <= this.synced) return;
    const fd = this.fd;
    const upTo = this.written;
    this.syncing = { fd, upTo };
    this.io.datasync(fd, (error) => {
      this.syncing = undefined;
      if (this.retired.delete(fd)) closeQuietly(fd);
      if (this.closed) return;
      // A descriptor replaced by a compaction was synced synchronously before the switch, so
      // its outcome here says nothing new.
      if (fd === this.fd) {
        if (error) {
          this.fail(error);
          return;
        }
        this.markSynced(upTo);
      }
      this.flush();
    });
  }

  /** Writes and syncs everything queued before returning. */
  private flushSync(): void {
    if (this.failure) throw this.failure;
    this.writePending();
    if (this.failure) throw this.failure;
    if (this.written <= this.synced) return;
    try {
      this.io.datasyncSync(this.fd);
    } catch (error) {
      this.fail(error as Error);
      throw this.failure ?? error;
    }
    this.markSynced(this.written);
  }

  private markSynced(upTo: number): void {
    if (upTo > this.synced) this.synced = upTo;
    let done = 0;
    while (done < this.waiters.length && (this.waiters[done]?.upTo ?? Infinity) <= this.synced) done++;
    if (done === 0) return;
    for (const w of this.waiters.splice(0, done)) w.resolve();
  }

  private fail(cause: Error): void {
    if (this.failure) return;
    this.failure = new Error(
      `the emulator could not save a write to ${this.activePath} (${cause.message}); it refuses all writes from now on, ` +
        `and writes that were not confirmed may be lost. Free disk space or fix the disk, then restart the emulator`,
    );
    this.pending = [];
    this.pendingBytes = 0;
    this.log(this.failure.message);
    for (const w of this.waiters.splice(0)) w.reject(this.failure);
  }

  /** Closes `fd` now, or once the fdatasync running on it ends. */
  private retire(fd: number): void {
    if (this.syncing?.fd === fd) this.retired.add(fd);
    else closeQuietly(fd);
  }

  // --- compaction ---

  /**
   * Makes every queued record durable in the current file and sends later appends to
   * wal.log.next, so the file the snapshot replaces holds only records it covers.
   */
  private beginCompaction(): void {
    this.flushSync();
    this.recordCount = 0;
    // An earlier compaction that did not finish switched already; its wal.log is still covered.
    if (this.activePath === this.nextPath) return;
    const fd = fs.openSync(this.nextPath, 'a', FILE_MODE);
    try {
      fsyncDirectory(this.dir);
      this.size = fs.fstatSync(fd).size;
    } catch (error) {
      closeQuietly(fd);
      throw error;
    }
    this.retire(this.fd);
    this.fd = fd;
    this.activePath = this.nextPath;
  }

  private finishCompaction(temp: string): void {
    try {
      fs.renameSync(temp, this.snapshotPath);
    } catch (error) {
      removeIfPresent(temp);
      throw error;
    }
    fsyncDirectory(this.dir);
    // Only now may the covered records go: the snapshot that replaces them is durable.
    fs.renameSync(this.nextPath, this.logPath);
    this.activePath = this.logPath;
    removeIfPresent(this.legacySnapshotPath);
    fsyncDirectory(this.dir);
  }

  private temporarySnapshotPath(): string {
    return `${this.snapshotPath}.${process.pid}-${++temporaryFiles}.tmp`;
  }

  // --- loading ---

  private removeUnfinishedSnapshots(warnings: string[]): void {
    for (const name of fs.readdirSync(this.dir)) {
      if (!name.startsWith('snapshot.') || !name.endsWith('.tmp')) continue;
      const file = path.join(this.dir, name);
      if (removeIfPresent(file)) {
        warnings.push(`removed ${file}, an unfinished snapshot left by a crash during compaction; nothing was lost`);
      }
    }
  }

  /** Hands the snapshot's objects to `sink`; returns its resourceVersion, or undefined when there is none. */
  private readSnapshot(sink: LoadSink, warnings: string[]): number | undefined {
    // The legacy file is only read when no snapshot.snap was ever written: it is older.
    let file = this.snapshotPath;
    let read = readSnapshotFile(file, (entry) => sink.object(entry));
    if (read.kind === 'missing') {
      file = this.legacySnapshotPath;
      read = readSnapshotFile(file, (entry) => sink.object(entry));
    }
    if (read.kind === 'missing') return undefined;
    if (read.kind === 'loaded') {
      tightenFileMode(file, this.log);
      sink.snapshot(read.rv);
      return read.rv;
    }
    sink.discardSnapshot();
    const aside = this.setAside(file, 'rename');
    warnings.push(
      `the snapshot ${file} is damaged (${read.problem}); it was moved to ${aside} and the state was ` +
        `rebuilt from ${LOG_FILE} alone, so objects written before the last compaction are missing`,
    );
    return undefined;
  }

  /**
   * Reads wal.log and, after an unfinished compaction, wal.log.next, as one log, handing every
   * intact record before the first damaged one to `onRecord`: a damaged record makes
   * everything after it untrusted, in both files.
   */
  private readLogs(onRecord: (record: WalRecord) => void, warnings: string[]): void {
    const segments = [this.scanSegment(this.logPath, this.fd, onRecord)];
    if (!fs.existsSync(this.nextPath)) {
      this.repairLogs(segments, warnings);
      return;
    }
    const nextFd = fs.openSync(this.nextPath, 'a', FILE_MODE);
    try {
      tightenFileMode(this.nextPath, this.log, { fd: nextFd });
      // After damage in wal.log, the records of wal.log.next are only counted.
      segments.push(this.scanSegment(this.nextPath, nextFd, segments[0]?.damagedAt === undefined ? onRecord : undefined));
    } catch (error) {
      closeQuietly(nextFd);
      throw error;
    }
    // Appends continue in wal.log.next; wal.log stays open until its repair, if any, is done.
    const logFd = this.fd;
    this.fd = nextFd;
    this.activePath = this.nextPath;
    try {
      this.repairLogs(segments, warnings);
    } finally {
      closeQuietly(logFd);
    }
  }

  /** Cuts off the first damage of `segments` and everything after it, and says so. */
  private repairLogs(segments: SegmentScan[], warnings: string[]): void {
    let kept = 0;
    let damaged: { index: number; at: number } | undefined;
    let recordsAfter = 0;
    let bytesAfter = 0;
    segments.forEach((s, index) => {
      if (damaged) {
        recordsAfter += s.recordsAfterDamage;
        bytesAfter += s.bytes;
        return;
      }
      kept += s.kept;
      if (s.damagedAt !== undefined) {
        damaged = { index, at: s.damagedAt };
        recordsAfter += s.recordsAfterDamage;
        bytesAfter += s.bytes - s.damagedAt;
      }
    });
    this.recordCount = kept;
    this.size = segments[segments.length - 1]?.bytes ?? 0;
    const first = damaged && segments[damaged.index];
    if (!damaged || !first) return;
    const later = segments.slice(damaged.index);
    if (recordsAfter === 0) {
      // Nothing readable follows the damage, so it is the tail of a batch that a crash cut
      // short: those writes were never acknowledged, and cutting them off loses nothing.
      this.cutSegments(later, damaged.at);
      warnings.push(
        `${first.file}: cut off an incomplete or corrupt last record at byte offset ${damaged.at} ` +
          `(${bytesAfter} bytes dropped), most likely a write interrupted by a crash; ` +
          `${kept} records before it were kept`,
      );
      return;
    }

    // Readable records after a damaged one mean the file was damaged after it was written
    // (disk or filesystem trouble, or a manual edit). Records past the damage cannot be
    // trusted to follow on from what came before, so only the records before it are kept; a
    // copy of every affected file is kept for inspection.
    const asides = later.filter((s) => s.bytes > 0).map((s) => this.setAside(s.file, 'copy'));
    this.cutSegments(later, damaged.at);
    warnings.push(
      `DATA LOSS: ${first.file} is damaged in the middle, at byte offset ${damaged.at}. ` +
        `The ${kept} records before that point were kept; the ${recordsAfter} readable ` +
        `records after it (${bytesAfter} bytes in all) were dropped, so recent writes are missing. ` +
        `The damaged log was saved as ${asides.join(' and ')}.`,
    );
  }

  /**
   * Reads one log file, handing its intact records before the first damaged one to `onRecord`
   * (all of them are only counted when `onRecord` is undefined: damage came earlier).
   */
  private scanSegment(file: string, fd: number, onRecord: ((record: WalRecord) => void) | undefined): SegmentScan {
    const scan: SegmentScan = { file, fd, kept: 0, damagedAt: undefined, recordsAfterDamage: 0, bytes: fs.fstatSync(fd).size };
    const readFd = fs.openSync(file, 'r');
    try {
      forEachLine(readFd, (line) => {
        // A last line without its newline was never completely written, however it reads.
        const value = line.complete ? decodeLine(line.bytes, line.start, line.end) : undefined;
        const record = isWalRecord(value) ? value : undefined;
        if (onRecord && scan.damagedAt === undefined) {
          if (record) {
            scan.kept++;
            onRecord(record);
          } else {
            scan.damagedAt = line.offset;
          }
        } else if (record) {
          scan.recordsAfterDamage++;
        }
      });
    } finally {
      fs.closeSync(readFd);
    }
    return scan;
  }

  /** Truncates the first segment at `at` and empties the ones after it. */
  private cutSegments(segments: SegmentScan[], at: number): void {
    segments.forEach((s, i) => {
      const length = i === 0 ? at : 0;
      fs.ftruncateSync(s.fd, length);
      fs.fsyncSync(s.fd);
      if (s.fd === this.fd) this.size = length;
    });
  }

  /** Moves (or copies, keeping the original in place) a damaged file to `<name>.corrupt-<time>`. */
  private setAside(file: string, how: 'rename' | 'copy'): string {
    const stamp = this.now().toISOString().replace(/[:.]/g, '-');
    let target = `${file}.corrupt-${stamp}`;
    for (let n = 2; fs.existsSync(target); n++) target = `${file}.corrupt-${stamp}-${n}`;
    if (how === 'rename') {
      fs.renameSync(file, target);
    } else {
      fs.copyFileSync(file, target, fs.constants.COPYFILE_EXCL);
      fs.chmodSync(target, FILE_MODE);
      fsyncFile(target);
    }
    fsyncDirectory(this.dir);
    return target;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`the write-ahead log in ${this.dir} is closed`);
  }

  private assertWritable(): void {
    this.assertOpen();
    if (!this.loaded) throw new Error('load() must run before the first write: it repairs a log left torn by a crash');
    if (this.failure) throw this.failure;
  }
}

function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // Closing can only fail for a descriptor that is already gone.
  }
}
