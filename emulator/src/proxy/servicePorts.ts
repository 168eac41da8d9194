// What kube-proxy reads from Services and EndpointSlices before it writes a single rule:
// one ServicePortInfo per service port (pkg/proxy/serviceport.go newBaseServiceInfo), the
// endpoints of each port merged across slices (pkg/proxy/endpointslicecache.go), and the
// split into usable Cluster and Local endpoints (pkg/proxy/topology.go CategorizeEndpoints).
// This is the IPv4 proxier: addresses of the other family are left out, as the real one does.
//
// Topology hints are not modelled: the emulated node carries no zone label, and with no zone
// kube-proxy ignores zone hints, so CategorizeEndpoints always runs in its "no topology" mode.

import { formatIPv4, parseIPv4 } from '../registry/allocators/ipv4';
import type { EndpointSlice, Service } from '../api/types';
import { servicePortName } from './chainNames';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export type ServiceProtocol = 'TCP' | 'UDP' | 'SCTP';

const PROTOCOLS: readonly string[] = ['TCP', 'UDP', 'SCTP'];

/** One port of one Service as the proxier sees it. */
export interface ServicePortInfo {
  namespace: string;
  name: string;
  /** The port's name, '' when unnamed. */
  portName: string;
  /** ServicePortName.String(): `ns/name` or `ns/name:port`. */
  spn: string;
  protocol: ServiceProtocol;
  clusterIP: string;
  port: number;
  /** 0 when the port has no NodePort. */
  nodePort: number;
  externalIPs: string[];
  /** Ingress IPs of VIP-mode load balancers (ipMode Proxy ones are left to the load balancer). */
  loadBalancerVIPs: string[];
  /** Trimmed and normalised to their network address, as net.IPNet.String() prints them. */
  loadBalancerSourceRanges: string[];
  sessionAffinityClientIP: boolean;
  stickyMaxAgeSeconds: number;
  /** 0 unless the Service is a LoadBalancer with externalTrafficPolicy Local. */
  healthCheckNodePort: number;
  externalPolicyLocal: boolean;
  internalPolicyLocal: boolean;
}

/** One endpoint of one service port. */
export interface ProxyEndpoint {
  ip: string;
  port: number;
  /** `IP:port`, the string kube-proxy sorts and hashes. */
  key: string;
  isLocal: boolean;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
}

/** The value when it is an array, else nothing: stored objects may carry anything. */
function asArray<T>(value: readonly T[] | null | undefined): readonly T[] {
  return Array.isArray(value) ? value : [];
}

/** Byte-order comparison, as Go's `<` on strings (localeCompare would not match it). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Whether the text is an IPv4 address in the form it prints in: four decimal octets up to
 * 255, without leading zeros or spaces. Addresses nearly always come that way, and checking
 * is much cheaper than parsing and printing them again.
 */
export function isCanonicalIPv4(text: string): boolean {
  let octets = 0;
  let digits = 0;
  let value = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || value > 255 || ++octets > 4) return false;
      digits = 0;
      value = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && value === 0) return false;
      value = value * 10 + (c - 48);
      if (++digits > 3) return false;
    } else {
      return false;
    }
  }
  return octets === 4;
}

export function normalizeIPv4(text: string | undefined): string | undefined {
  if (typeof text !== 'string') return undefined;
  if (isCanonicalIPv4(text)) return text;
  const value = parseIPv4(text.trim());
  return value === undefined ? undefined : formatIPv4(value);
}

/** Parses `a.b.c.d/n` into its network address and length, or undefined when it is not IPv4. */
export function normalizeIPv4Cidr(text: string | undefined): string | undefined {
  if (typeof text !== 'string') return undefined;
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  if (slash < 0) return undefined;
  const address = parseIPv4(trimmed.slice(0, slash));
  const lengthText = trimmed.slice(slash + 1);
  if (address === undefined || !/^[0-9]{1,2}$/.test(lengthText) || Number(lengthText) > 32) return undefined;
  const size = 2 ** (32 - Number(lengthText));
  return `${formatIPv4(address - (address % size))}/${Number(lengthText)}`;
}

/** apiservice.ExternallyAccessible: reachable by something other than the ClusterIP. */
function serviceExternallyAccessible(svc: Service): boolean {
  const type = svc.spec.type ?? 'ClusterIP';
  return type === 'LoadBalancer' || type === 'NodePort' || (type === 'ClusterIP' && asArray(svc.spec.externalIPs).length > 0);
}

