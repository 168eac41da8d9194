// Watch events arrive in bursts (a rollout touches pods, slices and the deployment within a few
// milliseconds). The batcher turns each burst into one ClusterChange, emitted a fixed window
// after the first notice, so features recompute once per burst rather than once per event.

import type { ClusterChange } from './clusterView';
import type { Clock, TimerHandle } from './clock';

export const COALESCE_MS = 50;

export class ChangeBatcher {
  private readonly listeners = new Set<(change: ClusterChange) => void>();
  private pendingResources = new Set<string>();
  private pendingConnection = false;
  private timer: TimerHandle | undefined;
  private disposed = false;

  constructor(
    private readonly clock: Clock,
    private readonly log: (message: string) => void,
    private readonly windowMs = COALESCE_MS,
  ) {}

  resourceChanged(resource: string): void {
    this.pendingResources.add(resource);
    this.schedule();
  }

  connectionChanged(): void {
    this.pendingConnection = true;
    this.schedule();
  }

  subscribe(listener: (change: ClusterChange) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  dispose(): void {
    this.disposed = true;
    this.timer?.cancel();
    this.timer = undefined;
    this.listeners.clear();
  }

  private schedule(): void {
    if (this.disposed || this.timer) return;
    this.timer = this.clock.after(this.windowMs, () => this.flush());
  }

  private flush(): void {
    this.timer = undefined;
    const change: ClusterChange = { resources: this.pendingResources, connectionChanged: this.pendingConnection };
    this.pendingResources = new Set();
    this.pendingConnection = false;
    // A listener that throws must not keep the others from hearing about the change.
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch (err) {
        this.log(`a cluster change listener failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
}
