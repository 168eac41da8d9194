// The rules one Service contributes to kube-proxy's rule set: the body of the per-service-port
// loop in pkg/proxy/iptables/proxier.go syncProxyRules, and writeServiceToEndpointRules.
// Each Service is computed on its own, so KubeProxy can recompute only the Service an event
// touched; rules.ts and liveRules.ts splice the results into the shared chains.
//
// Computing a Service takes two steps, as in the proxier: its ports and endpoints are read
// first (prepareService), because largeClusterMode depends on the endpoint count of every
// Service, and only then are the rules written in that mode (serviceRules).

import type { EndpointSlice, Service } from '../api/types';
import { endpointChainName, servicePortChainName } from './chainNames';
import { formatDoubleFixed } from './fixedPoint';
import {
  KUBE_EXTERNAL_SERVICES,
  KUBE_MARK_MASQ,
  KUBE_NODEPORTS,
  KUBE_PROXY_FIREWALL,
  KUBE_SERVICES,
  type Chain,
  type L4Protocol,
  type Match,
  type ProxyConfig,
  type Rule,
  type TableName,
} from './ruleModel';
import {
  categorizeEndpoints,
  compareStrings,
  endpointsByPort,
  externallyAccessible,
  portKey,
  servicePortsOf,
  usesClusterEndpoints,
  usesLocalEndpoints,
  type ProxyEndpoint,
  type ServicePortInfo,
} from './servicePorts';

/** A rule appended to a chain every Service shares (KUBE-SERVICES, KUBE-NODEPORTS, …). */
export interface SharedRule {
  table: TableName;
  chain: string;
  rule: Rule;
}

export interface ServiceRules {
  namespace: string;
  name: string;
  /** Rules for shared chains, in the order kube-proxy writes them. */
  shared: SharedRule[];
  /** The nat chains this Service owns (EXT, FW, SVC, SVL, SEP), in the order they are declared. */
  chains: Chain[];
  /** Every endpoint of every port, usable or not: what largeClusterMode counts. */
  endpointCount: number;
}

/** What the proxier has read about one Service before it writes any rule. */
export interface PreparedService {
  namespace: string;
  name: string;
  /** The ports, in the order their rules are written. */
  ports: ServicePortInfo[];
  /** Endpoints by portKey, merged over the Service's slices and sorted by `IP:port`. */
  endpoints: ReadonlyMap<string, ProxyEndpoint[]>;
  /** Every endpoint of every port, usable or not: what largeClusterMode counts. */
  endpointCount: number;
}

/** Ladders longer than this are rare; their probabilities are formatted without the cache. */
const PROBABILITY_CACHE_SIZE = 4096;
const probabilities: string[] = [];

/** computeProbability: 1/n printed with Go's %0.10f. */
export function probability(n: number): string {
  if (!Number.isInteger(n) || n <= 0 || n >= PROBABILITY_CACHE_SIZE) return formatDoubleFixed(1 / n, 10);
  return (probabilities[n] ??= formatDoubleFixed(1 / n, 10));
}

const comment = (text: string): Match => ({ kind: 'comment', text });
const jump = (chain: string): Rule['target'] => ({ kind: 'jump', chain });
// Matches and targets are never changed once written, so the common ones are shared: a
// hundred thousand endpoints make several hundred thousand rules.
const MARK_MASQ: Rule['target'] = jump(KUBE_MARK_MASQ);
const statistics: Match[] = [];

/** The statistic match of rung n of a ladder (probability 1/n). */
function statistic(n: number): Match {
  if (n >= PROBABILITY_CACHE_SIZE) return { kind: 'statistic', probability: probability(n) };
  return (statistics[n] ??= { kind: 'statistic', probability: probability(n) });
}

// Match lists no rule writer changes after the fact, shared between rules for the same reason
// as the matches: in largeClusterMode a ladder rung or a DNAT rule has nothing of its own.
const NO_MATCHES: Match[] = Object.freeze([]) as unknown as Match[];
const statisticOnly: Match[][] = [];

