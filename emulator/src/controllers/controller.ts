// The shape every controller shares, and the wiring that turns store events into queued keys.
// Event handlers never decide anything: a pure function maps each event to the keys of the
// primary objects it may affect, and `sync(key)` later compares desired with current state.

import type { Clock } from '../clock';
import type { StoreEvent } from '../store/store';
import type { ClusterClient } from './clusterClient';
import { WorkQueue } from './workqueue';

export interface Controller {
  readonly name: string;
  /** Subscribes to store events and queues every existing primary object once. */
  start(): void;
  stop(): void;
  /** Reconciles one key (`namespace/name`, or `name` for cluster-scoped objects). */
  sync(key: string): void;
  /** Processes this controller's queue synchronously until it is empty; returns how many keys ran. */
  drain(): number;
}

/** Maps an event on `resource` to the keys to queue. */
export interface Watch {
  resource: string;
  keys(event: StoreEvent): Iterable<string>;
}

export interface ControllerContext {
  client: ClusterClient;
  clock: Clock;
  log?: (message: string) => void;
  /** Passed to the work queue; `null` processes only inside `drain()`. */
  schedule?: ((run: () => void) => void) | null;
}

/** Subscribes to the client's events and queues the keys each watch maps them to. */
export function enqueueOnEvents(client: ClusterClient, queue: WorkQueue, watches: readonly Watch[]): () => void {
  return client.subscribe((event) => {
    for (const w of watches) {
      if (w.resource !== event.resource) continue;
      for (const key of w.keys(event)) queue.add(key);
    }
  });
}

/**
 * The common plumbing: a queue, the subscription, the initial listing. Subclasses say what they
 * watch and how to reconcile one key.
 */
export abstract class QueueController implements Controller {
  protected readonly client: ClusterClient;
  protected readonly clock: Clock;
  protected readonly log: (message: string) => void;
  readonly queue: WorkQueue;
  private unsubscribe: (() => void) | undefined;

  constructor(
    readonly name: string,
    ctx: ControllerContext,
  ) {
    this.client = ctx.client;
    this.clock = ctx.clock;
    this.log = ctx.log ?? (() => undefined);
    this.queue = new WorkQueue({
      name,
      clock: ctx.clock,
      process: (key) => this.sync(key),
      schedule: ctx.schedule,
      log: this.log,
    });
  }

  protected abstract watches(): Watch[];
  /** Keys to reconcile at start: usually every primary object that exists. */
  protected abstract initialKeys(): Iterable<string>;
  abstract sync(key: string): void;

  start(): void {
    if (this.unsubscribe) return;
    this.unsubscribe = enqueueOnEvents(this.client, this.queue, this.watches());
    for (const key of this.initialKeys()) this.queue.add(key);
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.queue.stop();
  }

  drain(): number {
    return this.queue.drain();
  }
}
