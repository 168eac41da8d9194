// The object store: every API object, one global resourceVersion counter (like etcd's
// revision), a bounded history for watches that resume from a resourceVersion, and a
// write-ahead log underneath. A write is queued in the log before it becomes visible, and the
// log reaches the disk in batches (group commit, see wal.ts): the API answers a write only after
// `durable()` resolves, so anything it acknowledged survives a crash (ARCHITECTURE invariant 6).
// Controllers and watchers see a write at once, before it is on disk, as a watcher of a real
// apiserver may see a write whose request later fails.
//
// The log is compacted into a snapshot in the background once it holds as many records as the
// store holds objects (and at least `compactEvery`): the log then never grows much beyond the
// snapshot, and the cost of snapshots stays proportional to the writes that caused them.
//
// Stored objects are deeply frozen: readers get the stored object itself, without a copy, and
// any attempt to change it throws instead of silently corrupting the cache (invariant 3). Equal
// parts of stored objects are shared (interner.ts), which is what keeps 100,000 pods in memory.

import type { KubeObject } from '../api/types';
import { Interner } from './interner';
import { ResourceObjects } from './objectIndex';
import type { Persistence, Snapshot, WalRecord } from './persistence';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: WatchEventType;
  /** Store resource key, e.g. `services` or `apps/deployments`. */
  resource: string;
  /** The new state; for DELETED the last state, stamped with the deletion's resourceVersion. */
  object: KubeObject;
  /** The state before this change (MODIFIED and DELETED only). */
  old?: KubeObject;
  rv: number;
}

export type StoreErrorCode = 'NotFound' | 'AlreadyExists' | 'Conflict';

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    readonly resource: string,
    readonly objectName: string,
    message: string,
  ) {
    super(message);
  }
}

export interface StoreOptions {
  persistence?: Persistence;
  /** How many past events are kept for watches that resume from a resourceVersion. */
  historySize?: number;
  /** The fewest log records that make a compaction worth it (more when the store is larger). */
  compactEvery?: number;
  log?: (message: string) => void;
}

type Listener = (event: StoreEvent) => void;

function nsOf(obj: KubeObject): string {
  return obj.metadata.namespace ?? '';
}

function nameOf(obj: KubeObject): string {
  const name = obj.metadata.name;
  if (!name) throw new Error('store: object without metadata.name');
  return name;
}

export class Store {
  private readonly objects = new Map<string, ResourceObjects>();
  private objectCount = 0;
  private rv = 0;
  /** A ring: the event of resourceVersion r sits at r % historySize. */
  private readonly history: (StoreEvent | undefined)[];
  /** History holds the consecutive resourceVersions historyStart+1 .. rv. */
  private historyStart = 0;
  private readonly listeners = new Set<Listener>();
  private readonly persistence?: Persistence;
  private readonly historySize: number;
  private readonly compactEvery: number;
  private readonly log: (message: string) => void;
  private compacting: Promise<void> | undefined;
  private readonly interner = new Interner();

  constructor(opts: StoreOptions = {}) {
    this.persistence = opts.persistence;
    this.historySize = Math.max(1, opts.historySize ?? 20000);
    this.history = new Array<StoreEvent | undefined>(this.historySize);
    this.compactEvery = opts.compactEvery ?? 5000;
    this.log = opts.log ?? (() => undefined);
    if (this.persistence) this.restore(this.persistence);
  }

  /** The newest resourceVersion; a list's resourceVersion. */
  get resourceVersion(): number {
    return this.rv;
  }

  get(resource: string, namespace: string, name: string): KubeObject | undefined {
    return this.objects.get(resource)?.get(namespace, name);
  }

  /**
   * Objects of one resource, in one namespace or (namespace undefined) in all, sorted by
   * namespace then name. The array is the caller's own; the objects in it are frozen.
   */
  list(resource: string, namespace?: string): KubeObject[] {
    return this.objects.get(resource)?.list(namespace) ?? [];
  }

  count(resource: string, namespace?: string): number {
    const objects = this.objects.get(resource);
    if (!objects) return 0;
    return namespace === undefined ? objects.size : objects.count(namespace);
  }

  create(resource: string, obj: KubeObject): KubeObject {
    const ns = nsOf(obj);
    const name = nameOf(obj);
    if (this.get(resource, ns, name)) {
      throw new StoreError('AlreadyExists', resource, name, `${resource} "${name}" already exists`);
    }
    return this.commit('ADDED', resource, obj, undefined);
  }

  /**
   * Replaces an existing object. When `expectedResourceVersion` is given and differs from the
   * stored one, nothing changes and a Conflict is thrown, as with etcd's compare-and-swap.
   */
  update(resource: string, obj: KubeObject, expectedResourceVersion?: string): KubeObject {
    const ns = nsOf(obj);
    const name = nameOf(obj);
    const old = this.get(resource, ns, name);
    if (!old) throw new StoreError('NotFound', resource, name, `${resource} "${name}" not found`);
    if (expectedResourceVersion !== undefined && expectedResourceVersion !== old.metadata.resourceVersion) {
      throw new StoreError(
        'Conflict',
        resource,
        name,
        'the object has been modified; please apply your changes to the latest version and try again',
      );
    }
    return this.commit('MODIFIED', resource, obj, old);
  }

  delete(resource: string, namespace: string, name: string, expectedUid?: string): KubeObject {
    const old = this.get(resource, namespace, name);
    if (!old) throw new StoreError('NotFound', resource, name, `${resource} "${name}" not found`);
    if (expectedUid !== undefined && expectedUid !== old.metadata.uid) {
      throw new StoreError(
        'Conflict',
        resource,
        name,
        `Precondition failed: UID in precondition: ${expectedUid}, UID in object meta: ${old.metadata.uid ?? ''}`,
      );
    }
    return this.commit('DELETED', resource, old, old);
  }

