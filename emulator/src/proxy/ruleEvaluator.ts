// Walks the rule model for the first packet of a new connection, as netfilter would, and says
// what becomes of it. The hooks run in the kernel's order: a connection made on the node
// passes nat OUTPUT, filter OUTPUT and nat POSTROUTING (then filter INPUT if it stays on the
// node); one arriving from elsewhere passes nat PREROUTING, then filter INPUT or, once
// DNATed to a pod, filter FORWARD and nat POSTROUTING. NAT therefore decides before the
// filter table looks: a packet DNATed to an endpoint no longer matches the REJECT kube-proxy
// writes for the Service IP. The mangle table holds no rules here and is not walked.
//
// Randomness (`-m statistic`) and time (`-m recent`) come from the caller, so a seeded
// random source and a fake clock make every outcome reproducible.
//
// The walker reads chains through a RuleLookup, which may leave out rules that cannot match
// the packet: the emulator's kube-proxy (liveRules.ts) answers from an index by destination,
// so a connection does not walk the 10,000 rules of a big KUBE-SERVICES chain one by one.

import { parseIPv4 } from '../registry/allocators/ipv4';
import { probabilityToU31 } from './fixedPoint';
import type { Chain, CtState, L4Protocol, Match, ProxyRules, Rule, TableName } from './ruleModel';

export interface NewConnection {
  srcIP: string;
  dstIP: string;
  dstPort: number;
  protocol: 'TCP' | 'UDP' | 'SCTP';
  /** Whether dstIP is one of this node's own addresses (what `-m addrtype --dst-type LOCAL` tests). */
  dstIsLocal: boolean;
}

/**
 * What happened to the connection. `accept` means no rule changed it: it goes to dstIP:dstPort
 * as addressed. `trace` lists the chains entered, in order, as `table/CHAIN`.
 */
export type Verdict =
  | { kind: 'dnat'; ip: string; port: number; serviceChain?: string; endpointChain: string; trace: string[] }
  | { kind: 'reject'; reason: string; trace: string[] }
  | { kind: 'drop'; reason: string; trace: string[] }
  | { kind: 'accept'; trace: string[] };

/**
 * The kernel's xt_recent lists: per list name, source address → when it was last `--set`.
 * A list lives as long as some rule names it (see forget), so affinity survives a resync that
 * keeps the endpoint.
 */
export class RecentTables {
  private readonly lists = new Map<string, Map<string, number>>();

  /** `--rcheck --seconds S [--reap]`: seen within the last S seconds (S = 0: seen at all). */
  check(name: string, ip: string, now: number, seconds?: number, reap?: boolean): boolean {
    const list = this.lists.get(name);
    const last = list?.get(ip);
    if (list === undefined || last === undefined) return false;
    if (!seconds || now - last <= seconds * 1000) return true;
    if (reap) list.delete(ip);
    return false;
  }

  /** `--set`: records the source as seen now. */
  set(name: string, ip: string, now: number): void {
    let list = this.lists.get(name);
    if (!list) this.lists.set(name, (list = new Map()));
    list.set(ip, now);
  }

  /** When the source was last recorded in the list, if it is there. */
  lastSeen(name: string, ip: string): number | undefined {
    return this.lists.get(name)?.get(ip);
  }

  /** Drops a list once no rule names it any more, as the kernel frees an unreferenced table. */
  forget(name: string): void {
    this.lists.delete(name);
  }
}

/** Where the walker finds the rules of a chain. */
export interface RuleLookup {
  /**
   * The rules of `table/chain` for a packet addressed to dst:dport, in chain order, or
   * undefined when there is no such chain. A rule may be left out only when it cannot match
   * that packet and evaluating it would change nothing: its IP header excludes the
   * destination, or its --dport excludes the port before any module with an effect
   * (statistic, recent) is reached.
   */
  rulesFor(table: TableName, chain: string, dst: string, dport: number): readonly Rule[] | undefined;
}

export interface EvaluationContext {
  /** Uniform in [0, 1); one draw per `-m statistic` match that is reached. */
  rand: () => number;
  /** Milliseconds, for `-m recent`. */
  now: number;
  recent: RecentTables;
  /** The node's addresses; 127.0.0.0/8 is always local. */
  nodeIPs: readonly string[];
}

interface Packet {
  src: string;
  dst: string;
  dport: number;
  protocol: L4Protocol;
  mark: number;
  dnatted: boolean;
}

type Outcome =
  | { kind: 'accept' }
  | { kind: 'drop' | 'reject'; reason: string }
  | { kind: 'dnat'; ip: string; port: number; endpointChain: string; serviceChain?: string };

