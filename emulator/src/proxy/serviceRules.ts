// The rules one Service contributes to kube-proxy's rule set: the body of the per-service-port
// loop in pkg/proxy/iptables/proxier.go syncProxyRules, and writeServiceToEndpointRules.
// Each Service is computed on its own, so KubeProxy can recompute only the Service an event
// touched; rules.ts splices the results into the shared chains.

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

/** computeProbability: 1/n printed with Go's %0.10f. */
export function probability(n: number): string {
  return formatDoubleFixed(1 / n, 10);
}

const comment = (text: string): Match => ({ kind: 'comment', text });
const jump = (chain: string): Rule['target'] => ({ kind: 'jump', chain });

/** The rules of one Service, for the given kube-proxy configuration. */
export function serviceRules(svc: Service, slices: readonly EndpointSlice[], config: ProxyConfig, largeClusterMode: boolean): ServiceRules {
  const namespace = svc.metadata?.namespace ?? '';
  const name = svc.metadata?.name ?? '';
  const out: ServiceRules = { namespace, name, shared: [], chains: [], endpointCount: 0 };
  const ports = servicePortsOf(svc);
  if (ports.length === 0) return out;
  const endpoints = endpointsByPort(slices, config.nodeName);
  // kube-proxy walks its service-port map in Go's random map order; a fixed order keeps the
  // output stable between runs.
  const ordered = [...ports].sort((a, b) => compareStrings(a.spn, b.spn) || compareStrings(a.protocol, b.protocol));
  for (const port of ordered) {
    const eps = endpoints.get(portKey(port.portName, port.protocol)) ?? [];
    out.endpointCount += eps.length;
    writeServicePort(out, port, eps, config, largeClusterMode);
  }
  return out;
}

