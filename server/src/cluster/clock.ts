// Time for the cluster cache comes from an injected clock, so retries, watch timeouts and the
// coalescing window can be driven step by step in tests. The emulator uses this same contract
// (emulator/src/clock.ts adds FakeClock), so its FakeClock drives these timers too.

export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs `fn` once after `ms` milliseconds of this clock's time. */
  after(ms: number, fn: () => void): TimerHandle;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  after(ms, fn) {
    const t = setTimeout(fn, ms);
    // Timers must not keep a finished process (a CLI run, a test) alive; servers do that.
    t.unref();
    return { cancel: () => clearTimeout(t) };
  },
};
