// The emulator's durable storage: a snapshot plus an append-only log of the writes made since,
// both in one state directory that only one emulator may use at a time.
//
// Files in the state directory (mode 0700; files 0600, since Secrets live here):
//   lock               the pid of the emulator using the directory (see stateDirLock.ts)
//   snapshot.json      `{"rv":N,"objects":[{"resource":…,"object":…}…]}`, replaced atomically
//   wal.log            the log, one record per line
//   *.corrupt-<time>   damaged files set aside by `load`, kept for a human to inspect
//
// Log record format: `<crc32> <json>\n`, where <crc32> is the CRC-32 of the JSON's UTF-8 bytes
// as 8 lower-case hex digits, and <json> is the WalRecord. JSON.stringify escapes every newline
// inside strings, so a raw newline only ever ends a record: a record is complete when its
// newline is on disk and intact when its checksum matches.
//
// Crash safety: `append` returns only after the record is written and fdatasync'ed. A crash
// mid-append leaves a torn last record, which `load` cuts off. `compact` writes the snapshot to
// a temporary file, fsyncs it, renames it over snapshot.json, fsyncs the directory, and only
// then empties the log; a crash before the rename leaves the old snapshot and the full log, a
// crash after it leaves the new snapshot and log records it already covers, which `load`
// skips by resourceVersion.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { KubeObject } from '../api/types';
import { crc32 } from './crc32';
import type { LoadResult, Persistence, Snapshot, WalRecord } from './persistence';
import { acquireStateDirLock, type StateDirLock } from './stateDirLock';

export interface WalOptions {
  /**
   * Receives warnings raised while opening the directory (permissions tightened, a stale lock
   * taken over). Warnings about the data itself are returned by `load` instead. Defaults to
   * standard error.
   */
  log?: (message: string) => void;
  /** The clock that names set-aside files; the real one unless a test pins it. */
  now?: () => Date;
}

const SNAPSHOT_FILE = 'snapshot.json';
const SNAPSHOT_TEMP_FILE = 'snapshot.json.tmp';
const LOG_FILE = 'wal.log';
const DIR_MODE = 0o700;
const FILE_MODE = 0o600;
const NEWLINE = 0x0a;
const SPACE = 0x20;
// Eight hex digits of checksum and a space precede the JSON on every line.
const HEADER_LENGTH = 9;
// POSIX permission bits mean little on Windows, where Node reports made-up modes.
const CHECK_MODES = process.platform !== 'win32';

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
    return new WriteAheadLog(stateDir, lock, log, opts.now ?? (() => new Date()));
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

class WriteAheadLog implements Persistence {
  private readonly logPath: string;
  private readonly snapshotPath: string;
  private readonly fd: number;
  private loaded = false;
  private closed = false;
  // Set when a failed write could not be undone: the log's end is then unknown, and any
  // further record could land after garbage.
  private broken: Error | undefined;
  private recordCount = 0;
  // The length of the intact log, so a failed append can be cut back without a stat call.
  private size = 0;

  constructor(
    private readonly dir: string,
    private readonly lock: StateDirLock,
    private readonly log: (message: string) => void,
    private readonly now: () => Date,
  ) {
    this.logPath = path.join(dir, LOG_FILE);
    this.snapshotPath = path.join(dir, SNAPSHOT_FILE);
    // One descriptor for the emulator's lifetime; O_APPEND puts every write at the end.
    this.fd = fs.openSync(this.logPath, 'a', FILE_MODE);
    try {
      this.tightenFileMode(this.fd, this.logPath);
      fsyncDirectory(dir);
    } catch (error) {
      fs.closeSync(this.fd);
      throw error;
    }
  }

  get recordsSinceSnapshot(): number {
    return this.recordCount;
  }

  load(): LoadResult {
    this.assertOpen();
    const warnings: string[] = [];
    const tempPath = path.join(this.dir, SNAPSHOT_TEMP_FILE);
    if (fs.existsSync(tempPath)) {
      fs.rmSync(tempPath, { force: true });
      warnings.push(`removed ${tempPath}, an unfinished snapshot left by a crash during compaction; nothing was lost`);
    }
    const snapshot = this.readSnapshot(warnings);
    const records = this.readLog(warnings);
    const snapshotRv = snapshot?.rv ?? 0;
    this.loaded = true;
    return { snapshot, records: records.filter((r) => r.rv > snapshotRv), warnings };
  }

