// What the cluster resolved for a Service, in the words the hover, the inlay hints, the code
// lenses and the tree snapshot share: its ClusterIP or external address as `kubectl get svc`
// prints them, its DNS names, the endpoints of each port (from its EndpointSlices), and how a
// nodePort is reached from the host.

import type { ClusterView } from '../cluster/clusterView';
import { liveTargetOf } from '../cluster/liveTarget';
import type { EndpointSlice, EndpointSlicePort, Service, ServicePort } from '../validation/kubeTypes';

export const DEFAULT_CLUSTER_DOMAIN = 'cluster.local';

/** True when the view answers from a live cluster, not from the workspace's pod templates. */
export function isLive(view: ClusterView): boolean {
  return view.connected && (view.source.kind === 'emulator' || view.source.kind === 'kubeconfig');
}

/** The cluster's DNS domain: the emulator says which; any other cluster is taken to use the default. */
export function clusterDomainOf(view: ClusterView): string {
  return liveTargetOf(view).target?.emulator?.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN;
}

/** The names a pod resolves to the Service: short (same namespace), namespaced, `.svc`, fully qualified. */
export function dnsNames(name: string, namespace: string, domain: string): string[] {
  return [name, `${name}.${namespace}`, `${name}.${namespace}.svc`, `${name}.${namespace}.svc.${domain}`];
}

export interface EndpointInfo {
  ip: string;
  port: number;
  ready: boolean;
  pod?: string;
  node?: string;
}

/** Numeric order for IPv4 addresses (10.244.0.9 before 10.244.0.15); text order otherwise. */
export function compareIPs(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  if (pa.length === 4 && pb.length === 4 && [...pa, ...pb].every((n) => Number.isInteger(n))) {
    for (let i = 0; i < 4; i++) if (pa[i] !== pb[i]) return pa[i]! - pb[i]!;
    return 0;
  }
  return a.localeCompare(b);
}

function compareEndpoints(a: EndpointInfo, b: EndpointInfo): number {
  return compareIPs(a.ip, b.ip) || a.port - b.port;
}

/**
 * Every endpoint address of the slices, once per slice port that `wanted` accepts. An address
 * in two slices (as during a rollout) counts once. A nil `ready` condition means ready, as the
 * EndpointSlice API asks consumers to read it.
 */
function collect(slices: readonly EndpointSlice[], wanted: (p: EndpointSlicePort) => boolean): EndpointInfo[] {
  const out = new Map<string, EndpointInfo>();
  for (const slice of slices) {
    const ports = Array.isArray(slice.ports) ? slice.ports.filter((p) => p && wanted(p) && typeof p.port === 'number') : [];
    const endpoints = Array.isArray(slice.endpoints) ? slice.endpoints : [];
    for (const ep of endpoints) {
      const ip = Array.isArray(ep?.addresses) ? ep.addresses[0] : undefined;
      if (typeof ip !== 'string') continue;
      for (const p of ports) {
        const key = `${ip}:${p.port}`;
        if (out.has(key)) continue;
        const info: EndpointInfo = { ip, port: p.port!, ready: ep.conditions?.ready !== false };
        if (ep.targetRef?.name) info.pod = ep.targetRef.name;
        if (ep.nodeName) info.node = ep.nodeName;
        out.set(key, info);
      }
    }
  }
  return [...out.values()].sort(compareEndpoints);
}

/** The endpoints behind one Service port: the slice ports with its name and protocol. */
export function portEndpoints(slices: readonly EndpointSlice[], port: Pick<ServicePort, 'name' | 'protocol'>): EndpointInfo[] {
  const name = port.name ?? '';
  const protocol = port.protocol || 'TCP';
  return collect(slices, (p) => (p.name ?? '') === name && (p.protocol || 'TCP') === protocol);
}

/** Every endpoint of the Service, once per port. */
export function allEndpoints(slices: readonly EndpointSlice[]): EndpointInfo[] {
  return collect(slices, () => true);
}

/** How many distinct endpoint addresses there are and how many of them are ready. */
export function endpointCounts(slices: readonly EndpointSlice[]): { ready: number; total: number } {
  const byIP = new Map<string, boolean>();
  for (const slice of slices) {
    for (const ep of Array.isArray(slice.endpoints) ? slice.endpoints : []) {
      const ip = Array.isArray(ep?.addresses) ? ep.addresses[0] : undefined;
      if (typeof ip === 'string') byIP.set(ip, (byIP.get(ip) ?? false) || ep.conditions?.ready !== false);
    }
  }
  let ready = 0;
  for (const r of byIP.values()) if (r) ready++;
  return { ready, total: byIP.size };
}

/** The CLUSTER-IP column of `kubectl get svc`: the address, `None` for headless, undefined for ExternalName. */
export function clusterIPText(svc: Service): string | undefined {
  if (svc.spec?.type === 'ExternalName') return undefined;
  const ip = svc.spec?.clusterIP;
  return typeof ip === 'string' && ip ? ip : undefined;
}

/**
 * The EXTERNAL-IP column of `kubectl get svc`: a LoadBalancer's ingress addresses or
 * `<pending>`, the externalIPs of any other type, an ExternalName's name; undefined when none.
 */
export function externalIPText(svc: Service): string | undefined {
  const spec = svc.spec ?? {};
  if (spec.type === 'ExternalName') return spec.externalName || undefined;
  const external = Array.isArray(spec.externalIPs) ? spec.externalIPs : [];
  if (spec.type === 'LoadBalancer') {
    const ingress = (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname).filter((a): a is string => !!a);
    const all = [...ingress, ...external];
    return all.length > 0 ? all.join(',') : '<pending>';
  }
  return external.length > 0 ? external.join(',') : undefined;
}

export interface HostReach {
  /** The URL to open from the host, when the node's address is known. */
  url?: string;
  /** The URL, or where the port is reachable when no URL can be given. */
  text: string;
}

/**
 * How a nodePort is reached from outside the cluster. The emulator's node is the host itself
 * (127.0.0.1). The views do not read a real cluster's nodes, so for one the address is named
 * as the nodes' rather than guessed.
 */
export function nodePortReach(view: ClusterView, nodePort: number): HostReach {
  if (view.source.kind === 'emulator') {
    const url = `http://127.0.0.1:${nodePort}`;
    return { url, text: url };
  }
  return { text: `port ${nodePort} of every node (the editor does not read the cluster's nodes, so it cannot name their addresses)` };
}
