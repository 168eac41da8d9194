// Builds kube-proxy's whole rule set (pkg/proxy/iptables/proxier.go syncProxyRules): the
// chains and jumps every node has and the tail rules that must come last (ruleSkeleton), with
// the rules each Service contributes (serviceRules.ts) in between. computeRules is one full
// sync from scratch; KubeProxy keeps the same pieces per Service (liveRules.ts). The model
// itself is described in ruleModel.ts.

import type { EndpointSlice, Service } from '../api/types';
import {
  BUILTIN_CHAINS,
  KUBE_EXTERNAL_SERVICES,
  KUBE_FIREWALL,
  KUBE_FORWARD,
  KUBE_IPTABLES_HINT,
  KUBE_KUBELET_CANARY,
  KUBE_MARK_MASQ,
  KUBE_NODEPORTS,
  KUBE_POSTROUTING,
  KUBE_PROXY_CANARY,
  KUBE_PROXY_FIREWALL,
  KUBE_SERVICES,
  LARGE_CLUSTER_ENDPOINTS_THRESHOLD,
  masqueradeMark,
  proxyConfig,
  type Chain,
  type ChainKind,
  type Match,
  type ProxyConfig,
  type ProxyRules,
  type Rule,
  type TableName,
} from './ruleModel';
import { compareStrings, SERVICE_NAME_LABEL } from './servicePorts';
import { prepareService, serviceRules, type ServiceRules } from './serviceRules';

export * from './ruleModel';

const newState: Match = { kind: 'conntrack', states: ['NEW'] };

/** iptablesJumpChains, in the order kube-proxy ensures them. */
const JUMP_CHAINS: readonly { table: TableName; from: string; to: string; comment: string; extra?: Match[] }[] = [
  { table: 'filter', to: KUBE_EXTERNAL_SERVICES, from: 'INPUT', comment: 'kubernetes externally-visible service portals', extra: [newState] },
  { table: 'filter', to: KUBE_EXTERNAL_SERVICES, from: 'FORWARD', comment: 'kubernetes externally-visible service portals', extra: [newState] },
  { table: 'filter', to: KUBE_NODEPORTS, from: 'INPUT', comment: 'kubernetes health check service ports' },
  { table: 'filter', to: KUBE_SERVICES, from: 'FORWARD', comment: 'kubernetes service portals', extra: [newState] },
  { table: 'filter', to: KUBE_SERVICES, from: 'OUTPUT', comment: 'kubernetes service portals', extra: [newState] },
  { table: 'filter', to: KUBE_FORWARD, from: 'FORWARD', comment: 'kubernetes forwarding rules' },
  { table: 'filter', to: KUBE_PROXY_FIREWALL, from: 'INPUT', comment: 'kubernetes load balancer firewall', extra: [newState] },
  { table: 'filter', to: KUBE_PROXY_FIREWALL, from: 'OUTPUT', comment: 'kubernetes load balancer firewall', extra: [newState] },
  { table: 'filter', to: KUBE_PROXY_FIREWALL, from: 'FORWARD', comment: 'kubernetes load balancer firewall', extra: [newState] },
  { table: 'nat', to: KUBE_SERVICES, from: 'OUTPUT', comment: 'kubernetes service portals' },
  { table: 'nat', to: KUBE_SERVICES, from: 'PREROUTING', comment: 'kubernetes service portals' },
  { table: 'nat', to: KUBE_POSTROUTING, from: 'POSTROUTING', comment: 'kubernetes postrouting rules' },
  // iptablesKubeletJumpChains: duplicates of the kubelet's jumps, without a comment.
  { table: 'filter', to: KUBE_FIREWALL, from: 'INPUT', comment: '' },
  { table: 'filter', to: KUBE_FIREWALL, from: 'OUTPUT', comment: '' },
];

/** The kubelet's anti-martian rule, which kube-proxy also writes when localhost NodePorts are on. */
function localnetFirewallRule(): Rule {
  return {
    matches: [
      { kind: 'comment', text: 'block incoming localnet connections' },
      { kind: 'address', dir: 'destination', cidr: '127.0.0.0/8' },
      { kind: 'address', dir: 'source', cidr: '127.0.0.0/8', negate: true },
      { kind: 'conntrack', states: ['RELATED', 'ESTABLISHED', 'DNAT'], negate: true },
    ],
    target: { kind: 'DROP' },
  };
}

function sameRule(a: Rule, b: Rule): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

class TableBuilder {
  readonly chains = new Map<string, Chain>();

  constructor(readonly name: TableName) {
    for (const c of BUILTIN_CHAINS[name]) this.chains.set(c, { name: c, kind: 'builtin', rules: [] });
  }

  chain(name: string, kind: ChainKind): Chain {
    let c = this.chains.get(name);
    if (!c) this.chains.set(name, (c = { name, kind, rules: [] }));
    else if (kind === 'restore' && c.kind === 'ensured') c.kind = 'restore';
    return c;
  }
}