/** proxyutil.ShouldSkipService plus GetClusterIPByFamily: the IPv4 ClusterIP, or undefined. */
function proxiedClusterIP(svc: Service): string | undefined {
  const spec = svc.spec;
  if (!spec || spec.clusterIP === 'None' || !spec.clusterIP) return undefined;
  if (spec.type === 'ExternalName') return undefined;
  const candidates = asArray(spec.clusterIPs).length > 0 ? asArray(spec.clusterIPs) : [spec.clusterIP];
  for (const ip of candidates) {
    const v4 = normalizeIPv4(ip);
    if (v4) return v4;
  }
  return undefined;
}

/**
 * The ports kube-proxy programs for a Service, in spec order. Headless and ExternalName
 * Services, and Services without an IPv4 ClusterIP, have none. Ports whose protocol is not
 * TCP, UDP or SCTP are skipped rather than producing rules iptables-restore would reject.
 */
export function servicePortsOf(svc: Service): ServicePortInfo[] {
  const clusterIP = proxiedClusterIP(svc);
  const namespace = svc.metadata?.namespace ?? '';
  const name = svc.metadata?.name ?? '';
  if (!clusterIP || !name) return [];
  const spec = svc.spec;
  const externalPolicyLocal = serviceExternallyAccessible(svc) && spec.externalTrafficPolicy === 'Local';
  const internalPolicyLocal = spec.internalTrafficPolicy === 'Local';
  const clientIP = spec.sessionAffinity === 'ClientIP';
  // The apiserver defaults timeoutSeconds to 10800 whenever affinity is ClientIP.
  const timeout = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds;
  const stickyMaxAgeSeconds = clientIP ? (typeof timeout === 'number' && timeout > 0 ? Math.floor(timeout) : 10800) : 0;
  const externalIPs = asArray(spec.externalIPs).map(normalizeIPv4).filter((ip): ip is string => !!ip);
  const loadBalancerSourceRanges = asArray(spec.loadBalancerSourceRanges)
    .map(normalizeIPv4Cidr)
    .filter((c): c is string => !!c);
  const loadBalancerVIPs: string[] = [];
  for (const ing of asArray(svc.status?.loadBalancer?.ingress)) {
    // proxyutil.IsVIPMode: an unset ipMode means VIP.
    if (!ing || !ing.ip || (ing.ipMode !== undefined && ing.ipMode !== 'VIP')) continue;
    const ip = normalizeIPv4(ing.ip);
    if (ip) loadBalancerVIPs.push(ip);
  }
  const needsHealthCheck = spec.type === 'LoadBalancer' && externalPolicyLocal;
  const out: ServicePortInfo[] = [];
  for (const p of asArray(spec.ports)) {
    if (!p || typeof p !== 'object') continue;
    const protocol = String(p.protocol ?? 'TCP').toUpperCase();
    if (!PROTOCOLS.includes(protocol) || !Number.isInteger(p.port) || p.port <= 0 || p.port > 65535) continue;
    const portName = typeof p.name === 'string' ? p.name : '';
    out.push({
      namespace,
      name,
      portName,
      spn: servicePortName(namespace, name, portName),
      protocol: protocol as ServiceProtocol,
      clusterIP,
      port: p.port,
      nodePort: Number.isInteger(p.nodePort) && (p.nodePort ?? 0) > 0 ? (p.nodePort as number) : 0,
      externalIPs,
      loadBalancerVIPs,
      loadBalancerSourceRanges,
      sessionAffinityClientIP: clientIP,
      stickyMaxAgeSeconds,
      healthCheckNodePort: needsHealthCheck && Number.isInteger(spec.healthCheckNodePort) ? (spec.healthCheckNodePort as number) : 0,
      externalPolicyLocal,
      internalPolicyLocal,
    });
  }
  return out;
}

export function externallyAccessible(p: ServicePortInfo): boolean {
  return p.nodePort !== 0 || p.loadBalancerVIPs.length !== 0 || p.externalIPs.length !== 0;
}

/** Cluster endpoints are needed for internal Cluster policy and for any external traffic. */
export function usesClusterEndpoints(p: ServicePortInfo): boolean {
  return !p.internalPolicyLocal || externallyAccessible(p);
}

export function usesLocalEndpoints(p: ServicePortInfo): boolean {
  return p.internalPolicyLocal || (p.externalPolicyLocal && externallyAccessible(p));
}

/** The port-map key an endpoint slice port and a service port share: name and protocol. */
export function portKey(portName: string, protocol: string): string {
  return `${portName}/${protocol.toUpperCase()}`;
}