/** The matches of a rung of a largeClusterMode ladder: the statistic alone. */
function statisticMatches(n: number): Match[] {
  if (n >= PROBABILITY_CACHE_SIZE) return [statistic(n)];
  return (statisticOnly[n] ??= Object.freeze([statistic(n)]) as unknown as Match[]);
}

/** The ports and endpoints of one Service; a Service kube-proxy skips has no ports. */
export function prepareService(svc: Service, slices: readonly EndpointSlice[], nodeName: string): PreparedService {
  const namespace = svc?.metadata?.namespace ?? '';
  const name = svc?.metadata?.name ?? '';
  const ports = svc ? servicePortsOf(svc) : [];
  if (ports.length === 0) return { namespace, name, ports, endpoints: new Map(), endpointCount: 0 };
  const endpoints = endpointsByPort(slices, nodeName);
  // kube-proxy walks its service-port map in Go's random map order; a fixed order keeps the
  // output stable between runs.
  ports.sort((a, b) => compareStrings(a.spn, b.spn) || compareStrings(a.protocol, b.protocol));
  let endpointCount = 0;
  for (const port of ports) endpointCount += endpoints.get(portKey(port.portName, port.protocol))?.length ?? 0;
  return { namespace, name, ports, endpoints, endpointCount };
}

/** The rules of one prepared Service, for the given kube-proxy configuration and mode. */
export function serviceRules(prepared: PreparedService, config: ProxyConfig, largeClusterMode: boolean): ServiceRules {
  const out: ServiceRules = { namespace: prepared.namespace, name: prepared.name, shared: [], chains: [], endpointCount: prepared.endpointCount };
  for (const port of prepared.ports) {
    const eps = prepared.endpoints.get(portKey(port.portName, port.protocol)) ?? [];
    writeServicePort(out, port, eps, config, largeClusterMode);
  }
  return out;
}

/**
 * The per-port chain names, hashed only when a rule needs them: most Services use one or two
 * of the four, and hashing is most of the cost of a Service's rules.
 */
class PortChainNames {
  private svc: string | undefined;
  private svl: string | undefined;
  private ext: string | undefined;
  private fw: string | undefined;
  private readonly endpoints = new Map<string, string>();

  constructor(
    private readonly spn: string,
    private readonly protocol: L4Protocol,
  ) {}

  get cluster(): string {
    return (this.svc ??= servicePortChainName('KUBE-SVC-', this.spn, this.protocol));
  }

  get local(): string {
    return (this.svl ??= servicePortChainName('KUBE-SVL-', this.spn, this.protocol));
  }

  get external(): string {
    return (this.ext ??= servicePortChainName('KUBE-EXT-', this.spn, this.protocol));
  }

  get firewall(): string {
    return (this.fw ??= servicePortChainName('KUBE-FW-', this.spn, this.protocol));
  }

  /** The endpoint's KUBE-SEP- chain, hashed once though the ladders and the chain all name it. */
  endpoint(ep: ProxyEndpoint): string {
    let name = this.endpoints.get(ep.key);
    if (name === undefined) this.endpoints.set(ep.key, (name = endpointChainName(this.spn, this.protocol, ep.key)));
    return name;
  }
}

function addShared(shared: SharedRule[], table: TableName, chain: string, rule: Rule): void {
  shared.push({ table, chain, rule });
}

function dest(ip: string): Match {
  return { kind: 'address', dir: 'destination', cidr: ip };
}

function dport(port: number): Match {
  return { kind: 'dport', port };
}

function filterTarget(t: 'REJECT' | 'DROP' | undefined): Rule['target'] {
  return { kind: t ?? 'DROP' };
}

/** The nat chain of this name among the ones the Service owns, created on first use. */
function ownedChain(owned: Map<string, Chain>, name: string): Chain {
  let c = owned.get(name);
  if (!c) owned.set(name, (c = { name, kind: 'restore', rules: [] }));
  return c;
}