/** Rules visited per hook before giving up; kube-proxy's rules never come near it. */
const MAX_STEPS = 100_000;
const MAX_DEPTH = 64;

const lookups = new WeakMap<ProxyRules, RuleLookup>();

/** A lookup over a whole rule model: every rule of a chain, by `table/chain`. */
function modelLookup(rules: ProxyRules): RuleLookup {
  let lookup = lookups.get(rules);
  if (!lookup) {
    const index = new Map<string, Chain>();
    for (const table of rules.tables) for (const chain of table.chains) index.set(`${table.name}/${chain.name}`, chain);
    lookup = { rulesFor: (table, chain) => index.get(`${table}/${chain}`)?.rules };
    lookups.set(rules, lookup);
  }
  return lookup;
}

function inCidr(ip: string, cidr: string): boolean {
  const addr = parseIPv4(ip);
  const slash = cidr.indexOf('/');
  const base = parseIPv4(slash < 0 ? cidr : cidr.slice(0, slash));
  const length = slash < 0 ? 32 : Number(cidr.slice(slash + 1));
  if (addr === undefined || base === undefined || !Number.isInteger(length) || length < 0 || length > 32) return false;
  const size = 2 ** (32 - length);
  return Math.floor(addr / size) === Math.floor(base / size);
}

function ruleComment(rule: Rule): string | undefined {
  const c = rule.matches.find((m): m is Extract<Match, { kind: 'comment' }> => m.kind === 'comment');
  return c?.text;
}

class Walker {
  readonly trace: string[] = [];

  constructor(
    private readonly lookup: RuleLookup,
    private readonly ctx: EvaluationContext,
    private readonly packet: Packet,
    private readonly extraLocal: string | undefined,
  ) {}

  isLocal(ip: string): boolean {
    return inCidr(ip, '127.0.0.0/8') || this.ctx.nodeIPs.includes(ip) || ip === this.extraLocal;
  }

  private headerMatches(m: Match): boolean {
    const p = this.packet;
    switch (m.kind) {
      case 'address': {
        const hit = inCidr(m.dir === 'source' ? p.src : p.dst, m.cidr);
        return m.negate ? !hit : hit;
      }
      case 'protocol':
        return p.protocol === m.protocol;
      default:
        return true;
    }
  }

  private moduleMatches(m: Match): boolean {
    const p = this.packet;
    switch (m.kind) {
      case 'dport':
        return p.dport === m.port;
      case 'addrtype':
        return this.isLocal(m.dir === 'source' ? p.src : p.dst);
      case 'statistic': {
        const draw = Math.min(0x7fffffff, Math.max(0, Math.floor(this.ctx.rand() * 0x80000000)));
        return draw < probabilityToU31(m.probability);
      }
      case 'recent':
        if (m.op === 'set') {
          this.ctx.recent.set(m.name, p.src, this.ctx.now);
          return true;
        }
        return this.ctx.recent.check(m.name, p.src, this.ctx.now, m.seconds, m.reap);
      case 'mark': {
        const hit = ((p.mark & m.mask) >>> 0) === ((m.value & m.mask) >>> 0);
        return m.negate ? !hit : hit;
      }
      case 'conntrack': {
        const states: CtState[] = p.dnatted ? ['NEW', 'DNAT'] : ['NEW'];
        const hit = m.states.some((s) => states.includes(s));
        return m.negate ? !hit : hit;
      }
      default:
        return true;
    }
  }

  /** The IP header is checked first, then the match modules in their order, as ipt_do_table does. */
  private matches(rule: Rule): boolean {
    for (const m of rule.matches) if (!this.headerMatches(m)) return false;
    for (const m of rule.matches) if (!this.moduleMatches(m)) return false;
    return true;
  }

