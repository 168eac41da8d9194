// At most one call per interval: the first trigger fires at once, and any triggers within
// the interval after it are folded into one more call at the interval's end. The server
// sends its cluster-changed notification and its refresh requests through one of these, so a
// burst of cluster changes reaches the client as a few messages, none later than one
// interval after the change.

import type { Clock, TimerHandle } from '../cluster/clock';

export class Throttle {
  private last = Number.NEGATIVE_INFINITY;
  private timer: TimerHandle | undefined;
  private disposed = false;

  constructor(
    private readonly intervalMs: number,
    private readonly clock: Clock,
    private readonly fire: () => void,
  ) {}

  trigger(): void {
    if (this.disposed || this.timer) return;
    const wait = this.last + this.intervalMs - this.clock.now();
    if (wait <= 0) {
      this.run();
      return;
    }
    this.timer = this.clock.after(wait, () => {
      this.timer = undefined;
      this.run();
    });
  }

  dispose(): void {
    this.disposed = true;
    this.timer?.cancel();
    this.timer = undefined;
  }

  private run(): void {
    if (this.disposed) return;
    this.last = this.clock.now();
    this.fire();
  }
}
