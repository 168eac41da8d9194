// A deduplicating key queue in the manner of client-go's workqueue: a key added many times
// before it is processed is processed once; a key added while it is being processed is
// processed again afterwards (never twice at the same time); a failed key is retried later
// with a per-key exponential backoff on the injected clock. Processing is asynchronous in
// production (a setImmediate batch) and synchronous under `drain()` in tests.

import { ApiError } from '../api/errors';
import type { Clock, TimerHandle } from '../clock';

export interface WorkQueueOptions {
  /** Used in log lines. */
  name: string;
  clock: Clock;
  /** Reconciles one key. Throwing means "try again later". */
  process: (key: string) => void;
  /**
   * Schedules an asynchronous processing round. Defaults to setImmediate. Pass `null` to process
   * only inside `drain()`, which tests do so that nothing runs behind their back.
   */
  schedule?: ((run: () => void) => void) | null;
  log?: (message: string) => void;
  /** First retry delay for errors other than conflicts; doubles per failure. */
  baseDelayMs?: number;
  maxDelayMs?: number;
}

/** Conflicts mean "someone else wrote first": the next attempt reads the newer object, so retry soon. */
const CONFLICT_DELAY_MS = 10;
/** How many keys one asynchronous round processes before yielding to I/O. */
const BATCH = 200;

export class WorkQueue {
  private readonly pending = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly delayed = new Map<string, { at: number; timer: TimerHandle }>();
  private processing: string | undefined;
  private scheduled = false;
  private stopped = false;
  private readonly schedule: ((run: () => void) => void) | null;
  private readonly log: (message: string) => void;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(private readonly opts: WorkQueueOptions) {
    this.schedule = opts.schedule === undefined ? (run) => void setImmediate(run) : opts.schedule;
    this.log = opts.log ?? (() => undefined);
    this.baseDelayMs = opts.baseDelayMs ?? 5;
    this.maxDelayMs = opts.maxDelayMs ?? 300_000;
  }

  get length(): number {
    return this.pending.size;
  }

  /** Queues a key; a key already waiting is not queued twice. */
  add(key: string): void {
    if (this.stopped) return;
    this.pending.add(key);
    this.kick();
  }

  /**
   * Queues a key after `ms` of clock time. Of several delayed adds of one key the earliest
   * wins, as with client-go's delaying queue.
   */
  addAfter(key: string, ms: number): void {
    if (this.stopped) return;
    if (ms <= 0) return this.add(key);
    const at = this.opts.clock.now() + ms;
    const existing = this.delayed.get(key);
    if (existing && existing.at <= at) return;
    existing?.timer.cancel();
    const timer = this.opts.clock.after(ms, () => {
      this.delayed.delete(key);
      this.add(key);
    });
    this.delayed.set(key, { at, timer });
  }

  /** Processes queued keys synchronously until none is left; returns how many were processed. */
  drain(): number {
    let n = 0;
    while (this.pending.size > 0 && this.processing === undefined && !this.stopped) {
      this.processOne();
      n++;
    }
    return n;
  }

  stop(): void {
    this.stopped = true;
    this.pending.clear();
    for (const d of this.delayed.values()) d.timer.cancel();
    this.delayed.clear();
  }

  private kick(): void {
    if (this.scheduled || !this.schedule || this.processing !== undefined) return;
    this.scheduled = true;
    this.schedule(() => {
      this.scheduled = false;
      for (let i = 0; i < BATCH && this.pending.size > 0 && !this.stopped; i++) this.processOne();
      if (this.pending.size > 0) this.kick();
    });
  }

  private processOne(): void {
    const key = this.pending.values().next().value as string;
    this.pending.delete(key);
    this.processing = key;
    try {
      this.opts.process(key);
      this.failures.delete(key);
    } catch (err) {
      this.retry(key, err);
    } finally {
      this.processing = undefined;
    }
  }

  private retry(key: string, err: unknown): void {
    const n = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, n);
    const isConflict = err instanceof ApiError && err.code === 409;
    const delay = isConflict
      ? CONFLICT_DELAY_MS
      : Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** Math.min(n - 1, 30));
    if (!isConflict) {
      const text = err instanceof Error ? err.message : String(err);
      this.log(`${this.opts.name}: error syncing ${JSON.stringify(key)} (attempt ${n}, retrying in ${delay}ms): ${text}`);
    }
    this.addAfter(key, delay);
  }
}
