// The emulator's kube-proxy: keeps the iptables rule model in step with the Services and
// EndpointSlices in the store, prints it as iptables-save would, and routes new connections
// through it.
//
// It is incremental, like the real proxier's partial syncs: a store event recomputes only the
// Service it concerns (a slice event maps to the Service named by its service-name label),
// and the full model is put together again only when someone next reads it. The recent-match
// lists behind ClientIP affinity live here, outside the rules, so affinity to an endpoint
// survives every resync that keeps that endpoint, as the kernel's lists do.

import { R } from '../api/resources';
import type { EndpointSlice, KubeObject, Service } from '../api/types';
import type { Clock } from '../clock';
import type { StoreEvent } from '../store/store';
import { renderIptablesSave, type ServiceRef } from './iptablesSave';
import { evaluateConnection, RecentTables, type NewConnection, type Verdict } from './ruleEvaluator';
import {
  assembleRules,
  LARGE_CLUSTER_ENDPOINTS_THRESHOLD,
  proxyConfig,
  slicesForService,
  sortServices,
  totalEndpoints,
  type ProxyConfig,
  type ProxyRules,
} from './rules';
import { compareStrings, SERVICE_NAME_LABEL } from './servicePorts';
import { serviceRules, type ServiceRules } from './serviceRules';

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

function serviceKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/** Which Service an event concerns, if it concerns one at all. */
function affectedService(event: StoreEvent): string | undefined {
  const obj = event.object;
  const namespace = obj?.metadata?.namespace ?? '';
  if (event.resource === R.services) return obj?.metadata?.name ? serviceKey(namespace, obj.metadata.name) : undefined;
  if (event.resource === R.endpointslices) {
    const name = obj?.metadata?.labels?.[SERVICE_NAME_LABEL];
    return name ? serviceKey(namespace, name) : undefined;
  }
  return undefined;
}

/** A Service that adds nothing: headless, ExternalName, or gone. */
function isEmpty(f: ServiceRules): boolean {
  return f.shared.length === 0 && f.chains.length === 0 && f.endpointCount === 0;
}

export class KubeProxy {
  private readonly source: ProxySource;
  private readonly clock: Clock;
  private readonly rand: () => number;
  private readonly log: (message: string) => void;
  private readonly config: ProxyConfig;
  private readonly fragments = new Map<string, ServiceRules>();
  private readonly listeners = new Set<() => void>();
  private readonly recent = new RecentTables();
  private largeClusterMode = false;
  private assembled: ProxyRules | undefined;
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
    for (const svc of sortServices(this.source.list(R.services) as Service[])) {
      const key = serviceKey(svc.metadata.namespace ?? '', svc.metadata.name ?? '');
      const fragment = this.compute(key);
      if (!isEmpty(fragment)) this.fragments.set(key, fragment);
    }
    this.unsubscribe = this.source.subscribe((event) => this.onEvent(event));
  }

  /** The current rule model; rebuilt here, lazily, after changes. */
  rules(): ProxyRules {
    if (this.assembled) return this.assembled;
    const large = totalEndpoints([...this.fragments.values()]) > LARGE_CLUSTER_ENDPOINTS_THRESHOLD;
    if (large !== this.largeClusterMode) {
      // Crossing the threshold changes every Service's comments, as in the real proxier.
      this.largeClusterMode = large;
      for (const key of this.fragments.keys()) this.fragments.set(key, this.compute(key));
    }
    const ordered = [...this.fragments.values()].sort(
      (a, b) => compareStrings(a.namespace, b.namespace) || compareStrings(a.name, b.name),
    );
    this.assembled = assembleRules(this.config, ordered);
    return this.assembled;
  }

  /** `iptables-save` output for the node, or only one Service's part of it. */
  render(only?: ServiceRef): string {
    return renderIptablesSave(this.rules(), { now: this.clock.now(), only });
  }

  /** What the node does with the first packet of a new connection. */
  /**
   * What would happen to a new connection, without touching affinity state or drawing from
   * the random source: for questions such as "does this NodePort refuse everything now?".
   */
  probe(conn: NewConnection): Verdict {
    return evaluateConnection(this.rules(), conn, {
      rand: () => 0.5,
      now: this.clock.now(),
      recent: new RecentTables(),
      nodeIPs: this.config.nodeIPs,
    });
  }

  route(conn: NewConnection): Verdict {
    return evaluateConnection(this.rules(), conn, {
      rand: this.rand,
      now: this.clock.now(),
      recent: this.recent,
      nodeIPs: this.config.nodeIPs,
    });
  }

  /** Called after every change to the rules (not for events that leave them as they were). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.listeners.clear();
  }

  /** Frees the affinity lists no rule names any more, as the kernel does when rules are replaced. */
  private retainRecentLists(): void {
    const names = new Set<string>();
    for (const fragment of this.fragments.values()) {
      for (const chain of fragment.chains) {
        for (const rule of chain.rules) for (const m of rule.matches) if (m.kind === 'recent') names.add(m.name);
      }
    }
    this.recent.retain(names);
  }

  /** The Service's rules as they should be now; a Service that cannot be read adds none. */
  private compute(key: string): ServiceRules {
    const slash = key.indexOf('/');
    const namespace = key.slice(0, slash);
    const name = key.slice(slash + 1);
    const none: ServiceRules = { namespace, name, shared: [], chains: [], endpointCount: 0 };
    try {
      const svc = (this.source.list(R.services, namespace) as Service[]).find((s) => s?.metadata?.name === name);
      if (!svc) return none;
      const slices = slicesForService(this.source.list(R.endpointslices, namespace) as EndpointSlice[], namespace, name);
      return serviceRules(svc, slices, this.config, this.largeClusterMode);
    } catch (err) {
      this.log(`kube-proxy: no rules for ${key}: ${(err as Error).message}`);
      return none;
    }
  }

  private onEvent(event: StoreEvent): void {
    const key = affectedService(event);
    if (!key) return;
    const before = this.fragments.get(key);
    const after = this.compute(key);
    const empty = isEmpty(after);
    if (empty) this.fragments.delete(key);
    else this.fragments.set(key, after);
    if (JSON.stringify(before ?? null) === JSON.stringify(empty ? null : after)) return;
    this.assembled = undefined;
    this.retainRecentLists();
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch (err) {
        this.log(`kube-proxy: change listener failed: ${(err as Error).message}`);
      }
    }
  }
}
