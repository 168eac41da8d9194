// Builds kube-proxy's whole rule set (pkg/proxy/iptables/proxier.go syncProxyRules): the
// chains and jumps every node has, the rules each Service contributes (serviceRules.ts), and
// the tail rules that must come last. The model itself is described in ruleModel.ts.

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
  type Table,
  type TableName,
} from './ruleModel';
import { compareStrings, SERVICE_NAME_LABEL } from './servicePorts';
import { serviceRules, type ServiceRules } from './serviceRules';

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

  build(): Table {
    return { name: this.name, chains: [...this.chains.values()] };
  }
}

/**
 * Puts the per-service rules together with the chains and rules every node has, in the order
 * a kube-proxy sync writes them. Services appear in the order given.
 */
export function assembleRules(config: ProxyConfig, services: readonly ServiceRules[]): ProxyRules {
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

  for (const svc of services) {
    for (const { table, chain, rule } of svc.shared) tables[table].chain(chain, 'restore').rules.push(rule);
    for (const c of svc.chains) nat.chains.set(c.name, c);
  }

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

  return { tables: [mangle.build(), filter.build(), nat.build()] };
}

/** The slices that belong to a Service: same namespace, labelled with its name. */
export function slicesForService(slices: readonly EndpointSlice[], namespace: string, name: string): EndpointSlice[] {
  return slices.filter(
    (s) => !!s && (s.metadata?.namespace ?? '') === namespace && s.metadata?.labels?.[SERVICE_NAME_LABEL] === name,
  );
}

export function totalEndpoints(services: readonly ServiceRules[]): number {
  return services.reduce((n, s) => n + s.endpointCount, 0);
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

/** The complete rule set for these Services and EndpointSlices, as one kube-proxy sync writes it. */
export function computeRules(
  services: readonly Service[],
  slices: readonly EndpointSlice[],
  overrides: Partial<ProxyConfig> = {},
): ProxyRules {
  const config = proxyConfig(overrides);
  const sorted = sortServices(services);
  const build = (large: boolean) =>
    sorted.map((svc) => serviceRules(svc, slicesForService(slices, svc.metadata.namespace ?? '', svc.metadata.name ?? ''), config, large));
  let fragments = build(false);
  if (totalEndpoints(fragments) > LARGE_CLUSTER_ENDPOINTS_THRESHOLD) fragments = build(true);
  return assembleRules(config, fragments);
}

