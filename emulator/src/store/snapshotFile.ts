// The snapshot file, written and read one object at a time so that its size is bounded only by
// the disk: no step builds the whole snapshot as one string (V8 strings stop at about 512 MiB,
// which a store of ~75,000 pods passes) or holds the whole file in memory.
//
// Format (snapshot.snap), framed like wal.log (see recordLines.ts):
//   line 1       {"rv":N,"objects":M}                 the resourceVersion it captures
//   lines 2…M+1  {"resource":"pods","object":{…}}      one stored object per line
// A file with a damaged line, or with fewer or more lines than its header announces, is
// damaged as a whole: `readSnapshotFile` reports it, and what it handed over must be forgotten.
//
// snapshot.json, the format before this one (a single JSON document), is still read so that a
// state directory from an earlier version loads; it is never written.

import * as fs from 'node:fs';
import { FILE_MODE, writeAll } from './durableFiles';
import {
  isLegacySnapshot,
  isSnapshotEntry,
  isSnapshotHeader,
  type Snapshot,
  type SnapshotEntry,
} from './persistence';
import { decodeLine, encodeLine, forEachLine } from './recordLines';

export const SNAPSHOT_FILE = 'snapshot.snap';
export const LEGACY_SNAPSHOT_FILE = 'snapshot.json';
// A slice of serialising costs a few milliseconds of CPU: small enough to keep the event loop
// responsive during a background compaction, large enough that writes stay efficient.
const CHUNK_BYTES = 256 * 1024;
const OPEN_BRACE = 0x7b;

/** The snapshot as framed lines, in chunks of about CHUNK_BYTES. */
function* snapshotChunks(snapshot: Snapshot): Generator<Buffer> {
  let parts: Buffer[] = [encodeLine({ rv: snapshot.rv, objects: snapshot.objects.length })];
  let size = parts[0]?.length ?? 0;
  for (const entry of snapshot.objects) {
    const line = encodeLine({ resource: entry.resource, object: entry.object });
    parts.push(line);
    size += line.length;
    if (size >= CHUNK_BYTES) {
      yield Buffer.concat(parts, size);
      parts = [];
      size = 0;
    }
  }
  if (size > 0) yield Buffer.concat(parts, size);
}

/** Writes and fsyncs `file` (created or replaced, mode 0600); returns its size in bytes. */
export function writeSnapshotSync(file: string, snapshot: Snapshot): number {
  const fd = fs.openSync(file, 'w', FILE_MODE);
  let bytes = 0;
  try {
    for (const chunk of snapshotChunks(snapshot)) {
      writeAll(fd, chunk);
      bytes += chunk.length;
    }
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return bytes;
}

/**
 * Writes and fsyncs `file` like `writeSnapshotSync`, yielding to the event loop after every
 * chunk. Stops early, returning undefined, as soon as `abandoned()` says the result is no
 * longer wanted; otherwise returns the file's size in bytes.
 */
export async function writeSnapshotAsync(file: string, snapshot: Snapshot, abandoned: () => boolean): Promise<number | undefined> {
  const handle = await fs.promises.open(file, 'w', FILE_MODE);
  let bytes = 0;
  try {
    for (const chunk of snapshotChunks(snapshot)) {
      if (abandoned()) return undefined;
      let offset = 0;
      while (offset < chunk.length) offset += (await handle.write(chunk, offset, chunk.length - offset)).bytesWritten;
      bytes += chunk.length;
    }
    if (abandoned()) return undefined;
    await handle.sync();
  } finally {
    await handle.close();
  }
  return bytes;
}

export type SnapshotRead =
  | { kind: 'missing' }
  | { kind: 'loaded'; rv: number; bytes: number }
  | { kind: 'damaged'; problem: string };

/**
 * Reads a snapshot file of either format, line by line, handing each object to `onObject` as
 * it is read. When the answer is `damaged`, the objects handed over so far must be forgotten.
 */
export function readSnapshotFile(file: string, onObject: (entry: SnapshotEntry) => void): SnapshotRead {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw error;
  }
  try {
    const bytes = fs.fstatSync(fd).size;
    const first = Buffer.alloc(1);
    if (fs.readSync(fd, first, 0, 1, 0) === 1 && first[0] === OPEN_BRACE) return readLegacy(fd, bytes, onObject);
    return readLines(fd, bytes, onObject);
  } finally {
    fs.closeSync(fd);
  }
}

function readLines(fd: number, bytes: number, onObject: (entry: SnapshotEntry) => void): SnapshotRead {
  let header: { rv: number; objects: number } | undefined;
  let count = 0;
  let problem: string | undefined;
  let lineNumber = 0;
  forEachLine(fd, (line) => {
    lineNumber++;
    const value = line.complete ? decodeLine(line.bytes, line.start, line.end) : undefined;
    if (header === undefined) {
      if (isSnapshotHeader(value)) {
        header = value;
        return true;
      }
      problem = 'its first line is not an intact snapshot header';
    } else if (!isSnapshotEntry(value)) {
      problem = `line ${lineNumber} (byte offset ${line.offset}) is ${line.complete ? 'corrupt' : 'incomplete'}`;
    } else if (count === header.objects) {
      problem = `it has more lines than the ${header.objects} objects its header announces`;
    } else {
      count++;
      onObject(value);
      return true;
    }
    return false;
  });
  if (problem !== undefined) return { kind: 'damaged', problem };
  if (header === undefined) return { kind: 'damaged', problem: 'it is empty' };
  if (count !== header.objects) {
    return { kind: 'damaged', problem: `it holds ${count} of the ${header.objects} objects its header announces` };
  }
  return { kind: 'loaded', rv: header.rv, bytes };
}

function readLegacy(fd: number, bytes: number, onObject: (entry: SnapshotEntry) => void): SnapshotRead {
  // Legacy snapshots were made by one JSON.stringify, so they fit in a string.
  const text = fs.readFileSync(fd, 'utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { kind: 'damaged', problem: (error as Error).message };
  }
  if (!isLegacySnapshot(value)) return { kind: 'damaged', problem: 'it is valid JSON but not a snapshot' };
  for (const entry of value.objects) onObject(entry);
  return { kind: 'loaded', rv: value.rv, bytes };
}