  /** Runs one built-in chain of one table and everything it jumps to. */
  run(table: TableName, builtin: string): Outcome {
    const packet = this.packet;
    const start = this.lookup.rulesFor(table, builtin, packet.dst, packet.dport);
    if (!start) return { kind: 'accept' };
    this.trace.push(`${table}/${builtin}`);
    const stack: { chain: string; rules: readonly Rule[]; next: number }[] = [{ chain: builtin, rules: start, next: 0 }];
    let serviceChain: string | undefined;
    let steps = 0;
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      if (frame.next >= frame.rules.length) {
        stack.pop();
        continue;
      }
      const rule = frame.rules[frame.next++];
      if (++steps > MAX_STEPS) return { kind: 'drop', reason: `rule evaluation stopped after ${MAX_STEPS} rules in ${table}/${builtin}` };
      if (!this.matches(rule)) continue;
      const target = rule.target;
      if (!target) continue;
      switch (target.kind) {
        case 'jump':
        case 'goto': {
          // No rule of a chain changes the destination and goes on: DNAT ends the walk.
          const child = this.lookup.rulesFor(table, target.chain, packet.dst, packet.dport);
          if (!child) continue;
          if (stack.length >= MAX_DEPTH) return { kind: 'drop', reason: `chains nested deeper than ${MAX_DEPTH} in ${table}/${builtin}` };
          if (target.kind === 'goto') stack.pop();
          stack.push({ chain: target.chain, rules: child, next: 0 });
          this.trace.push(`${table}/${target.chain}`);
          if (target.chain.startsWith('KUBE-SVC-') || target.chain.startsWith('KUBE-SVL-')) serviceChain = target.chain;
          continue;
        }
        case 'RETURN':
          stack.pop();
          continue;
        case 'ACCEPT':
          return { kind: 'accept' };
        case 'DROP':
        case 'REJECT':
          return { kind: target.kind === 'DROP' ? 'drop' : 'reject', reason: ruleComment(rule) ?? `${target.kind} in ${table}/${frame.chain}` };
        case 'DNAT':
          packet.dst = target.ip;
          packet.dport = target.port;
          packet.dnatted = true;
          return { kind: 'dnat', ip: target.ip, port: target.port, endpointChain: frame.chain, serviceChain };
        case 'MARK':
          packet.mark = (target.op === 'or' ? packet.mark | target.value : packet.mark ^ target.value) >>> 0;
          continue;
        case 'MASQUERADE':
          return { kind: 'accept' };
      }
    }
    // Fell off the end of the built-in chain: its policy, ACCEPT on a kube-proxy node.
    return { kind: 'accept' };
  }
}

/** Decides the fate of a new connection under the given rules. */
export function evaluateConnection(rules: ProxyRules | RuleLookup, conn: NewConnection, ctx: EvaluationContext): Verdict {
  const lookup = 'rulesFor' in rules ? rules : modelLookup(rules);
  const protocol = (String(conn?.protocol ?? 'TCP').toLowerCase() as L4Protocol) || 'tcp';
  const packet: Packet = {
    src: String(conn?.srcIP ?? ''),
    dst: String(conn?.dstIP ?? ''),
    dport: Number(conn?.dstPort),
    protocol,
    mark: 0,
    dnatted: false,
  };
  const walker = new Walker(lookup, ctx, packet, conn?.dstIsLocal ? packet.dst : undefined);
  let dnat: Extract<Outcome, { kind: 'dnat' }> | undefined;
  // Runs one hook; a DROP or REJECT there is the final answer.
  const step = (table: TableName, chain: string): Verdict | undefined => {
    const outcome = walker.run(table, chain);
    if (outcome.kind === 'drop' || outcome.kind === 'reject') return { kind: outcome.kind, reason: outcome.reason, trace: walker.trace };
    if (outcome.kind === 'dnat') dnat = outcome;
    return undefined;
  };
  const fromNode = walker.isLocal(packet.src);
  const first: [TableName, string][] = fromNode
    ? [
        ['nat', 'OUTPUT'],
        ['filter', 'OUTPUT'],
        ['nat', 'POSTROUTING'],
      ]
    : [['nat', 'PREROUTING']];
  for (const [table, chain] of first) {
    const verdict = step(table, chain);
    if (verdict) return verdict;
  }
  // Routing after NAT: still addressed to the node, the packet is delivered locally (a
  // connection made on the node loops back through lo); otherwise it is forwarded to the pod.
  const rest: [TableName, string][] = walker.isLocal(packet.dst)
    ? [['filter', 'INPUT']]
    : fromNode
      ? []
      : [
          ['filter', 'FORWARD'],
          ['nat', 'POSTROUTING'],
        ];
  for (const [table, chain] of rest) {
    const verdict = step(table, chain);
    if (verdict) return verdict;
  }
  const d = dnat as Extract<Outcome, { kind: 'dnat' }> | undefined;
  if (d) {
    const verdict: Verdict = { kind: 'dnat', ip: d.ip, port: d.port, endpointChain: d.endpointChain, trace: walker.trace };
    if (d.serviceChain) verdict.serviceChain = d.serviceChain;
    return verdict;
  }
  return { kind: 'accept', trace: walker.trace };
}
