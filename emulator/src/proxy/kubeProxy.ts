// The emulator's kube-proxy: keeps the iptables rules in step with the Services and
// EndpointSlices in the store, prints them as iptables-save would, and routes new connections
// through them.
//
// It syncs the way the real proxier does (pkg/proxy/iptables/proxier.go syncProxyRules):
//  - a full sync at start, and again once more than FULL_SYNC_PERIOD_MS has passed since the
//    last one, writes every Service's rules;
//  - any other sync is partial: only the Services an event touched (a slice event maps to the
//    Service named by its service-name label) have their chains written again. The shared
//    chains (KUBE-SERVICES, KUBE-NODEPORTS, …) are always current, since they are rewritten on
//    every sync and hold no per-endpoint comments.
// largeClusterMode (more than 1,000 endpoints in all) is decided at the start of each sync. A
// partial sync that crosses the threshold writes the changed Services in the new mode and
// leaves the others as they were written, per-endpoint comments and all, until the next full
// sync: what iptables-save shows on a real node.
//
// The recent-match lists behind ClientIP affinity live here, outside the rules, so affinity to
// an endpoint survives every sync that keeps that endpoint, as the kernel's lists do.

import { R } from '../api/resources';
import type { EndpointSlice, KubeObject, Service } from '../api/types';
import type { Clock } from '../clock';
import type { StoreEvent } from '../store/store';
import type { ServiceRef } from './iptablesSave';
import { LiveRules } from './liveRules';
import { evaluateConnection, RecentTables, type NewConnection, type Verdict } from './ruleEvaluator';
import { isLargeCluster, proxyConfig, serviceKey, type ProxyConfig, type ProxyRules } from './rules';
import { prepareService, serviceRules, type PreparedService, type ServiceRules } from './serviceRules';
import { SliceIndex } from './sliceIndex';

/** Where kube-proxy reads Services and EndpointSlices from; a Store satisfies it. */
export interface ProxySource {
  list(resource: string, namespace?: string): readonly KubeObject[];
  subscribe(listener: (event: StoreEvent) => void): () => void;
}

export interface KubeProxyOptions {
  source: ProxySource;
  clock: Clock;
  /** Uniform in [0, 1); drives `-m statistic`. Defaults to Math.random. */
  rand?: () => number;
  clusterCIDR?: string;
  nodeIPs?: string[];
  nodeName?: string;
  log?: (message: string) => void;
  /** Further kube-proxy settings (nfacct, --random-fully, …); the defaults match kube-proxy 1.32. */
  config?: Partial<ProxyConfig>;
}

/** proxyutil.FullSyncPeriod: how long partial syncs may go on before every Service is rewritten. */
export const FULL_SYNC_PERIOD_MS = 60 * 60 * 1000;

/** Called with the keys (`namespace/name`) of the Services whose rules changed. */
export type RulesListener = (services: readonly string[]) => void;

/** A Service that adds nothing: headless, ExternalName, or gone. */
function isEmpty(f: ServiceRules): boolean {
  return f.shared.length === 0 && f.chains.length === 0 && f.endpointCount === 0;
}

function objectServiceKey(obj: KubeObject | undefined): string | undefined {
  const name = obj?.metadata?.name;
  return typeof name === 'string' && name !== '' ? serviceKey(obj?.metadata?.namespace ?? '', name) : undefined;
}

export class KubeProxy {
  private readonly source: ProxySource;
  private readonly clock: Clock;
  private readonly rand: () => number;
  private readonly log: (message: string) => void;
  private readonly config: ProxyConfig;
  private readonly live: LiveRules;
  private readonly services = new Map<string, Service>();
  private readonly slices = new SliceIndex();
  /** Every endpoint of every port of each Service, as last read. */
  private readonly endpointCounts = new Map<string, number>();
  private totalEndpoints = 0;
  private readonly listeners = new Set<RulesListener>();
  private readonly recent = new RecentTables();
  private lastFullSync = 0;
  private unsubscribe: (() => void) | undefined;

  constructor(opts: KubeProxyOptions) {
    this.source = opts.source;
    this.clock = opts.clock;
    this.rand = opts.rand ?? Math.random;
    this.log = opts.log ?? (() => {});
    this.config = proxyConfig({
      ...opts.config,
      clusterCIDR: opts.clusterCIDR ?? opts.config?.clusterCIDR,
      nodeIPs: opts.nodeIPs ?? opts.config?.nodeIPs,
      nodeName: opts.nodeName ?? opts.config?.nodeName,
    });
    this.live = new LiveRules(this.config);
    for (const svc of this.source.list(R.services) as Service[]) {
      const key = objectServiceKey(svc);
      if (key !== undefined) this.services.set(key, svc);
    }
    for (const slice of this.source.list(R.endpointslices) as EndpointSlice[]) this.slices.put(slice);
    this.fullSync();
    this.unsubscribe = this.source.subscribe((event) => this.onEvent(event));
  }

  /**
   * The whole rule model, assembled when first read after a change. The data plane and the
   * text do not need it; it is for tests and tools.
   */
  rules(): ProxyRules {
    this.syncIfDue();
    return this.live.rules();
  }