/**
 * The endpoints of every port of one Service, merged over its slices and sorted by `IP:port`
 * (endpointsMapFromEndpointInfo, byEndpoint). Only IPv4 slices labelled with the Service's
 * name count; ports without a name field or without a port number are ignored, as kube-proxy
 * ignores them; a duplicate endpoint keeps its first copy unless a later one is local.
 */
export function endpointsByPort(slices: readonly EndpointSlice[], nodeName: string): Map<string, ProxyEndpoint[]> {
  const byPort = new Map<string, Map<string, ProxyEndpoint>>();
  const ordered = slices
    .filter((s) => !!s && typeof s === 'object' && s.addressType === 'IPv4')
    .sort((a, b) => compareStrings(a.metadata?.name ?? '', b.metadata?.name ?? ''));
  for (const slice of ordered) {
    for (const port of asArray(slice.ports)) {
      if (!port || typeof port.name !== 'string') continue;
      if (!Number.isInteger(port.port) || (port.port ?? 0) <= 0) continue;
      const key = portKey(port.name, String(port.protocol ?? 'TCP'));
      let set = byPort.get(key);
      if (!set) byPort.set(key, (set = new Map()));
      for (const ep of asArray(slice.endpoints)) {
        const ip = normalizeIPv4(asArray(ep?.addresses)[0]);
        if (!ip) continue;
        const conditions = ep.conditions && typeof ep.conditions === 'object' ? ep.conditions : {};
        const isLocal = nodeName !== '' && ep.nodeName === nodeName;
        const endpoint: ProxyEndpoint = {
          ip,
          port: port.port as number,
          key: `${ip}:${port.port}`,
          isLocal,
          ready: conditions.ready !== false,
          serving: conditions.serving !== false,
          terminating: conditions.terminating === true,
        };
        if (!set.has(endpoint.key) || isLocal) set.set(endpoint.key, endpoint);
      }
    }
  }
  const out = new Map<string, ProxyEndpoint[]>();
  for (const [key, set] of byPort) {
    const list = [...set.values()].sort((a, b) => compareStrings(a.key, b.key));
    if (list.length > 0) out.set(key, list);
  }
  return out;
}

export interface CategorizedEndpoints {
  /** Usable endpoints for Cluster traffic policy (empty when the port never uses them). */
  cluster: ProxyEndpoint[];
  /** Usable endpoints on this node for Local traffic policy. */
  local: ProxyEndpoint[];
  /** Every endpoint this node may send to: the union of the two, sorted. */
  allReachable: ProxyEndpoint[];
  /** Whether any usable endpoint exists anywhere in the cluster. */
  hasAny: boolean;
}

/**
 * CategorizeEndpoints: Ready endpoints by default; when there are none, serving and
 * terminating ones, decided separately for Cluster and Local.
 */
export function categorizeEndpoints(endpoints: readonly ProxyEndpoint[], p: ServicePortInfo): CategorizedEndpoints {
  const result: CategorizedEndpoints = { cluster: [], local: [], allReachable: [], hasAny: false };
  if (endpoints.length === 0) return result;
  const servingTerminating = (ep: ProxyEndpoint) => ep.serving && ep.terminating;
  if (usesClusterEndpoints(p)) {
    result.cluster = endpoints.filter((ep) => ep.ready);
    if (result.cluster.length === 0) result.cluster = endpoints.filter(servingTerminating);
    result.hasAny = result.cluster.length > 0;
  }
  if (!usesLocalEndpoints(p)) {
    result.allReachable = result.cluster;
    return result;
  }
  let hasLocalReady = false;
  let hasLocalServingTerminating = false;
  for (const ep of endpoints) {
    if (ep.ready) {
      result.hasAny = true;
      if (ep.isLocal) hasLocalReady = true;
    } else if (servingTerminating(ep)) {
      result.hasAny = true;
      if (ep.isLocal) hasLocalServingTerminating = true;
    }
  }
  let useServingTerminating = false;
  if (hasLocalReady) {
    result.local = endpoints.filter((ep) => ep.isLocal && ep.ready);
  } else if (hasLocalServingTerminating) {
    useServingTerminating = true;
    result.local = endpoints.filter((ep) => ep.isLocal && servingTerminating(ep));
  }
  if (!usesClusterEndpoints(p)) {
    result.allReachable = result.local;
    return result;
  }
  if (!useServingTerminating) {
    // Ready local endpoints are always among the Ready cluster endpoints.
    result.allReachable = result.cluster;
    return result;
  }
  const merged = new Map<string, ProxyEndpoint>();
  for (const ep of [...result.cluster, ...result.local]) merged.set(ep.key, ep);
  result.allReachable = [...merged.values()].sort((a, b) => compareStrings(a.key, b.key));
  return result;
}
