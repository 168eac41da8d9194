// Time comes from an injected clock (ARCHITECTURE invariant 1), so controllers and pod
// lifecycles can be driven deterministically in tests and run on wall time in `ksl serve`.

// The contract and the wall clock are the language server's cluster cache's own (the emulator
// project references the server project), so one FakeClock drives both in tests.
import type { Clock, TimerHandle } from '../../server/src/cluster/clock';
export { systemClock, type Clock, type TimerHandle } from '../../server/src/cluster/clock';

/** A clock that moves only when told to. Timers fire, in due order, inside `advance`. */
export class FakeClock implements Clock {
  private current: number;
  private timers: { at: number; seq: number; fn: () => void; cancelled: boolean }[] = [];
  private seq = 0;

  constructor(start = Date.parse('2026-11-26T08:00:00Z')) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  after(ms: number, fn: () => void): TimerHandle {
    const timer = { at: this.current + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => void (timer.cancelled = true) };
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      const due = this.timers
        .filter((t) => !t.cancelled && t.at <= target)
        .sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.current = due.at;
      due.fn();
    }
    this.current = target;
  }

  /** Timers that have not fired or been cancelled. */
  get pending(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }
}

/** RFC 3339 with second precision, as Kubernetes writes metav1.Time. */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** RFC 3339 with microseconds, as Kubernetes writes metav1.MicroTime. */
export function rfc3339Micro(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
