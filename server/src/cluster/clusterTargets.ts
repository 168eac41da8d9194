// Which cluster to connect to right now, as files on disk say: the emulator's endpoints.json
// and kubeconfig, or a user's kubeconfig. A target source re-reads its files when they change
// (fs.watch on their directory, plus a slow poll for file systems where watching is
// unreliable or the directory does not exist yet) and tells its listener when the answer
// changed. The switching view turns each new target into a fresh connection.

import { watch, type FSWatcher } from 'node:fs';
import type { ApiConnection } from './apiRequests';
import type { Clock, TimerHandle } from './clock';
import type { ClusterSource } from './clusterView';

export interface ClusterTarget {
  /** Changes whenever anything that shapes the connection changes (URL, credentials, context). */
  key: string;
  source: ClusterSource;
  /** For users: `emulator at https://127.0.0.1:4321`, `context prod at https://10.0.0.1:6443`. */
  label: string;
  defaultNamespace: string;
  connection: ApiConnection;
  /** Set for the emulator: what its endpoints.json says beyond the API URL. */
  emulator?: EmulatorEndpoints;
}

/** The emulator's own services, which a real cluster does not offer on the host. */
export interface EmulatorEndpoints {
  /** The cluster DNS server as `host:port`, or undefined when endpoints.json does not name one. */
  dns: string | undefined;
  /** The cluster's DNS domain (`cluster.local` unless the emulator was started with another). */
  clusterDomain: string;
}

export type TargetState = { target: ClusterTarget } | { target?: undefined; reason: string };

export interface TargetSource {
  current(): TargetState;
  /** Called after current() changed. Returns an unsubscribe. */
  onDidChange(listener: () => void): () => void;
  dispose(): void;
}

export interface WatchedTargetsOptions {
  /** Reads the files and says what to connect to. Must not throw. */
  read: (previous: TargetState) => Promise<TargetState>;
  /** The state before the first read completes. */
  initial: TargetState;
  /** The directory holding the files, and the file names in it that matter. */
  directory: string;
  files: readonly string[];
  clock: Clock;
  pollMs: number;
  log: (message: string) => void;
}

/** fs events come in bursts (a write is often truncate + write + close); one re-read follows a burst. */
const SETTLE_MS = 30;

export class WatchedTargets implements TargetSource {
  private state: TargetState;
  private readonly listeners = new Set<() => void>();
  private watcher: FSWatcher | undefined;
  private pollTimer: TimerHandle | undefined;
  private settleTimer: TimerHandle | undefined;
  private reading = false;
  private readAgain = false;
  private disposed = false;

  constructor(private readonly opts: WatchedTargetsOptions) {
    this.state = opts.initial;
    this.attach();
    this.refresh();
    this.schedulePoll();
  }

  current(): TargetState {
    return this.state;
  }

  onDidChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  dispose(): void {
    this.disposed = true;
    this.watcher?.close();
    this.watcher = undefined;
    this.pollTimer?.cancel();
    this.settleTimer?.cancel();
    this.listeners.clear();
  }

  /** Re-reads now; when a read is under way, queues one more behind it and resolves at once. */
  async refresh(): Promise<void> {
    if (this.disposed) return;
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = true;
    try {
      do {
        this.readAgain = false;
        const next = await this.opts.read(this.state);
        if (this.disposed) return;
        if (stateKey(next) !== stateKey(this.state)) {
          this.state = next;
          for (const l of [...this.listeners]) l();
        }
      } while (this.readAgain && !this.disposed);
    } catch (err) {
      this.opts.log(`reading ${this.opts.directory} failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.reading = false;
    }
  }

  private attach(): void {
    if (this.watcher || this.disposed) return;
    try {
      const w = watch(this.opts.directory, { persistent: false }, (_event, name) => {
        if (name && !this.opts.files.includes(String(name))) return;
        this.settle();
      });
      w.on('error', () => {
        // The directory went away (or watching failed); the poll re-attaches when it is back.
        w.close();
        if (this.watcher === w) this.watcher = undefined;
        this.settle();
      });
      this.watcher = w;
    } catch {
      // The directory does not exist yet; the poll keeps trying.
    }
  }

  private settle(): void {
    if (this.disposed || this.settleTimer) return;
    this.settleTimer = this.opts.clock.after(SETTLE_MS, () => {
      this.settleTimer = undefined;
      void this.refresh();
    });
  }

  private schedulePoll(): void {
    if (this.disposed) return;
    this.pollTimer = this.opts.clock.after(this.opts.pollMs, () => {
      this.attach();
      void this.refresh().finally(() => this.schedulePoll());
    });
  }
}

function stateKey(s: TargetState): string {
  return s.target ? `target\u0000${s.target.key}` : `none\u0000${s.reason}`;
}
