// kube-proxy's iptables rules as data: tables → chains → rules, each rule a list of typed
// matches and a target. The iptables-save renderer and the packet evaluator both read this one
// model, so what the user reads is exactly what routes their connections.
//
// Matches are kept in the order kube-proxy writes them on its iptables-restore command line
// (pkg/proxy/iptables/proxier.go syncProxyRules). The kernel's own ordering, which
// iptables-save prints, is derived from that by the renderer.

export type TableName = 'mangle' | 'filter' | 'nat';
export type L4Protocol = 'tcp' | 'udp' | 'sctp';
export type CtState = 'INVALID' | 'NEW' | 'RELATED' | 'ESTABLISHED' | 'DNAT';

export type Match =
  /** `-m comment --comment TEXT`; never affects matching. */
  | { kind: 'comment'; text: string }
  /** `-m tcp -p tcp` (or udp/sctp): the protocol and its port-match module. */
  | { kind: 'protocol'; protocol: L4Protocol }
  /** `-s CIDR` / `-d CIDR`, optionally negated; an address without a length means /32. */
  | { kind: 'address'; dir: 'source' | 'destination'; cidr: string; negate?: boolean }
  /** `--dport N`, an option of the protocol module. */
  | { kind: 'dport'; port: number }
  /** `-m addrtype --src-type LOCAL` / `--dst-type LOCAL`: the address belongs to this node. */
  | { kind: 'addrtype'; dir: 'source' | 'destination'; type: 'LOCAL' }
  /** `-m statistic --mode random --probability P`, P as kube-proxy formats it (%0.10f). */
  | { kind: 'statistic'; probability: string }
  /** `-m recent --name N --rcheck --seconds S --reap` or `-m recent --name N --set`. */
  | { kind: 'recent'; name: string; op: 'rcheck' | 'set'; seconds?: number; reap?: boolean }
  /** `-m mark [!] --mark VALUE/MASK`. */
  | { kind: 'mark'; value: number; mask: number; negate?: boolean }
  /** `-m conntrack [!] --ctstate A,B`. */
  | { kind: 'conntrack'; states: CtState[]; negate?: boolean }
  /** `-m nfacct --nfacct-name NAME`: a packet counter, always matches. */
  | { kind: 'nfacct'; name: string };

export type Target =
  | { kind: 'jump'; chain: string }
  | { kind: 'goto'; chain: string }
  | { kind: 'DNAT'; ip: string; port: number }
  | { kind: 'REJECT' }
  | { kind: 'DROP' }
  | { kind: 'ACCEPT' }
  | { kind: 'RETURN' }
  | { kind: 'MARK'; op: 'or' | 'xor'; value: number }
  | { kind: 'MASQUERADE'; randomFully: boolean };

/** A rule without a target only counts packets (kube-proxy's KUBE-FW-* chains end with one). */
export interface Rule {
  matches: Match[];
  target?: Target;
}

/**
 * How a chain came to exist: a kernel built-in chain, a chain kube-proxy writes with
 * iptables-restore, or one that is created by `iptables -N` outside that payload (the
 * canary chains kube-proxy and the kubelet watch, the kubelet's hint chain).
 */
export type ChainKind = 'builtin' | 'restore' | 'ensured';

export interface Chain {
  name: string;
  kind: ChainKind;
  rules: Rule[];
}

export interface Table {
  name: TableName;
  /** Built-in chains first in hook order, then the others in the order they were created. */
  chains: Chain[];
}

export interface ProxyRules {
  /** In the order iptables-save prints them: mangle, filter, nat. */
  readonly tables: readonly Table[];
}

export interface ProxyConfig {
  /** The node kube-proxy runs on; endpoints with this nodeName are local. */
  nodeName: string;
  /** The node's addresses; the first is the node IP (used by loadBalancerSourceRanges). */
  nodeIPs: string[];
  /** The pod CIDR used to tell pod traffic from other traffic; '' turns the detector off. */
  clusterCIDR: string;
  masqueradeAll: boolean;
  masqueradeBit: number;
  /** iptables.localhostNodePorts, on by default: NodePorts answer on 127.0.0.0/8 too. */
  localhostNodePorts: boolean;
  /** Whether the nfacct counters kube-proxy creates exist (they do on common kernels). */
  nfacct: boolean;
  /** Whether iptables supports MASQUERADE --random-fully (it does since 1.6.2). */
  randomFully: boolean;
  /** nf_conntrack_tcp_be_liberal: when set, kube-proxy adds no DROP for INVALID packets. */
  conntrackTCPLiberal: boolean;
  /** Whether to show what the node's kubelet, which starts first, creates in iptables. */
  kubeletChains: boolean;
}

export const DEFAULT_PROXY_CONFIG: Readonly<ProxyConfig> = Object.freeze({
  nodeName: 'ksl',
  nodeIPs: ['127.0.0.1'],
  clusterCIDR: '10.244.0.0/16',
  masqueradeAll: false,
  masqueradeBit: 14,
  localhostNodePorts: true,
  nfacct: true,
  randomFully: true,
  conntrackTCPLiberal: false,
  kubeletChains: true,
});

export function proxyConfig(overrides: Partial<ProxyConfig> = {}): ProxyConfig {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  return { ...DEFAULT_PROXY_CONFIG, nodeIPs: [...DEFAULT_PROXY_CONFIG.nodeIPs], ...defined };
}

/** Above this many endpoints kube-proxy drops per-endpoint comments (largeClusterMode). */
export const LARGE_CLUSTER_ENDPOINTS_THRESHOLD = 1000;

export const KUBE_SERVICES = 'KUBE-SERVICES';
export const KUBE_EXTERNAL_SERVICES = 'KUBE-EXTERNAL-SERVICES';
export const KUBE_NODEPORTS = 'KUBE-NODEPORTS';
export const KUBE_POSTROUTING = 'KUBE-POSTROUTING';
export const KUBE_MARK_MASQ = 'KUBE-MARK-MASQ';
export const KUBE_FORWARD = 'KUBE-FORWARD';
export const KUBE_PROXY_FIREWALL = 'KUBE-PROXY-FIREWALL';
export const KUBE_PROXY_CANARY = 'KUBE-PROXY-CANARY';
export const KUBE_FIREWALL = 'KUBE-FIREWALL';
export const KUBE_KUBELET_CANARY = 'KUBE-KUBELET-CANARY';
export const KUBE_IPTABLES_HINT = 'KUBE-IPTABLES-HINT';

export const BUILTIN_CHAINS: Readonly<Record<TableName, readonly string[]>> = {
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
};

export function masqueradeMark(config: ProxyConfig): number {
  return 2 ** config.masqueradeBit;
}

/** Finds a chain by table and name. */
export function findChain(rules: ProxyRules, table: TableName, name: string): Chain | undefined {
  return rules.tables.find((t) => t.name === table)?.chains.find((c) => c.name === name);
}
