// Follows every EndpointSlice through a list and a watch, the way kube-proxy and CoreDNS follow
// them, and keeps for each Service the IPs of its ready endpoints and the pods behind them.
// Waiting for a condition re-checks it after every watch event: there is no polling.

import type { EndpointSlice } from '../../emulator/src/api/types';
import type { ApiClient, WatchHandle } from './apiClient';
import { DeadlineError } from './deadline';

const SLICES_PATH = '/apis/discovery.k8s.io/v1/endpointslices';
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

interface SliceView {
  service: string;
  /** Ready endpoint IP → the pod it belongs to. */
  ready: Map<string, string>;
}

export const serviceKey = (namespace: string, name: string): string => `${namespace}/${name}`;

export class EndpointTracker {
  private readonly slices = new Map<string, SliceView>();
  private readonly byService = new Map<string, Set<string>>();
  private readonly waiters = new Set<() => void>();
  private readonly changeListeners = new Set<(service: string) => void>();
  private watch: WatchHandle | undefined;
  private failure: Error | undefined;
  /** When the last event arrived (performance.now()). */
  lastEventAt = 0;

  /** Lists the slices and watches from the list's resourceVersion. */
  static async start(api: ApiClient): Promise<EndpointTracker> {
    const tracker = new EndpointTracker();
    const list = await api.json<{ metadata: { resourceVersion: string }; items: EndpointSlice[] }>('GET', SLICES_PATH);
    for (const s of list.items) tracker.put(s);
    const rv = encodeURIComponent(list.metadata.resourceVersion);
    tracker.watch = api.watch<EndpointSlice>(`${SLICES_PATH}?watch=true&allowWatchBookmarks=true&resourceVersion=${rv}`, (e) => {
      tracker.lastEventAt = performance.now();
      if (e.type === 'ADDED' || e.type === 'MODIFIED') tracker.put(e.object);
      else if (e.type === 'DELETED') tracker.drop(e.object);
      else if (e.type === 'ERROR') tracker.fail(new Error(`endpointslice watch error: ${JSON.stringify(e.object)}`));
    });
    void tracker.watch.ended.then((err) => tracker.fail(err ?? new Error('the endpointslice watch ended')));
    return tracker;
  }

  /** Ready endpoint IPs of a Service → pod names, over all its slices. */
  ready(service: string): Map<string, string> {
    const out = new Map<string, string>();
    for (const key of this.byService.get(service) ?? []) {
      for (const [ip, pod] of this.slices.get(key)?.ready ?? []) out.set(ip, pod);
    }
    return out;
  }

  readyCount(service: string): number {
    let n = 0;
    for (const key of this.byService.get(service) ?? []) n += this.slices.get(key)?.ready.size ?? 0;
    return n;
  }

  /** Calls `listener` with the Service's key after each event that concerns it. */
  onChange(listener: (service: string) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /**
   * Resolves with performance.now() of the event after which `condition` first held (or now,
   * if it holds already); rejects with DeadlineError after `timeoutMs`, or when the watch fails.
   */
  waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<number> {
    if (this.failure) return Promise.reject(this.failure);
    if (condition()) return Promise.resolve(performance.now());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => finish(new DeadlineError(`${what}: not within ${timeoutMs} ms`)), timeoutMs);
      const check = (): void => {
        if (this.failure) finish(this.failure);
        else if (condition()) finish(undefined);
      };
      const finish = (err: Error | undefined): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
        if (err) reject(err);
        else resolve(this.lastEventAt);
      };
      this.waiters.add(check);
    });
  }

  close(): void {
    this.watch?.close();
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const w of [...this.waiters]) w();
  }

  private put(slice: EndpointSlice): void {
    const key = serviceKey(slice.metadata.namespace ?? '', slice.metadata.name ?? '');
    const service = serviceKey(slice.metadata.namespace ?? '', slice.metadata.labels?.[SERVICE_NAME_LABEL] ?? '');
    const ready = new Map<string, string>();
    for (const ep of slice.endpoints ?? []) {
      // As kube-proxy reads it: an endpoint without a readiness condition counts as ready.
      if (ep.conditions?.ready === false) continue;
      for (const ip of ep.addresses ?? []) ready.set(ip, ep.targetRef?.name ?? '');
    }
    const old = this.slices.get(key);
    if (old && old.service !== service) this.byService.get(old.service)?.delete(key);
    this.slices.set(key, { service, ready });
    let set = this.byService.get(service);
    if (!set) this.byService.set(service, (set = new Set()));
    set.add(key);
    this.changed(service);
  }

  private drop(slice: EndpointSlice): void {
    const key = serviceKey(slice.metadata.namespace ?? '', slice.metadata.name ?? '');
    const old = this.slices.get(key);
    if (!old) return;
    this.slices.delete(key);
    this.byService.get(old.service)?.delete(key);
    this.changed(old.service);
  }

  private changed(service: string): void {
    for (const l of this.changeListeners) l(service);
    for (const w of [...this.waiters]) w();
  }
}