/** A chain every node has, with the rules kube-proxy writes into it around the Services' own. */
export interface SkeletonChain {
  readonly name: string;
  readonly kind: ChainKind;
  /** The rules before the Services' rules. */
  readonly head: readonly Rule[];
  /** The rules that must come after the Services' rules (the tail call to KUBE-NODEPORTS). */
  readonly tail: readonly Rule[];
}

/** The rule set of a node without Services: per table, its chains in the order they were created. */
export type RuleSkeleton = Readonly<Record<TableName, readonly SkeletonChain[]>>;

export const TABLE_ORDER: readonly TableName[] = ['mangle', 'filter', 'nat'];

/**
 * The chains and rules every node has, in the order a kube-proxy sync writes them: the
 * kubelet's chains, the jumps kube-proxy ensures, the top of its restore payload, and the
 * rules that must stay behind every Service's rules.
 */
export function ruleSkeleton(config: ProxyConfig): RuleSkeleton {
  const mangle = new TableBuilder('mangle');
  const filter = new TableBuilder('filter');
  const nat = new TableBuilder('nat');
  const tables: Record<TableName, TableBuilder> = { mangle, filter, nat };
  const mark = masqueradeMark(config);

  // The kubelet starts before kube-proxy and sets up its own chains first, so its jumps to
  // KUBE-FIREWALL already exist when kube-proxy prepends its own jumps in front of them.
  if (config.kubeletChains) {
    mangle.chain(KUBE_IPTABLES_HINT, 'ensured');
    const fw = filter.chain(KUBE_FIREWALL, 'ensured');
    fw.rules.push(localnetFirewallRule());
    for (const from of ['OUTPUT', 'INPUT']) filter.chain(from, 'builtin').rules.unshift({ matches: [], target: { kind: 'jump', chain: KUBE_FIREWALL } });
    for (const t of [mangle, nat, filter]) t.chain(KUBE_KUBELET_CANARY, 'ensured');
  }

  // EnsureRule(Prepend, …) for each jump: a rule that already exists is left where it is.
  for (const jump of JUMP_CHAINS) {
    const table = tables[jump.table];
    table.chain(jump.to, 'ensured');
    const rule: Rule = {
      matches: [...(jump.extra ?? []), ...(jump.comment ? [{ kind: 'comment', text: jump.comment } as Match] : [])],
      target: { kind: 'jump', chain: jump.to },
    };
    const from = table.chain(jump.from, 'builtin');
    if (!from.rules.some((r) => sameRule(r, rule))) from.rules.unshift(rule);
  }
  // ipt.Monitor creates the canary chain in each table it watches.
  for (const t of [mangle, nat, filter]) t.chain(KUBE_PROXY_CANARY, 'ensured');

  // The iptables-restore payload: top-level chains first.
  for (const c of [KUBE_SERVICES, KUBE_EXTERNAL_SERVICES, KUBE_FORWARD, KUBE_NODEPORTS, KUBE_PROXY_FIREWALL]) filter.chain(c, 'restore');
  for (const c of [KUBE_SERVICES, KUBE_NODEPORTS, KUBE_POSTROUTING, KUBE_MARK_MASQ]) nat.chain(c, 'restore');

  nat.chain(KUBE_POSTROUTING, 'restore').rules.push(
    { matches: [{ kind: 'mark', value: mark, mask: mark, negate: true }], target: { kind: 'RETURN' } },
    { matches: [], target: { kind: 'MARK', op: 'xor', value: mark } },
    {
      matches: [{ kind: 'comment', text: 'kubernetes service traffic requiring SNAT' }],
      target: { kind: 'MASQUERADE', randomFully: config.randomFully },
    },
  );
  nat.chain(KUBE_MARK_MASQ, 'restore').rules.push({ matches: [], target: { kind: 'MARK', op: 'or', value: mark } });

  if (config.localhostNodePorts) {
    // Written in the restore payload, which flushes the chain first: one copy of the rule.
    const fw = filter.chain(KUBE_FIREWALL, 'restore');
    fw.rules.length = 0;
    fw.rules.push(localnetFirewallRule());
  }

  // Here the Services' rules go; everything written from now on comes after them.
  const headLengths = new Map<Chain, number>();
  for (const t of TABLE_ORDER) for (const c of tables[t].chains.values()) headLengths.set(c, c.rules.length);

  // The tail call to KUBE-NODEPORTS must stay the last rule of KUBE-SERVICES.
  const nodePortsMatches: Match[] = [
    { kind: 'comment', text: 'kubernetes service nodeports; NOTE: this must be the last rule in this chain' },
    { kind: 'addrtype', dir: 'destination', type: 'LOCAL' },
  ];
  if (!config.localhostNodePorts) nodePortsMatches.push({ kind: 'address', dir: 'destination', cidr: '127.0.0.0/8', negate: true });
  nat.chain(KUBE_SERVICES, 'restore').rules.push({ matches: nodePortsMatches, target: { kind: 'jump', chain: KUBE_NODEPORTS } });

  const forward = filter.chain(KUBE_FORWARD, 'restore');
  if (!config.conntrackTCPLiberal) {
    const matches: Match[] = [{ kind: 'conntrack', states: ['INVALID'] }];
    if (config.nfacct) matches.push({ kind: 'nfacct', name: 'ct_state_invalid_dropped_pkts' });
    forward.rules.push({ matches, target: { kind: 'DROP' } });
  }
  forward.rules.push(
    {
      matches: [
        { kind: 'comment', text: 'kubernetes forwarding rules' },
        { kind: 'mark', value: mark, mask: mark },
      ],
      target: { kind: 'ACCEPT' },
    },
    {
      matches: [
        { kind: 'comment', text: 'kubernetes forwarding conntrack rule' },
        { kind: 'conntrack', states: ['RELATED', 'ESTABLISHED'] },
      ],
      target: { kind: 'ACCEPT' },
    },
  );

  const split = (t: TableBuilder): SkeletonChain[] =>
    [...t.chains.values()].map((c) => {
      const at = headLengths.get(c) ?? 0;
      return { name: c.name, kind: c.kind, head: c.rules.slice(0, at), tail: c.rules.slice(at) };
    });
  return { mangle: split(mangle), filter: split(filter), nat: split(nat) };
}