  /** Listeners run synchronously after each committed write, in commit order. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The events after `rv`, for a watch resuming there. Returns 'expired' when the history no
   * longer reaches back that far (the apiserver answers 410 Gone), and 'future' when `rv` is
   * newer than anything stored.
   */
  eventsSince(rv: number): StoreEvent[] | 'expired' | 'future' {
    if (rv > this.rv) return 'future';
    if (rv < this.historyStart) return 'expired';
    const out = new Array<StoreEvent>(this.rv - rv);
    for (let r = rv + 1; r <= this.rv; r++) out[r - rv - 1] = this.history[r % this.historySize] as StoreEvent;
    return out;
  }

  /**
   * Resolves once every write made so far is on disk; at once without persistence. Rejects
   * when the log could not be written: the writes may then be lost, and the error says so.
   */
  durable(): Promise<void> {
    return this.persistence ? this.persistence.durable() : Promise.resolve();
  }

  /** Resolves once every write so far is durable and no background compaction is running. */
  async settled(): Promise<void> {
    await this.durable();
    while (this.compacting) await this.compacting;
  }

  /**
   * Writes a snapshot now, synchronously (at a clean shutdown, so the next start reads one
   * file). A failure is logged and not thrown: the log still holds every write.
   */
  compact(): void {
    if (!this.persistence) return;
    try {
      this.persistence.compact(this.snapshot());
    } catch (err) {
      this.log(`could not write a snapshot of the store: ${(err as Error).message}; the log still holds every write`);
    }
  }

  close(): void {
    this.persistence?.close();
  }

  /**
   * Every object at the current resourceVersion. The entries are the stored objects themselves,
   * which never change (writes replace them), so the snapshot stays consistent while it is
   * written out and the store goes on.
   */
  snapshot(): Snapshot {
    const objects: Snapshot['objects'] = new Array(this.objectCount);
    let i = 0;
    for (const [resource, index] of this.objects) index.forEach((object) => (objects[i++] = { resource, object }));
    objects.length = i;
    return { rv: this.rv, objects };
  }

  private commit(type: WatchEventType, resource: string, obj: KubeObject, old: KubeObject | undefined): KubeObject {
    const rv = this.rv + 1;
    const ns = nsOf(obj);
    const name = nameOf(obj);
    const stored = this.interner.freeze({ ...obj, metadata: { ...obj.metadata, resourceVersion: String(rv) } }, old);
    const record: WalRecord =
      type === 'DELETED'
        ? { rv, op: 'delete', resource, namespace: ns, name }
        : { rv, op: 'put', resource, object: stored };
    // The log comes first: if it refuses the record (after a failed flush), memory is unchanged
    // and the caller gets the error.
    this.persistence?.append(record);
    this.rv = rv;
    this.apply(record);
    const event: StoreEvent = { type, resource, object: stored, old, rv };
    this.remember(event);
    for (const l of this.listeners) {
      try {
        l(event);
      } catch (err) {
        this.log(`store listener failed on ${type} ${resource} ${ns}/${name}: ${(err as Error).stack ?? err}`);
      }
    }
    this.compactIfDue();
    return stored;
  }

  private compactIfDue(): void {
    const persistence = this.persistence;
    if (!persistence || this.compacting) return;
    if (persistence.recordsSinceSnapshot < Math.max(this.compactEvery, this.objectCount)) return;
    const started = this.rv;
    this.compacting = persistence
      .compactInBackground(this.snapshot())
      .catch((err: unknown) => {
        this.log(`could not compact the store's log at resourceVersion ${started}: ${(err as Error).message}; the log still holds every write`);
      })
      .finally(() => {
        this.compacting = undefined;
      });
  }

  private apply(record: WalRecord): void {
    let index = this.objects.get(record.resource);
    if (!index) this.objects.set(record.resource, (index = new ResourceObjects()));
    const before = index.size;
    if (record.op === 'put') index.put(nsOf(record.object), nameOf(record.object), record.object);
    else index.remove(record.namespace, record.name);
    this.objectCount += index.size - before;
  }

  private remember(event: StoreEvent): void {
    this.history[event.rv % this.historySize] = event;
    if (event.rv - this.historyStart > this.historySize) this.historyStart = event.rv - this.historySize;
  }

  /**
   * Loads what the disk holds, one object at a time: each is frozen and shared as it is read, so
   * the parsed copies never pile up (a restart at 100,000 pods needs no more memory than the
   * running store).
   */
  private restore(persistence: Persistence): void {
    const loaded = persistence.load({
      object: ({ resource, object }) => this.apply({ rv: 0, op: 'put', resource, object: this.interner.freeze(object) }),
      snapshot: (rv) => {
        this.rv = rv;
      },
      discardSnapshot: () => {
        this.objects.clear();
        this.objectCount = 0;
      },
      record: (record) => {
        if (record.rv <= this.rv) return;
        if (record.op === 'put') {
          const previous = this.get(record.resource, nsOf(record.object), nameOf(record.object));
          record.object = this.interner.freeze(record.object, previous);
        }
        this.apply(record);
        this.rv = record.rv;
      },
    });
    for (const w of loaded.warnings) this.log(`warning: ${w}`);
    // Watches cannot resume from before a restart: the history starts now.
    this.historyStart = this.rv;
  }
}