  /** `iptables-save` output for the node, or only one Service's part of it. */
  render(only?: ServiceRef): string {
    this.syncIfDue();
    const now = this.clock.now();
    return only ? this.live.renderService(only, now) : this.live.render(now);
  }

  /**
   * What would happen to a new connection, without touching affinity state or drawing from
   * the random source: for questions such as "does this NodePort refuse everything now?".
   */
  probe(conn: NewConnection): Verdict {
    this.syncIfDue();
    return evaluateConnection(this.live, conn, {
      rand: () => 0.5,
      now: this.clock.now(),
      recent: new RecentTables(),
      nodeIPs: this.config.nodeIPs,
    });
  }

  /** What the node does with the first packet of a new connection. */
  route(conn: NewConnection): Verdict {
    this.syncIfDue();
    return evaluateConnection(this.live, conn, {
      rand: this.rand,
      now: this.clock.now(),
      recent: this.recent,
      nodeIPs: this.config.nodeIPs,
    });
  }

  /** Called after every change to the rules (not for events that leave them as they were). */
  onChange(listener: RulesListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.listeners.clear();
  }

  private onEvent(event: StoreEvent): void {
    let affected: string[];
    if (event.resource === R.services) {
      const key = objectServiceKey(event.object);
      if (key === undefined) return;
      if (event.type === 'DELETED') this.services.delete(key);
      else this.services.set(key, event.object as Service);
      affected = [key];
    } else if (event.resource === R.endpointslices) {
      affected = this.slices.put(event.object as EndpointSlice, event.type === 'DELETED');
    } else {
      return;
    }
    if (affected.length > 0) this.sync(affected);
  }

  /** Whether the next sync is a full one (proxier.go: time.Since(lastFullSync) > FullSyncPeriod). */
  private fullSyncDue(): boolean {
    return this.clock.now() - this.lastFullSync > FULL_SYNC_PERIOD_MS;
  }

  /**
   * The periodic sync's full resync, when it is due. The real proxier also syncs on a timer,
   * so the full sync comes even without events; here it is done when the rules are next used.
   */
  private syncIfDue(): void {
    if (this.fullSyncDue()) this.notify(this.fullSync());
  }

  private sync(keys: readonly string[]): void {
    if (this.fullSyncDue()) {
      this.notify(this.fullSync());
      return;
    }
    const prepared = keys.map((key) => this.prepare(key));
    for (let i = 0; i < keys.length; i++) this.count(keys[i], prepared[i]?.endpointCount ?? 0);
    const large = isLargeCluster(this.totalEndpoints);
    const changed: string[] = [];
    for (let i = 0; i < keys.length; i++) if (this.write(keys[i], prepared[i], large)) changed.push(keys[i]);
    this.notify(changed);
  }

  /** Writes every Service's rules again; returns the Services whose rules changed. */
  private fullSync(): string[] {
    this.lastFullSync = this.clock.now();
    const keys = new Set([...this.services.keys(), ...this.live.keys()]);
    const prepared = new Map<string, PreparedService | undefined>();
    for (const key of keys) {
      const p = this.prepare(key);
      prepared.set(key, p);
      this.count(key, p?.endpointCount ?? 0);
    }
    const large = isLargeCluster(this.totalEndpoints);
    const changed: string[] = [];
    for (const [key, p] of prepared) if (this.write(key, p, large)) changed.push(key);
    return changed;
  }

  /** The Service's ports and endpoints as they are now; undefined when it cannot be read. */
  private prepare(key: string): PreparedService | undefined {
    const svc = this.services.get(key);
    if (!svc) return undefined;
    try {
      return prepareService(svc, this.slices.slices(key), this.config.nodeName);
    } catch (err) {
      this.log(`kube-proxy: no rules for ${key}: ${(err as Error).message}`);
      return undefined;
    }
  }

  private count(key: string, endpoints: number): void {
    this.totalEndpoints += endpoints - (this.endpointCounts.get(key) ?? 0);
    if (endpoints > 0) this.endpointCounts.set(key, endpoints);
    else this.endpointCounts.delete(key);
  }

  /** Writes one Service's rules in the given mode; true when they differ from what was there. */
  private write(key: string, prepared: PreparedService | undefined, largeClusterMode: boolean): boolean {
    let next: ServiceRules | undefined;
    try {
      const rules = prepared ? serviceRules(prepared, this.config, largeClusterMode) : undefined;
      next = rules && !isEmpty(rules) ? rules : undefined;
    } catch (err) {
      this.log(`kube-proxy: no rules for ${key}: ${(err as Error).message}`);
    }
    const before = this.live.get(key);
    if (!before && !next) return false;
    if (before && next && JSON.stringify(before) === JSON.stringify(next)) return false;
    try {
      for (const name of this.live.set(key, next)) this.recent.forget(name);
    } catch (err) {
      this.log(`kube-proxy: no rules for ${key}: ${(err as Error).message}`);
      for (const name of this.live.set(key, undefined)) this.recent.forget(name);
    }
    return true;
  }

  private notify(changed: readonly string[]): void {
    if (changed.length === 0) return;
    for (const listener of [...this.listeners]) {
      try {
        listener(changed);
      } catch (err) {
        this.log(`kube-proxy: change listener failed: ${(err as Error).message}`);
      }
    }
  }
}