/**
 * Puts the per-service rules together with the chains and rules every node has, in the order
 * a kube-proxy sync writes them. Services appear in the order given.
 */
export function assembleRules(config: ProxyConfig, services: readonly ServiceRules[], skeleton: RuleSkeleton = ruleSkeleton(config)): ProxyRules {
  const tables = {} as Record<TableName, Map<string, Chain>>;
  for (const t of TABLE_ORDER) tables[t] = new Map(skeleton[t].map((c) => [c.name, { name: c.name, kind: c.kind, rules: [...c.head] }]));
  for (const svc of services) {
    for (const { table, chain, rule } of svc.shared) {
      const chains = tables[table];
      let c = chains.get(chain);
      if (!c) chains.set(chain, (c = { name: chain, kind: 'restore', rules: [] }));
      else if (c.kind === 'ensured') c.kind = 'restore';
      c.rules.push(rule);
    }
    for (const c of svc.chains) tables.nat.set(c.name, c);
  }
  for (const t of TABLE_ORDER) {
    for (const c of skeleton[t]) {
      if (c.tail.length > 0) tables[t].get(c.name)?.rules.push(...c.tail);
    }
  }
  return { tables: TABLE_ORDER.map((name) => ({ name, chains: [...tables[name].values()] })) };
}

/** The key a Service and the slices labelled with its name share: `namespace/name`. */
export function serviceKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/** The Service an EndpointSlice belongs to, by its namespace and service-name label. */
export function sliceServiceKey(slice: EndpointSlice | null | undefined): string | undefined {
  if (!slice || typeof slice !== 'object') return undefined;
  const name = slice.metadata?.labels?.[SERVICE_NAME_LABEL];
  return typeof name === 'string' && name !== '' ? serviceKey(slice.metadata?.namespace ?? '', name) : undefined;
}

/** Slices grouped by the Service they belong to, each group in the order given. */
export function slicesByService(slices: readonly EndpointSlice[]): Map<string, EndpointSlice[]> {
  const out = new Map<string, EndpointSlice[]>();
  for (const slice of slices) {
    const key = sliceServiceKey(slice);
    if (key === undefined) continue;
    const group = out.get(key);
    if (group) group.push(slice);
    else out.set(key, [slice]);
  }
  return out;
}

/** Services in the order kube-proxy's rules list them here: by namespace, then name. */
export function sortServices<T extends Service>(services: readonly T[]): T[] {
  return services
    .filter((s) => !!s && !!s.metadata && !!s.spec)
    .sort(
      (a, b) =>
        compareStrings(a.metadata.namespace ?? '', b.metadata.namespace ?? '') || compareStrings(a.metadata.name ?? '', b.metadata.name ?? ''),
    );
}

/** Whether this many endpoints puts kube-proxy in largeClusterMode. */
export function isLargeCluster(totalEndpoints: number): boolean {
  return totalEndpoints > LARGE_CLUSTER_ENDPOINTS_THRESHOLD;
}

/**
 * The complete rule set for these Services and EndpointSlices, as one full kube-proxy sync
 * writes it: every Service is read first, since largeClusterMode depends on all their
 * endpoints, then every Service's rules are written in that mode.
 */
export function computeRules(
  services: readonly Service[],
  slices: readonly EndpointSlice[],
  overrides: Partial<ProxyConfig> = {},
): ProxyRules {
  const config = proxyConfig(overrides);
  const grouped = slicesByService(slices);
  const prepared = sortServices(services).map((svc) =>
    prepareService(svc, grouped.get(serviceKey(svc.metadata.namespace ?? '', svc.metadata.name ?? '')) ?? [], config.nodeName),
  );
  const large = isLargeCluster(prepared.reduce((n, p) => n + p.endpointCount, 0));
  return assembleRules(
    config,
    prepared.map((p) => serviceRules(p, config, large)),
  );
}
