// The durability contract between the in-memory store and the disk, and the shapes of what goes
// there. The store hands every write to `append` before the write becomes visible; records are
// written in batches (group commit), and `durable()` says when everything appended so far is on
// stable storage (written and fsynced). The API answers a write only after that, so whatever it
// acknowledged survives a crash (ARCHITECTURE invariant 6). `load` rebuilds what was on disk at
// the last stop or crash.

import type { KubeObject } from '../api/types';

/** One write. `resource` is the store's resource key, e.g. `services` or `apps/deployments`. */
export type WalRecord =
  | { rv: number; op: 'put'; resource: string; object: KubeObject }
  | { rv: number; op: 'delete'; resource: string; namespace: string; name: string };

export interface SnapshotEntry {
  resource: string;
  object: KubeObject;
}

/** Everything the store holds at one resourceVersion. */
export interface Snapshot {
  rv: number;
  objects: SnapshotEntry[];
}

export interface LoadResult {
  /** The newest complete snapshot, if one was ever written (only when `load` had no sink). */
  snapshot?: Snapshot;
  /** Records written after that snapshot, in order (empty when `load` had a sink). */
  records: WalRecord[];
  /** Human-readable notes about repairs made while loading (a truncated last record, say). */
  warnings: string[];
}

/**
 * Receives what `load` reads as it reads it, so that nothing has to be held twice: the snapshot's
 * objects one by one, then `snapshot` (or `discardSnapshot`, when the snapshot turned out damaged
 * after some of its objects were handed over), then the records written after the snapshot.
 */
export interface LoadSink {
  object(entry: SnapshotEntry): void;
  /** The objects handed over so far are the whole snapshot, at resourceVersion `rv`. */
  snapshot(rv: number): void;
  /** Forget the objects handed over so far: the snapshot is damaged and was set aside. */
  discardSnapshot(): void;
  record(record: WalRecord): void;
}

export interface Persistence {
  /**
   * Reads the state directory, repairing what a crash left torn. With a `sink`, what is read is
   * handed over as it is read; without one, it is collected into the result.
   */
  load(sink?: LoadSink): LoadResult;
  /**
   * Queues one record for the next batch, which is written and fsynced shortly after (one
   * write and one fdatasync per turn of the event loop). Throws, and queues nothing, when the
   * log refuses writes: after a failed flush, or before `load` or after `close`.
   */
  append(record: WalRecord): void;
  /**
   * Resolves once every record appended before the call is on disk. Rejects, with a message
   * saying what happened and what to do, when the flush that should have written them failed.
   */
  durable(): Promise<void>;
  /** Records appended since the last compaction began (or in the log at load). */
  readonly recordsSinceSnapshot: number;
  /**
   * Writes `snapshot` durably and then drops the log records it covers, synchronously (at a
   * clean shutdown, and in tests). A crash at any point leaves a loadable state.
   */
  compact(snapshot: Snapshot): void;
  /**
   * The same as `compact`, but writes the snapshot in slices between other work so the event
   * loop never stalls, while appends go on. Resolves when done, or when a newer compaction or
   * `close` made it moot. Rejects when writing the snapshot failed; the log is then intact.
   */
  compactInBackground(snapshot: Snapshot): Promise<void>;
  /** Flushes what is queued, then releases the files and the state directory. */
  close(): void;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isKubeObject(value: unknown): value is KubeObject {
  return isObject(value) && isObject(value.metadata);
}

export function isResourceVersion(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

export function isWalRecord(value: unknown): value is WalRecord {
  if (!isObject(value) || !isResourceVersion(value.rv) || typeof value.resource !== 'string') return false;
  if (value.op === 'put') return isKubeObject(value.object);
  if (value.op === 'delete') return typeof value.namespace === 'string' && typeof value.name === 'string';
  return false;
}

export function isSnapshotEntry(value: unknown): value is SnapshotEntry {
  return isObject(value) && typeof value.resource === 'string' && isKubeObject(value.object);
}

/** The header line of a snapshot file: its resourceVersion and how many entry lines follow. */
export function isSnapshotHeader(value: unknown): value is { rv: number; objects: number } {
  return isObject(value) && isResourceVersion(value.rv) && isResourceVersion(value.objects);
}

/** The snapshot format before snapshot.snap: one JSON document holding every object. */
export function isLegacySnapshot(value: unknown): value is Snapshot {
  return isObject(value) && isResourceVersion(value.rv) && Array.isArray(value.objects) && value.objects.every(isSnapshotEntry);
}
