// The object store: every API object, one global resourceVersion counter (like etcd's
// revision), a bounded history for watches that resume from a resourceVersion, and a
// write-ahead log underneath. A write is appended to the log (fsynced) before it becomes
// visible, so anything the API acknowledged survives a crash (ARCHITECTURE invariant 6).
//
// Stored objects are deeply frozen: readers get the stored object itself, without a copy, and
// any attempt to change it throws instead of silently corrupting the cache (invariant 3).

import type { KubeObject } from '../api/types';
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
  /** Compact the log into a snapshot once it holds this many records. */
  compactEvery?: number;
  log?: (message: string) => void;
}

type Listener = (event: StoreEvent) => void;

export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}

function nsOf(obj: KubeObject): string {
  return obj.metadata.namespace ?? '';
}

function nameOf(obj: KubeObject): string {
  const name = obj.metadata.name;
  if (!name) throw new Error('store: object without metadata.name');
  return name;
}

export class Store {
  private readonly objects = new Map<string, Map<string, Map<string, KubeObject>>>();
  private rv = 0;
  private readonly history: StoreEvent[] = [];
  private historyStart = 0;
  private readonly listeners = new Set<Listener>();
  private readonly persistence?: Persistence;
  private readonly historySize: number;
  private readonly compactEvery: number;
  private readonly log: (message: string) => void;

  constructor(opts: StoreOptions = {}) {
    this.persistence = opts.persistence;
    this.historySize = opts.historySize ?? 20000;
    this.compactEvery = opts.compactEvery ?? 5000;
    this.log = opts.log ?? (() => undefined);
    if (this.persistence) this.restore(this.persistence);
  }

  /** The newest resourceVersion; a list's resourceVersion. */
  get resourceVersion(): number {
    return this.rv;
  }

  get(resource: string, namespace: string, name: string): KubeObject | undefined {
    return this.objects.get(resource)?.get(namespace)?.get(name);
  }

  /** Objects of one resource, in one namespace or (namespace undefined) in all, sorted by namespace then name. */
  list(resource: string, namespace?: string): KubeObject[] {
    const byNs = this.objects.get(resource);
    if (!byNs) return [];
    const spaces = namespace === undefined ? [...byNs.keys()].sort() : [namespace];
    const out: KubeObject[] = [];
    for (const ns of spaces) {
      const byName = byNs.get(ns);
      if (!byName) continue;
      const names = [...byName.keys()].sort();
      for (const n of names) out.push(byName.get(n)!);
    }
    return out;
  }

  count(resource: string, namespace?: string): number {
    const byNs = this.objects.get(resource);
    if (!byNs) return 0;
    if (namespace !== undefined) return byNs.get(namespace)?.size ?? 0;
    let n = 0;
    for (const m of byNs.values()) n += m.size;
    return n;
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
    // History holds consecutive resourceVersions historyStart+1 .. this.rv.
    return this.history.slice(rv - this.historyStart);
  }

  /** Writes a snapshot now (used at a clean shutdown so the next start reads one file). */
  compact(): void {
    this.persistence?.compact(this.snapshot());
  }

  close(): void {
    this.persistence?.close();
  }

  snapshot(): Snapshot {
    const objects: Snapshot['objects'] = [];
    for (const [resource, byNs] of this.objects) {
      for (const byName of byNs.values()) for (const object of byName.values()) objects.push({ resource, object });
    }
    return { rv: this.rv, objects };
  }

  private commit(type: WatchEventType, resource: string, obj: KubeObject, old: KubeObject | undefined): KubeObject {
    const rv = this.rv + 1;
    const ns = nsOf(obj);
    const name = nameOf(obj);
    const stored = deepFreeze({ ...obj, metadata: { ...obj.metadata, resourceVersion: String(rv) } }) as KubeObject;
    const record: WalRecord =
      type === 'DELETED'
        ? { rv, op: 'delete', resource, namespace: ns, name }
        : { rv, op: 'put', resource, object: stored };
    // The log comes first: if it throws (disk full), memory is unchanged and the caller gets an error.
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
    if (this.persistence && this.persistence.recordsSinceSnapshot >= this.compactEvery) {
      this.persistence.compact(this.snapshot());
    }
    return stored;
  }

  private apply(record: WalRecord): void {
    let byNs = this.objects.get(record.resource);
    if (!byNs) this.objects.set(record.resource, (byNs = new Map()));
    if (record.op === 'put') {
      const ns = nsOf(record.object);
      let byName = byNs.get(ns);
      if (!byName) byNs.set(ns, (byName = new Map()));
      byName.set(nameOf(record.object), record.object);
    } else {
      const byName = byNs.get(record.namespace);
      byName?.delete(record.name);
      if (byName && byName.size === 0) byNs.delete(record.namespace);
    }
  }

  private remember(event: StoreEvent): void {
    this.history.push(event);
    if (this.history.length > this.historySize) {
      const drop = this.history.length - this.historySize;
      this.history.splice(0, drop);
      this.historyStart += drop;
    }
  }

  private restore(persistence: Persistence): void {
    const loaded = persistence.load();
    for (const w of loaded.warnings) this.log(`warning: ${w}`);
    if (loaded.snapshot) {
      for (const { resource, object } of loaded.snapshot.objects) {
        this.apply({ rv: loaded.snapshot.rv, op: 'put', resource, object: deepFreeze(object) });
      }
      this.rv = loaded.snapshot.rv;
    }
    for (const record of loaded.records) {
      if (record.rv <= this.rv) continue;
      if (record.op === 'put') deepFreeze(record.object);
      this.apply(record);
      this.rv = record.rv;
    }
    // Watches cannot resume from before a restart: the history starts now.
    this.historyStart = this.rv;
  }
}
