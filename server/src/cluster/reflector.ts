// One resource's list+watch loop, the way client-go's reflector keeps an informer fed: list
// (in pages) to get a snapshot and its resourceVersion, then watch from that version with
// bookmarks, resuming from the last version seen whenever a watch ends. A 410 Gone (the
// version was compacted away) means relist; a connection failure means retry the watch after
// a capped, jittered backoff; any other failure means relist after the backoff. A cluster-wide
// list that RBAC forbids falls back to the context's namespace. The loop ends on dispose.

import { ApiFailure, getJson, streamWatch, type ApiConnection, type WatchEvent } from './apiRequests';
import type { Clock, TimerHandle } from './clock';
import type { KubeObject } from '../validation/kubeTypes';

export interface ResourceSpec {
  /** The name features see in ClusterChange.resources: `services`, `pods`, ... */
  name: string;
  apiVersion: string;
  kind: string;
  /** The list path across all namespaces (`/api/v1/pods`), or of a cluster-scoped resource. */
  clusterPath: string;
  /** The list path in one namespace, for when the cluster-wide list is forbidden. */
  namespacedPath?: (namespace: string) => string;
  /** A forbidden optional resource leaves the cache usable (empty) instead of failing it. */
  optional?: boolean;
}

export interface ReflectorSink {
  /** The full contents after a list; replaces everything cached for the resource. */
  replace(objects: KubeObject[]): void;
  upsert(object: KubeObject): void;
  remove(object: KubeObject): void;
}

export type ReflectorState =
  | { phase: 'syncing' }
  | { phase: 'synced'; scope: 'cluster' | 'namespace' }
  | { phase: 'unavailable'; failure: ApiFailure }
  | { phase: 'failed'; failure: ApiFailure };

export interface ReflectorOptions {
  connection: ApiConnection;
  spec: ResourceSpec;
  sink: ReflectorSink;
  onState: (state: ReflectorState) => void;
  /** The namespace to fall back to when the cluster-wide list is forbidden. */
  namespace: string;
  clock: Clock;
  rand: () => number;
  log: (message: string) => void;
}

const PAGE_SIZE = 500;
/** A list page or the first byte of a watch must arrive within this. */
const REQUEST_IDLE_MS = 30_000;
/** Server-side watch timeouts are spread over [5, 10) minutes, as client-go's reflector does. */
const WATCH_TIMEOUT_MIN_S = 300;
/** Beyond the server-side timeout, how long a silent watch is kept before it is presumed dead. */
const WATCH_GRACE_MS = 30_000;
const BACKOFF_BASE_MS = 250;
const BACKOFF_MAX_MS = 30_000;
/** A watch that ends sooner than this without delivering anything counts as a failed attempt. */
const SHORT_WATCH_MS = 1_000;

export class Reflector {
  private stopped = false;
  private readonly abort = new AbortController();
  private sleeping: { timer: TimerHandle; wake: () => void } | undefined;
  private scope: 'cluster' | 'namespace' = 'cluster';
  private state: ReflectorState = { phase: 'syncing' };
  /** Set once the loop has returned; tests and dispose can await it. */
  readonly done: Promise<void>;

  constructor(private readonly opts: ReflectorOptions) {
    this.done = this.run().catch((err: unknown) => {
      this.opts.log(`${opts.spec.name}: the watch loop stopped: ${err instanceof Error ? err.message : String(err)}`);
    });
  }

  get current(): ReflectorState {
    return this.state;
  }

  dispose(): void {
    this.stopped = true;
    this.abort.abort();
    if (this.sleeping) {
      this.sleeping.timer.cancel();
      this.sleeping.wake();
    }
  }

  private setState(state: ReflectorState): void {
    if (this.stopped) return;
    const before = this.state;
    this.state = state;
    const same =
      before.phase === state.phase &&
      (before.phase !== 'failed' || (state.phase === 'failed' && before.failure.message === state.failure.message));
    if (!same) this.opts.onState(state);
  }

  private async run(): Promise<void> {
    let rv: string | undefined;
    let failures = 0;
    let fruitless = 0;
    while (!this.stopped) {
      try {
        if (rv === undefined) {
          rv = await this.list();
          this.setState({ phase: 'synced', scope: this.scope });
        }
        const started = this.opts.clock.now();
        let delivered = false;
        const from: string = rv;
        await this.watch(
          from,
          (next) => {
            delivered = true;
            rv = next;
          },
          () => {
            failures = 0;
            this.setState({ phase: 'synced', scope: this.scope });
          },
        );
        if (delivered || this.opts.clock.now() - started >= SHORT_WATCH_MS) fruitless = 0;
        else await this.sleep(this.backoff(++fruitless));
      } catch (err) {
        if (this.stopped) break;
        const failure = err instanceof ApiFailure ? err : new ApiFailure('protocol', err instanceof Error ? err.message : String(err));
        if (failure.kind === 'gone') {
          rv = undefined;
          if (++fruitless > 1) await this.sleep(this.backoff(fruitless));
          continue;
        }
        if (failure.kind === 'forbidden' && this.scope === 'cluster' && this.opts.spec.namespacedPath) {
          this.opts.log(`${this.opts.spec.name}: listing across namespaces is forbidden; watching namespace ${this.opts.namespace} only`);
          this.scope = 'namespace';
          rv = undefined;
          continue;
        }
        if (failure.kind === 'forbidden' && this.opts.spec.optional) {
          this.opts.sink.replace([]);
          this.setState({ phase: 'unavailable', failure });
          return;
        }
        this.setState({ phase: 'failed', failure });
        // After a network failure the last version is still good for a new watch; after
        // anything else the cache may have missed changes it cannot name, so it relists.
        if (failure.kind !== 'unreachable') rv = undefined;
        await this.sleep(this.backoff(++failures));
      }
    }
  }