function writeServicePort(out: ServiceRules, svc: ServicePortInfo, endpoints: readonly ProxyEndpoint[], config: ProxyConfig, largeClusterMode: boolean): void {
  const protocol = svc.protocol.toLowerCase() as L4Protocol;
  const spn = svc.spn;
  const { cluster, local, allReachable, hasAny: hasEndpoints } = categorizeEndpoints(endpoints, svc);
  const filter = (chain: string, rule: Rule) => out.shared.push({ table: 'filter', chain, rule });
  const natShared = (chain: string, rule: Rule) => out.shared.push({ table: 'nat', chain, rule });
  const proto: Match = { kind: 'protocol', protocol };
  const dest = (ip: string): Match => ({ kind: 'address', dir: 'destination', cidr: ip });
  const dport = (port: number): Match => ({ kind: 'dport', port });

  const clusterPolicyChain = servicePortChainName('KUBE-SVC-', spn, protocol);
  const usesClusterPolicyChain = cluster.length > 0 && usesClusterEndpoints(svc);
  const localPolicyChain = servicePortChainName('KUBE-SVL-', spn, protocol);
  const usesLocalPolicyChain = local.length > 0 && usesLocalEndpoints(svc);

  let internalPolicyChain = clusterPolicyChain;
  let hasInternalEndpoints = hasEndpoints;
  if (svc.internalPolicyLocal) {
    internalPolicyChain = localPolicyChain;
    if (local.length === 0) hasInternalEndpoints = false;
  }
  const internalTrafficChain = internalPolicyChain;

  let externalPolicyChain = clusterPolicyChain;
  let hasExternalEndpoints = hasEndpoints;
  if (svc.externalPolicyLocal) {
    externalPolicyChain = localPolicyChain;
    if (local.length === 0) hasExternalEndpoints = false;
  }
  const externalTrafficChain = servicePortChainName('KUBE-EXT-', spn, protocol);
  // Based on hasEndpoints rather than hasExternalEndpoints: the short-circuit rules for local
  // traffic are needed even when no endpoint accepts external traffic.
  const usesExternalTrafficChain = hasEndpoints && externallyAccessible(svc);

  const fwChain = servicePortChainName('KUBE-FW-', spn, protocol);
  const usesFWChain = hasEndpoints && svc.loadBalancerVIPs.length > 0 && svc.loadBalancerSourceRanges.length > 0;
  const loadBalancerTrafficChain = usesFWChain ? fwChain : externalTrafficChain;

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
  const filterTarget = (t: 'REJECT' | 'DROP' | undefined): Rule['target'] => ({ kind: t ?? 'DROP' });

  // Capture the ClusterIP.
  if (hasInternalEndpoints) {
    natShared(KUBE_SERVICES, {
      matches: [comment(`${spn} cluster IP`), proto, dest(svc.clusterIP), dport(svc.port)],
      target: jump(internalTrafficChain),
    });
  } else {
    filter(KUBE_SERVICES, {
      matches: [comment(internalFilterComment), proto, dest(svc.clusterIP), dport(svc.port)],
      target: filterTarget(internalFilterTarget),
    });
  }

  // Capture externalIPs.
  for (const ip of svc.externalIPs) {
    if (hasEndpoints) {
      natShared(KUBE_SERVICES, {
        matches: [comment(`${spn} external IP`), proto, dest(ip), dport(svc.port)],
        target: jump(externalTrafficChain),
      });
    }
    if (!hasExternalEndpoints) {
      filter(KUBE_EXTERNAL_SERVICES, {
        matches: [comment(externalFilterComment), proto, dest(ip), dport(svc.port)],
        target: filterTarget(externalFilterTarget),
      });
    }
  }

  // Capture load-balancer ingress.
  for (const ip of svc.loadBalancerVIPs) {
    if (hasEndpoints) {
      natShared(KUBE_SERVICES, {
        matches: [comment(`${spn} loadbalancer IP`), proto, dest(ip), dport(svc.port)],
        target: jump(loadBalancerTrafficChain),
      });
    }
    if (usesFWChain) {
      filter(KUBE_PROXY_FIREWALL, {
        matches: [comment(`${spn} traffic not accepted by ${fwChain}`), proto, dest(ip), dport(svc.port)],
        target: { kind: 'DROP' },
      });
    }
  }
  if (!hasExternalEndpoints) {
    for (const ip of svc.loadBalancerVIPs) {
      filter(KUBE_EXTERNAL_SERVICES, {
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
        natShared(KUBE_NODEPORTS, {
          matches: [comment(spn), proto, dest('127.0.0.0/8'), dport(svc.nodePort), { kind: 'nfacct', name: 'localhost_nps_accepted_pkts' }],
          target: jump(externalTrafficChain),
        });
      }
      natShared(KUBE_NODEPORTS, { matches: [comment(spn), proto, dport(svc.nodePort)], target: jump(externalTrafficChain) });
    }
    if (!hasExternalEndpoints) {
      filter(KUBE_EXTERNAL_SERVICES, {
        matches: [comment(externalFilterComment), { kind: 'addrtype', dir: 'destination', type: 'LOCAL' }, proto, dport(svc.nodePort)],
        target: filterTarget(externalFilterTarget),
      });
    }
  }

  // Capture healthCheckNodePorts, whether or not this node has local endpoints.
  if (svc.healthCheckNodePort !== 0) {
    filter(KUBE_NODEPORTS, {
      matches: [comment(`${spn} health check node port`), { kind: 'protocol', protocol: 'tcp' }, dport(svc.healthCheckNodePort)],
      target: { kind: 'ACCEPT' },
    });
  }

  const owned = new Map<string, Chain>();
  const natChain = (chainName: string): Chain => {
    let c = owned.get(chainName);
    if (!c) owned.set(chainName, (c = { name: chainName, kind: 'restore', rules: [] }));
    return c;
  };
  // Rules for the internal chain are written before the chain is declared; keep them aside.
  const internalRules: Rule[] = [];

  // Internal traffic handling: masquerade off-cluster traffic to the ClusterIP.
  if (hasInternalEndpoints) {
    const matches: Match[] = [comment(`${spn} cluster IP`), proto, dest(svc.clusterIP), dport(svc.port)];
    if (config.masqueradeAll) {
      internalRules.push({ matches, target: jump(KUBE_MARK_MASQ) });
    } else if (config.clusterCIDR) {
      internalRules.push({
        matches: [...matches, { kind: 'address', dir: 'source', cidr: config.clusterCIDR, negate: true }],
        target: jump(KUBE_MARK_MASQ),
      });
    }
  }

  // External traffic handling: everything captured for NodePorts, external and LB IPs.
  if (usesExternalTrafficChain) {
    const ext = natChain(externalTrafficChain);
    if (!svc.externalPolicyLocal) {
      ext.rules.push({ matches: [comment(`masquerade traffic for ${spn} external destinations`)], target: jump(KUBE_MARK_MASQ) });
    } else {
      if (config.clusterCIDR) {
        // Pod traffic to an external destination behaves as if it went out and came back in.
        ext.rules.push({
          matches: [comment(`pod traffic for ${spn} external destinations`), { kind: 'address', dir: 'source', cidr: config.clusterCIDR }],
          target: jump(clusterPolicyChain),
        });
      }
      ext.rules.push({
        matches: [comment(`masquerade LOCAL traffic for ${spn} external destinations`), { kind: 'addrtype', dir: 'source', type: 'LOCAL' }],
        target: jump(KUBE_MARK_MASQ),
      });
      ext.rules.push({
        matches: [comment(`route LOCAL traffic for ${spn} external destinations`), { kind: 'addrtype', dir: 'source', type: 'LOCAL' }],
        target: jump(clusterPolicyChain),
      });
    }
    if (hasExternalEndpoints) ext.rules.push({ matches: [], target: jump(externalPolicyChain) });
  }

  // The load-balancer firewall chain for loadBalancerSourceRanges.
  if (usesFWChain) {
    const fw = natChain(fwChain);
    const head = comment(`${spn} loadbalancer IP`);
    let allowFromNode = false;
    const nodeIP = config.nodeIPs[0];
    for (const cidr of svc.loadBalancerSourceRanges) {
      fw.rules.push({ matches: [head, { kind: 'address', dir: 'source', cidr }], target: jump(externalTrafficChain) });
      if (nodeIP && cidrContains(cidr, nodeIP)) allowFromNode = true;
    }
    // A request from the node to a VIP bound locally comes back with the VIP as its source.
    if (allowFromNode) {
      for (const ip of svc.loadBalancerVIPs) {
        fw.rules.push({ matches: [head, { kind: 'address', dir: 'source', cidr: ip }], target: jump(externalTrafficChain) });
      }
    }
    // Whatever falls through was not DNATed and meets the KUBE-PROXY-FIREWALL DROP.
    fw.rules.push({ matches: [comment(`other traffic to ${spn} will be dropped by KUBE-PROXY-FIREWALL`)] });
  }

  if (usesClusterPolicyChain) {
    const c = natChain(clusterPolicyChain);
    writeServiceToEndpointRules(c, svc, cluster, largeClusterMode, protocol);
  }
  if (usesLocalPolicyChain) {
    const c = natChain(localPolicyChain);
    writeServiceToEndpointRules(c, svc, local, largeClusterMode, protocol);
  }
  if (internalRules.length > 0) {
    const c = owned.get(internalTrafficChain) ?? natChain(internalTrafficChain);
    c.rules.unshift(...internalRules);
  }

  // The per-endpoint chains.
  for (const ep of allReachable) {
    const c = natChain(endpointChainName(spn, protocol, ep.key));
    const head: Match[] = largeClusterMode ? [] : [comment(spn)];
    c.rules.push({ matches: [...head, { kind: 'address', dir: 'source', cidr: ep.ip }], target: jump(KUBE_MARK_MASQ) });
    const matches: Match[] = [...head];
    if (svc.sessionAffinityClientIP) matches.push({ kind: 'recent', name: c.name, op: 'set' });
    matches.push(proto);
    c.rules.push({ matches, target: { kind: 'DNAT', ip: ep.ip, port: ep.port } });
  }

  out.chains.push(...owned.values());
}

function writeServiceToEndpointRules(
  chain: Chain,
  svc: ServicePortInfo,
  endpoints: readonly ProxyEndpoint[],
  largeClusterMode: boolean,
  protocol: L4Protocol,
): void {
  const sep = (ep: ProxyEndpoint) => endpointChainName(svc.spn, protocol, ep.key);
  const head = (ep: ProxyEndpoint): Match[] => (largeClusterMode ? [] : [comment(`${svc.spn} -> ${ep.key}`)]);
  // Session affinity first: a client seen recently goes back to the same endpoint.
  if (svc.sessionAffinityClientIP) {
    for (const ep of endpoints) {
      chain.rules.push({
        matches: [...head(ep), { kind: 'recent', name: sep(ep), op: 'rcheck', seconds: svc.stickyMaxAgeSeconds, reap: true }],
        target: jump(sep(ep)),
      });
    }
  }
  // Then the load-balancing ladder: rule i of n matches with probability 1/(n-i).
  const n = endpoints.length;
  endpoints.forEach((ep, i) => {
    const matches = head(ep);
    if (i < n - 1) matches.push({ kind: 'statistic', probability: probability(n - i) });
    chain.rules.push({ matches, target: jump(sep(ep)) });
  });
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