function writeServicePort(out: ServiceRules, svc: ServicePortInfo, endpoints: readonly ProxyEndpoint[], config: ProxyConfig, largeClusterMode: boolean): void {
  const protocol = svc.protocol.toLowerCase() as L4Protocol;
  const spn = svc.spn;
  const { cluster, local, allReachable, hasAny: hasEndpoints } = categorizeEndpoints(endpoints, svc);
  const shared = out.shared;
  const proto: Match = { kind: 'protocol', protocol };
  const names = new PortChainNames(spn, protocol);

  const usesClusterPolicyChain = cluster.length > 0 && usesClusterEndpoints(svc);
  const usesLocalPolicyChain = local.length > 0 && usesLocalEndpoints(svc);

  // With a Local policy and no local endpoint, the policy's traffic has nowhere to go.
  const hasInternalEndpoints = hasEndpoints && !(svc.internalPolicyLocal && local.length === 0);
  const hasExternalEndpoints = hasEndpoints && !(svc.externalPolicyLocal && local.length === 0);
  // Based on hasEndpoints rather than hasExternalEndpoints: the short-circuit rules for local
  // traffic are needed even when no endpoint accepts external traffic.
  const usesExternalTrafficChain = hasEndpoints && externallyAccessible(svc);

  const usesFWChain = hasEndpoints && svc.loadBalancerVIPs.length > 0 && svc.loadBalancerSourceRanges.length > 0;

  let internalFilterTarget: 'REJECT' | 'DROP' | undefined;
  let internalFilterComment = '';
  let externalFilterTarget: 'REJECT' | 'DROP' | undefined;
  let externalFilterComment = '';
  if (!hasEndpoints) {
    internalFilterTarget = externalFilterTarget = 'REJECT';
    internalFilterComment = externalFilterComment = `${spn} has no endpoints`;
  } else {
    if (!hasInternalEndpoints) {
      internalFilterTarget = 'DROP';
      internalFilterComment = `${spn} has no local endpoints`;
    }
    if (!hasExternalEndpoints) {
      externalFilterTarget = 'DROP';
      externalFilterComment = `${spn} has no local endpoints`;
    }
  }

  // Capture the ClusterIP.
  if (hasInternalEndpoints) {
    addShared(shared, 'nat', KUBE_SERVICES, {
      matches: [comment(`${spn} cluster IP`), proto, dest(svc.clusterIP), dport(svc.port)],
      target: jump(svc.internalPolicyLocal ? names.local : names.cluster),
    });
  } else {
    addShared(shared, 'filter', KUBE_SERVICES, {
      matches: [comment(internalFilterComment), proto, dest(svc.clusterIP), dport(svc.port)],
      target: filterTarget(internalFilterTarget),
    });
  }

  // Capture externalIPs.
  for (const ip of svc.externalIPs) {
    if (hasEndpoints) {
      addShared(shared, 'nat', KUBE_SERVICES, {
        matches: [comment(`${spn} external IP`), proto, dest(ip), dport(svc.port)],
        target: jump(names.external),
      });
    }
    if (!hasExternalEndpoints) {
      addShared(shared, 'filter', KUBE_EXTERNAL_SERVICES, {
        matches: [comment(externalFilterComment), proto, dest(ip), dport(svc.port)],
        target: filterTarget(externalFilterTarget),
      });
    }
  }

  // Capture load-balancer ingress.
  for (const ip of svc.loadBalancerVIPs) {
    if (hasEndpoints) {
      addShared(shared, 'nat', KUBE_SERVICES, {
        matches: [comment(`${spn} loadbalancer IP`), proto, dest(ip), dport(svc.port)],
        target: jump(usesFWChain ? names.firewall : names.external),
      });
    }
    if (usesFWChain) {
      addShared(shared, 'filter', KUBE_PROXY_FIREWALL, {
        matches: [comment(`${spn} traffic not accepted by ${names.firewall}`), proto, dest(ip), dport(svc.port)],
        target: { kind: 'DROP' },
      });
    }
  }
  if (!hasExternalEndpoints) {
    for (const ip of svc.loadBalancerVIPs) {
      addShared(shared, 'filter', KUBE_EXTERNAL_SERVICES, {
        matches: [comment(externalFilterComment), proto, dest(ip), dport(svc.port)],
        target: filterTarget(externalFilterTarget),
      });
    }
  }

  // Capture NodePorts. NodePorts are not subject to loadBalancerSourceRanges.
  if (svc.nodePort !== 0) {
    if (hasEndpoints) {
      if (config.localhostNodePorts && config.nfacct) {
        // Counts connections to NodePorts on 127.0.0.0/8; the next rule would catch them anyway.
        addShared(shared, 'nat', KUBE_NODEPORTS, {
          matches: [comment(spn), proto, dest('127.0.0.0/8'), dport(svc.nodePort), { kind: 'nfacct', name: 'localhost_nps_accepted_pkts' }],
          target: jump(names.external),
        });
      }
      addShared(shared, 'nat', KUBE_NODEPORTS, { matches: [comment(spn), proto, dport(svc.nodePort)], target: jump(names.external) });
    }
    if (!hasExternalEndpoints) {
      addShared(shared, 'filter', KUBE_EXTERNAL_SERVICES, {
        matches: [comment(externalFilterComment), { kind: 'addrtype', dir: 'destination', type: 'LOCAL' }, proto, dport(svc.nodePort)],
        target: filterTarget(externalFilterTarget),
      });
    }
  }

  // Capture healthCheckNodePorts, whether or not this node has local endpoints.
  if (svc.healthCheckNodePort !== 0) {
    addShared(shared, 'filter', KUBE_NODEPORTS, {
      matches: [comment(`${spn} health check node port`), { kind: 'protocol', protocol: 'tcp' }, dport(svc.healthCheckNodePort)],
      target: { kind: 'ACCEPT' },
    });
  }

  const owned = new Map<string, Chain>();
  // Rules for the internal chain are written before the chain is declared; keep them aside.
  const internalRules: Rule[] = [];

  // Internal traffic handling: masquerade off-cluster traffic to the ClusterIP.
  if (hasInternalEndpoints) {
    const matches: Match[] = [comment(`${spn} cluster IP`), proto, dest(svc.clusterIP), dport(svc.port)];
    if (config.masqueradeAll) {
      internalRules.push({ matches, target: MARK_MASQ });
    } else if (config.clusterCIDR) {
      internalRules.push({
        matches: [...matches, { kind: 'address', dir: 'source', cidr: config.clusterCIDR, negate: true }],
        target: MARK_MASQ,
      });
    }
  }

  // External traffic handling: everything captured for NodePorts, external and LB IPs.
  if (usesExternalTrafficChain) {
    const ext = ownedChain(owned, names.external);
    if (!svc.externalPolicyLocal) {
      ext.rules.push({ matches: [comment(`masquerade traffic for ${spn} external destinations`)], target: MARK_MASQ });
    } else {
      if (config.clusterCIDR) {
        // Pod traffic to an external destination behaves as if it went out and came back in.
        ext.rules.push({
          matches: [comment(`pod traffic for ${spn} external destinations`), { kind: 'address', dir: 'source', cidr: config.clusterCIDR }],
          target: jump(names.cluster),
        });
      }
      ext.rules.push({
        matches: [comment(`masquerade LOCAL traffic for ${spn} external destinations`), { kind: 'addrtype', dir: 'source', type: 'LOCAL' }],
        target: MARK_MASQ,
      });
      ext.rules.push({
        matches: [comment(`route LOCAL traffic for ${spn} external destinations`), { kind: 'addrtype', dir: 'source', type: 'LOCAL' }],
        target: jump(names.cluster),
      });
    }
    if (hasExternalEndpoints) ext.rules.push({ matches: [], target: jump(svc.externalPolicyLocal ? names.local : names.cluster) });
  }

  // The load-balancer firewall chain for loadBalancerSourceRanges.
  if (usesFWChain) {
    const fw = ownedChain(owned, names.firewall);
    const head = comment(`${spn} loadbalancer IP`);
    let allowFromNode = false;
    const nodeIP = config.nodeIPs[0];
    for (const cidr of svc.loadBalancerSourceRanges) {
      fw.rules.push({ matches: [head, { kind: 'address', dir: 'source', cidr }], target: jump(names.external) });
      if (nodeIP && cidrContains(cidr, nodeIP)) allowFromNode = true;
    }
    // A request from the node to a VIP bound locally comes back with the VIP as its source.
    if (allowFromNode) {
      for (const ip of svc.loadBalancerVIPs) {
        fw.rules.push({ matches: [head, { kind: 'address', dir: 'source', cidr: ip }], target: jump(names.external) });
      }
    }
    // Whatever falls through was not DNATed and meets the KUBE-PROXY-FIREWALL DROP.
    fw.rules.push({ matches: [comment(`other traffic to ${spn} will be dropped by KUBE-PROXY-FIREWALL`)] });
  }

  if (usesClusterPolicyChain) writeServiceToEndpointRules(ownedChain(owned, names.cluster), svc, cluster, largeClusterMode, names);
  if (usesLocalPolicyChain) writeServiceToEndpointRules(ownedChain(owned, names.local), svc, local, largeClusterMode, names);
  if (internalRules.length > 0) {
    const c = ownedChain(owned, svc.internalPolicyLocal ? names.local : names.cluster);
    c.rules.unshift(...internalRules);
  }

  // The per-endpoint chains.
  const spnComment = comment(spn);
  // Without affinity every endpoint's DNAT rule has the same matches.
  const dnatMatches: Match[] | undefined = svc.sessionAffinityClientIP ? undefined : (Object.freeze(largeClusterMode ? [proto] : [spnComment, proto]) as Match[]);
  for (const ep of allReachable) {
    const name = names.endpoint(ep);
    const source: Match = { kind: 'address', dir: 'source', cidr: ep.ip };
    let matches = dnatMatches;
    if (!matches) matches = largeClusterMode ? [{ kind: 'recent', name, op: 'set' }, proto] : [spnComment, { kind: 'recent', name, op: 'set' }, proto];
    const rules: Rule[] = [
      { matches: largeClusterMode ? [source] : [spnComment, source], target: MARK_MASQ },
      { matches, target: { kind: 'DNAT', ip: ep.ip, port: ep.port } },
    ];
    const existing = owned.get(name);
    if (existing) existing.rules.push(...rules);
    else owned.set(name, { name, kind: 'restore', rules });
  }

  out.chains.push(...owned.values());
}

