// The durability contract between the in-memory store and the disk. The store calls `append`
// for every write before it acknowledges it, so `append` must not return until the record is
// on stable storage (written and fsynced). `load` rebuilds what was acknowledged before the
// last stop or crash.

import type { KubeObject } from '../api/types';

/** One acknowledged write. `resource` is the store's resource key, e.g. `services` or `apps/deployments`. */
export type WalRecord =
  | { rv: number; op: 'put'; resource: string; object: KubeObject }
  | { rv: number; op: 'delete'; resource: string; namespace: string; name: string };

/** Everything the store holds at one resourceVersion. */
export interface Snapshot {
  rv: number;
  objects: { resource: string; object: KubeObject }[];
}

export interface LoadResult {
  /** The newest complete snapshot, if one was ever written. */
  snapshot?: Snapshot;
  /** Records written after that snapshot, in order. */
  records: WalRecord[];
  /** Human-readable notes about repairs made while loading (a truncated last record, say). */
  warnings: string[];
}

export interface Persistence {
  load(): LoadResult;
  /** Durably appends one record; returns only once it is fsynced. */
  append(record: WalRecord): void;
  /** How many records the log holds since the last snapshot; the store compacts when it grows. */
  readonly recordsSinceSnapshot: number;
  /** Writes `snapshot` durably and then empties the log. A crash at any point leaves a loadable state. */
  compact(snapshot: Snapshot): void;
  close(): void;
}