  private path(): string {
    const { spec } = this.opts;
    return this.scope === 'namespace' && spec.namespacedPath ? spec.namespacedPath(this.opts.namespace) : spec.clusterPath;
  }

  /** Lists every page and hands the whole snapshot to the sink; returns its resourceVersion. */
  private async list(): Promise<string> {
    const items: KubeObject[] = [];
    let token: string | undefined;
    let rv = '';
    do {
      const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
      if (token) query.set('continue', token);
      const page = await getJson(this.opts.connection, `${this.path()}?${query}`, this.abort.signal, REQUEST_IDLE_MS);
      const parsed = parseList(page);
      if (!parsed) throw new ApiFailure('protocol', `the list of ${this.opts.spec.name} is not a Kubernetes list`);
      for (const raw of parsed.items) {
        const obj = this.normalize(raw);
        if (obj) items.push(obj);
      }
      rv = parsed.resourceVersion;
      token = parsed.continueToken;
    } while (token && !this.stopped);
    if (this.stopped) throw new ApiFailure('aborted', 'stopped');
    this.opts.sink.replace(items);
    return rv;
  }

  private async watch(from: string, progressed: (rv: string) => void, opened: () => void): Promise<void> {
    const timeoutSeconds = WATCH_TIMEOUT_MIN_S + Math.floor(this.opts.rand() * WATCH_TIMEOUT_MIN_S);
    const query = new URLSearchParams({
      watch: '1',
      resourceVersion: from,
      allowWatchBookmarks: 'true',
      timeoutSeconds: String(timeoutSeconds),
    });
    await streamWatch(
      this.opts.connection,
      `${this.path()}?${query}`,
      { onOpen: opened, onEvent: (event) => this.apply(event, progressed) },
      this.abort.signal,
      timeoutSeconds * 1000 + WATCH_GRACE_MS,
    );
  }

  private apply(event: WatchEvent, progressed: (rv: string) => void): void {
    if (this.stopped) return;
    if (event.type === 'ERROR') {
      const status = event.object as { code?: unknown; message?: unknown };
      if (status.code === 410) throw new ApiFailure('gone', 'the watch expired (410 Gone)', 410);
      const message = typeof status.message === 'string' ? status.message : 'the watch reported an error';
      throw new ApiFailure('http', message, typeof status.code === 'number' ? status.code : undefined);
    }
    const rv = resourceVersionOf(event.object);
    if (event.type === 'BOOKMARK') {
      if (rv) progressed(rv);
      return;
    }
    if (event.type !== 'ADDED' && event.type !== 'MODIFIED' && event.type !== 'DELETED') return;
    const obj = this.normalize(event.object);
    if (!obj) return;
    if (event.type === 'DELETED') this.opts.sink.remove(obj);
    else this.opts.sink.upsert(obj);
    if (rv) progressed(rv);
  }

  /**
   * Checks the one thing the cache relies on (metadata with a name) and fills in kind and
   * apiVersion, which list items leave out. managedFields are dropped: nothing reads them and
   * they are often the largest part of an object.
   */
  private normalize(raw: unknown): KubeObject | undefined {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
    const obj = raw as Record<string, unknown>;
    const meta = obj['metadata'];
    if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) return undefined;
    const metadata = meta as Record<string, unknown>;
    if (typeof metadata['name'] !== 'string' || !metadata['name']) return undefined;
    if (metadata['namespace'] !== undefined && typeof metadata['namespace'] !== 'string') return undefined;
    delete metadata['managedFields'];
    obj['kind'] ??= this.opts.spec.kind;
    obj['apiVersion'] ??= this.opts.spec.apiVersion;
    return obj as KubeObject;
  }

  private backoff(attempt: number): number {
    const base = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(attempt - 1, 16));
    return Math.round(base * (1 + 0.2 * this.opts.rand()));
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = (): void => {
        this.sleeping = undefined;
        resolve();
      };
      this.sleeping = { timer: this.opts.clock.after(ms, wake), wake };
    });
  }
}

function resourceVersionOf(obj: Record<string, unknown>): string | undefined {
  const meta = obj['metadata'];
  if (typeof meta !== 'object' || meta === null) return undefined;
  const rv = (meta as Record<string, unknown>)['resourceVersion'];
  return typeof rv === 'string' && rv ? rv : undefined;
}

function parseList(page: unknown): { items: unknown[]; resourceVersion: string; continueToken?: string } | undefined {
  if (typeof page !== 'object' || page === null) return undefined;
  const list = page as { items?: unknown; metadata?: { resourceVersion?: unknown; continue?: unknown } };
  if (list.items !== null && list.items !== undefined && !Array.isArray(list.items)) return undefined;
  const rv = list.metadata?.resourceVersion;
  if (typeof rv !== 'string') return undefined;
  const token = list.metadata?.continue;
  return { items: list.items ?? [], resourceVersion: rv, continueToken: typeof token === 'string' && token ? token : undefined };
}