  append(record: WalRecord): void {
    this.assertWritable();
    const bytes = encodeRecord(record);
    try {
      writeAll(this.fd, bytes);
    } catch (error) {
      this.undoPartialWrite(this.size);
      throw error;
    }
    try {
      fs.fdatasyncSync(this.fd);
    } catch (error) {
      // After a failed fsync the kernel may have dropped the dirty pages: what is on disk is
      // unknown, so no later record may be acknowledged on top of it.
      this.broken = error as Error;
      throw error;
    }
    this.size += bytes.length;
    this.recordCount++;
  }

  compact(snapshot: Snapshot): void {
    this.assertWritable();
    const tempPath = path.join(this.dir, SNAPSHOT_TEMP_FILE);
    writeFileDurably(tempPath, JSON.stringify(snapshot));
    fs.renameSync(tempPath, this.snapshotPath);
    fsyncDirectory(this.dir);
    // Only now may the log go: the snapshot that replaces it is durable.
    this.truncateLog(0);
    this.recordCount = 0;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      fs.closeSync(this.fd);
    } finally {
      this.lock.release();
    }
  }

  private readSnapshot(warnings: string[]): Snapshot | undefined {
    let text: string;
    try {
      text = fs.readFileSync(this.snapshotPath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    let problem: string;
    try {
      const value: unknown = JSON.parse(text);
      if (isSnapshot(value)) {
        if (CHECK_MODES) this.tightenFileMode(undefined, this.snapshotPath);
        return value;
      }
      problem = 'it is valid JSON but not a snapshot';
    } catch (error) {
      problem = (error as Error).message;
    }
    const aside = this.setAside(this.snapshotPath, 'rename');
    warnings.push(
      `the snapshot ${this.snapshotPath} is damaged (${problem}); it was moved to ${aside} and the state was ` +
        `rebuilt from ${LOG_FILE} alone, so objects written before the last compaction are missing`,
    );
    return undefined;
  }

  private readLog(warnings: string[]): WalRecord[] {
    const bytes = fs.readFileSync(this.logPath);
    const scan = scanLog(bytes);
    this.recordCount = scan.records.length;
    this.size = scan.damagedAt ?? bytes.length;
    if (scan.damagedAt === undefined) return scan.records;

    const dropped = bytes.length - scan.damagedAt;
    if (scan.recordsAfterDamage === 0) {
      // Nothing readable follows the damage, so it is the tail of an append that a crash cut
      // short: that write was never acknowledged, and cutting it off loses nothing.
      this.truncateLog(scan.damagedAt);
      warnings.push(
        `${this.logPath}: cut off an incomplete or corrupt last record at byte offset ${scan.damagedAt} ` +
          `(${dropped} bytes dropped), most likely a write interrupted by a crash; ` +
          `${scan.records.length} records before it were kept`,
      );
      return scan.records;
    }

    // Readable records after a damaged one mean the file was damaged after it was written
    // (disk or filesystem trouble, or a manual edit). Records past the damage cannot be
    // trusted to follow on from what came before, so only the records before it are kept; a
    // copy of the whole file is kept for inspection.
    const aside = this.setAside(this.logPath, 'copy');
    this.truncateLog(scan.damagedAt);
    warnings.push(
      `DATA LOSS: ${this.logPath} is damaged in the middle, at byte offset ${scan.damagedAt}. ` +
        `The ${scan.records.length} records before that point were kept; the ${scan.recordsAfterDamage} readable ` +
        `records after it (${dropped} bytes in all) were dropped, so recent writes are missing. ` +
        `The damaged log was saved as ${aside}.`,
    );
    return scan.records;
  }

  private truncateLog(length: number): void {
    fs.ftruncateSync(this.fd, length);
    fs.fsyncSync(this.fd);
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

  private tightenFileMode(fd: number | undefined, file: string): void {
    if (!CHECK_MODES) return;
    const mode = (fd === undefined ? fs.statSync(file) : fs.fstatSync(fd)).mode & 0o777;
    if ((mode & 0o077) === 0) return;
    if (fd === undefined) fs.chmodSync(file, FILE_MODE);
    else fs.fchmodSync(fd, FILE_MODE);
    this.log(`tightened the permissions of ${file} from ${octal(mode)} to ${octal(FILE_MODE)}`);
  }

  private undoPartialWrite(size: number): void {
    try {
      fs.ftruncateSync(this.fd, size);
    } catch (error) {
      this.broken = error as Error;
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`the write-ahead log in ${this.dir} is closed`);
  }

  private assertWritable(): void {
    this.assertOpen();
    if (!this.loaded) throw new Error('load() must run before the first write: it repairs a log left torn by a crash');
    if (this.broken) {
      throw new Error(
        `the write-ahead log ${this.logPath} refuses further writes after a failed write could not be undone ` +
          `(${this.broken.message}); restart the emulator to recover`,
      );
    }
  }
}

interface LogScan {
  /** The intact records before the first damaged one. */
  records: WalRecord[];
  /** Byte offset of the first damaged or incomplete record, if any. */
  damagedAt: number | undefined;
  /** How many intact records follow the damage: zero for a torn tail. */
  recordsAfterDamage: number;
}

function scanLog(bytes: Buffer): LogScan {
  const records: WalRecord[] = [];
  let damagedAt: number | undefined;
  let recordsAfterDamage = 0;
  let start = 0;
  while (start < bytes.length) {
    const newline = bytes.indexOf(NEWLINE, start);
    const end = newline < 0 ? bytes.length : newline;
    // A last line without its newline was never completely written, however it reads.
    const record = newline < 0 ? undefined : decodeRecord(bytes, start, end);
    if (damagedAt === undefined) {
      if (record) records.push(record);
      else damagedAt = start;
    } else if (record) {
      recordsAfterDamage++;
    }
    start = end + 1;
  }
  return { records, damagedAt, recordsAfterDamage };
}

function encodeRecord(record: WalRecord): Buffer {
  const json = Buffer.from(JSON.stringify(record), 'utf8');
  const line = Buffer.allocUnsafe(HEADER_LENGTH + json.length + 1);
  line.write(crc32(json).toString(16).padStart(8, '0'), 0, 'latin1');
  line[HEADER_LENGTH - 1] = SPACE;
  json.copy(line, HEADER_LENGTH);
  line[line.length - 1] = NEWLINE;
  return line;
}

/** The record in `bytes[start, end)` (newline excluded), or undefined if it is not intact. */
function decodeRecord(bytes: Buffer, start: number, end: number): WalRecord | undefined {
  if (end - start <= HEADER_LENGTH || bytes[start + HEADER_LENGTH - 1] !== SPACE) return undefined;
  const hex = bytes.toString('latin1', start, start + HEADER_LENGTH - 1);
  if (!/^[0-9a-f]{8}$/.test(hex)) return undefined;
  if (parseInt(hex, 16) !== crc32(bytes, start + HEADER_LENGTH, end)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8', start + HEADER_LENGTH, end));
  } catch {
    return undefined;
  }
  return isWalRecord(value) ? value : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isKubeObject(value: unknown): value is KubeObject {
  return isObject(value) && isObject(value.metadata);
}

function isResourceVersion(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isWalRecord(value: unknown): value is WalRecord {
  if (!isObject(value) || !isResourceVersion(value.rv) || typeof value.resource !== 'string') return false;
  if (value.op === 'put') return isKubeObject(value.object);
  if (value.op === 'delete') return typeof value.namespace === 'string' && typeof value.name === 'string';
  return false;
}

function isSnapshot(value: unknown): value is Snapshot {
  return (
    isObject(value) &&
    isResourceVersion(value.rv) &&
    Array.isArray(value.objects) &&
    value.objects.every((entry: unknown) => isObject(entry) && typeof entry.resource === 'string' && isKubeObject(entry.object))
  );
}

function writeAll(fd: number, bytes: Buffer): void {
  let offset = 0;
  while (offset < bytes.length) offset += fs.writeSync(fd, bytes, offset, bytes.length - offset);
}

function writeFileDurably(file: string, text: string): void {
  const fd = fs.openSync(file, 'w', FILE_MODE);
  try {
    writeAll(fd, Buffer.from(text, 'utf8'));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function fsyncFile(file: string): void {
  const fd = fs.openSync(file, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Makes a rename or file creation in `dir` durable. */
function fsyncDirectory(dir: string): void {
  let fd: number;
  try {
    fd = fs.openSync(dir, 'r');
  } catch (error) {
    // Windows cannot open a directory as a file; its renames are durable without this step.
    if (process.platform === 'win32') return;
    throw error;
  }
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function octal(mode: number): string {
  return `0${mode.toString(8)}`;
}