function writeServiceToEndpointRules(
  chain: Chain,
  svc: ServicePortInfo,
  endpoints: readonly ProxyEndpoint[],
  largeClusterMode: boolean,
  names: PortChainNames,
): void {
  // Session affinity first: a client seen recently goes back to the same endpoint.
  if (svc.sessionAffinityClientIP) {
    for (const ep of endpoints) {
      const sep = names.endpoint(ep);
      const recent: Match = { kind: 'recent', name: sep, op: 'rcheck', seconds: svc.stickyMaxAgeSeconds, reap: true };
      chain.rules.push({ matches: largeClusterMode ? [recent] : [comment(`${svc.spn} -> ${ep.key}`), recent], target: jump(sep) });
    }
  }
  // Then the load-balancing ladder: rule i of n matches with probability 1/(n-i).
  const n = endpoints.length;
  for (let i = 0; i < n; i++) {
    const ep = endpoints[i];
    let matches: Match[];
    if (largeClusterMode) {
      matches = i < n - 1 ? statisticMatches(n - i) : NO_MATCHES;
    } else {
      matches = [comment(`${svc.spn} -> ${ep.key}`)];
      if (i < n - 1) matches.push(statistic(n - i));
    }
    chain.rules.push({ matches, target: jump(names.endpoint(ep)) });
  }
}

/** Whether an IPv4 address falls inside a normalised `a.b.c.d/n`. */
function cidrContains(cidr: string, ip: string): boolean {
  const [net, len] = cidr.split('/');
  const toNum = (s: string) => s.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  const size = 2 ** (32 - Number(len));
  const addr = toNum(ip);
  const base = toNum(net);
  return Number.isFinite(addr) && addr >= base && addr < base + size;
}
