// Time-to-live for the objects of one resource, the way kube-apiserver gives Events a lease in
// etcd (--event-ttl): each write of an object starts its TTL again, and an object not written
// for that long is deleted, with a DELETED watch event like any other deletion.
//
// Work is incremental. Deadlines are kept in a Map (keyed by uid, a string the object already
// holds, so tracking allocates no key) in insertion order, and a write moves its key to the end: with one fixed TTL and a clock that only moves forward, that order is deadline
// order, so expiring means taking entries from the front until one is not due, and one timer,
// set for the front entry, is all that ever waits. Nothing scans the whole resource after
// `start`. (If the wall clock is set back, a later write may sit behind an earlier deadline and
// expire a little late, never early.)

import type { KubeObject } from '../api/types';
import type { Clock, TimerHandle } from '../clock';
import type { StoreEvent } from './store';

/** What the TTL reads and deletes through; the store, or a client over it. */
export interface TtlSource {
  list(resource: string): KubeObject[];
  get(resource: string, namespace: string, name: string): KubeObject | undefined;
  subscribe(listener: (event: StoreEvent) => void): () => void;
}

export interface ObjectTtlOptions {
  source: TtlSource;
  clock: Clock;
  resource: string;
  ttlMs: number;
  /**
   * When an object that exists at `start` (restored from disk) was last written, as far as the
   * object itself tells; undefined means now. Later writes are timed by the clock.
   */
  lastWritten(obj: KubeObject): number | undefined;
  /** Deletes one expired object; `uid` guards against deleting a newer object of the same name. */
  remove(namespace: string, name: string, uid: string | undefined): void;
  log?: (message: string) => void;
}

/** How many objects one timer callback deletes before yielding; the rest follow at once. */
const DELETIONS_PER_TURN = 500;

interface Deadline {
  at: number;
  namespace: string;
  name: string;
}

export class ObjectTtl {
  private readonly deadlines = new Map<string, Deadline>();
  private timer: TimerHandle | undefined;
  private unsubscribe: (() => void) | undefined;
  private readonly log: (message: string) => void;

  constructor(private readonly opts: ObjectTtlOptions) {
    this.log = opts.log ?? (() => undefined);
  }

  /** How many objects have a deadline (for tests and diagnostics). */
  get tracked(): number {
    return this.deadlines.size;
  }

  start(): void {
    if (this.unsubscribe) return;
    const now = this.opts.clock.now();
    const existing = this.opts.source.list(this.opts.resource).map((obj) => ({
      obj,
      at: Math.min(now, this.opts.lastWritten(obj) ?? now) + this.opts.ttlMs,
    }));
    existing.sort((a, b) => a.at - b.at);
    for (const { obj, at } of existing) this.track(obj, at);
    this.unsubscribe = this.opts.source.subscribe((event) => this.onEvent(event));
    this.arm();
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.timer?.cancel();
    this.timer = undefined;
    this.deadlines.clear();
  }

  private onEvent(event: StoreEvent): void {
    if (event.resource !== this.opts.resource) return;
    if (event.type === 'DELETED') {
      this.deadlines.delete(keyOf(event.object));
      return;
    }
    this.track(event.object, this.opts.clock.now() + this.opts.ttlMs);
    this.arm();
  }

  private track(obj: KubeObject, at: number): void {
    const key = keyOf(obj);
    // Deleting first moves a rewritten key to the end, where its new deadline belongs.
    this.deadlines.delete(key);
    this.deadlines.set(key, { at, namespace: obj.metadata.namespace ?? '', name: obj.metadata.name ?? '' });
  }

  /** Sets the one timer for the earliest deadline, unless it is already set (it is never later). */
  private arm(): void {
    if (this.timer || !this.unsubscribe) return;
    const first = this.deadlines.values().next();
    if (first.done) return;
    this.timer = this.opts.clock.after(Math.max(0, first.value.at - this.opts.clock.now()), () => {
      this.timer = undefined;
      this.expire();
    });
  }

  private expire(): void {
    const now = this.opts.clock.now();
    let deleted = 0;
    for (const [key, deadline] of this.deadlines) {
      if (deadline.at > now || deleted === DELETIONS_PER_TURN) break;
      this.deadlines.delete(key);
      const obj = this.opts.source.get(this.opts.resource, deadline.namespace, deadline.name);
      if (!obj || keyOf(obj) !== key) continue;
      try {
        this.opts.remove(deadline.namespace, deadline.name, obj.metadata.uid);
        deleted++;
      } catch (err) {
        this.log(`could not delete expired ${this.opts.resource} ${deadline.namespace}/${deadline.name}: ${(err as Error).message}`);
      }
    }
    this.arm();
  }
}

/** The uid; objects written through the registry always have one. */
function keyOf(obj: KubeObject): string {
  return obj.metadata.uid ?? `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}
