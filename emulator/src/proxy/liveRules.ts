// kube-proxy's rules as they stand on the node, held per Service, so that changing one Service
// costs work in proportion to that Service and not to the cluster. The same rules are offered
// three ways:
//  - to the packet evaluator, as a RuleLookup answered from an index by destination address
//    and port: a connection meets only the shared-chain rules of the Services it could hit;
//  - as iptables-save text: each Service's lines are rendered once after it changes, kept in
//    key order in SortedChunks, and the whole text is put together only when someone asks;
//  - as the rule model (ProxyRules), assembled on demand for tests and tools.
// Which rules each Service has (and in which largeClusterMode they were written) is decided by
// the caller; this file only keeps them and answers from them.

import { renderIptablesSave, saveChainLine, saveChainRules, saveTableFooter, saveTableHeader, type ServiceRef } from './iptablesSave';
import type { RuleLookup } from './ruleEvaluator';
import { BUILTIN_CHAINS, type ProxyConfig, type ProxyRules, type Rule, type TableName } from './ruleModel';
import { assembleRules, ruleSkeleton, serviceKey, TABLE_ORDER, type RuleSkeleton } from './rules';
import { normalizeIPv4 } from './servicePorts';
import type { ServiceRules } from './serviceRules';
import { SortedChunks } from './sortedChunks';

/** One Service's rules, with what the lookup needs to find them. */
interface Entry {
  readonly rules: ServiceRules;
  /** `namespace\0name`, which sorts as kube-proxy's rules list Services: by namespace, then name. */
  readonly order: string;
  /** Its rules in each shared chain, by `table/chain`, in the order written. */
  readonly shared: ReadonlyMap<string, readonly Rule[]>;
  /** Destinations (canonical IPv4 addresses) some shared rule of it requires. */
  readonly dsts: readonly string[];
  /** Destination ports some shared rule of it requires, where no address narrows it down. */
  readonly ports: readonly number[];
  /** Whether some shared rule of it can be ruled out by neither. */
  readonly unkeyed: boolean;
  /** The xt_recent lists its rules name. */
  readonly recentNames: ReadonlySet<string>;
}

/** A chain of the skeleton, which every node has and Services may add rules to. */
interface SharedChain {
  readonly table: TableName;
  readonly name: string;
  readonly builtin: boolean;
  /** Its line in the list of chains at the top of the table. */
  readonly declaration: string;
  readonly head: readonly Rule[];
  readonly tail: readonly Rule[];
  /** head then tail: the chain while no Service has rules in it. */
  readonly fixed: readonly Rule[];
  readonly headText: string;
  readonly tailText: string;
  /** Each Service's lines in this chain, by Service order. */
  readonly services: SortedChunks;
  /** The chain's rule lines as last assembled; undefined after a Service's lines changed. */
  body: string | undefined;
}

/** What the text index holds for one Service, so that it can be taken out again. */
interface Indexed {
  readonly order: string;
  readonly chains: readonly string[];
  readonly shared: readonly string[];
}

const sharedKey = (table: TableName, chain: string): string => `${table}/${chain}`;

/**
 * What a packet must be addressed to for this rule to match, when the rule says so before it
 * could have any effect: a host destination in its IP header, else a --dport reached with no
 * statistic or recent module before it.
 */
function ruleKey(rule: Rule): { dst?: string; port?: number } {
  for (const m of rule.matches) {
    if (m.kind !== 'address' || m.dir !== 'destination' || m.negate) continue;
    const slash = m.cidr.indexOf('/');
    if (slash >= 0 && m.cidr.slice(slash + 1) !== '32') continue;
    const dst = normalizeIPv4(slash >= 0 ? m.cidr.slice(0, slash) : m.cidr);
    if (dst !== undefined) return { dst };
  }
  for (const m of rule.matches) {
    if (m.kind === 'statistic' || m.kind === 'recent') return {};
    if (m.kind === 'dport') return { port: m.port };
  }
  return {};
}

function addTo<K>(index: Map<K, Set<string>>, key: K, service: string): void {
  const set = index.get(key);
  if (set) set.add(service);
  else index.set(key, new Set([service]));
}

function removeFrom<K>(index: Map<K, Set<string>>, key: K, service: string): void {
  const set = index.get(key);
  if (!set) return;
  set.delete(service);
  if (set.size === 0) index.delete(key);
}

export class LiveRules implements RuleLookup {
  private readonly skeleton: RuleSkeleton;
  private readonly entries = new Map<string, Entry>();
  private readonly sharedChains = new Map<string, SharedChain>();
  /** The nat chains Services own, by name. */
  private readonly serviceChains = new Map<string, readonly Rule[]>();
  private readonly byDst = new Map<string, Set<string>>();
  private readonly byPort = new Map<number, Set<string>>();
  private readonly unkeyed = new Set<string>();
  private readonly recentRefs = new Map<string, number>();
  /** Non-built-in chains by name, per table: their declaration line and their rule lines. */
  private readonly chainText: Record<TableName, SortedChunks>;
  private readonly builtinDeclarations: Record<TableName, string>;
  private readonly indexed = new Map<string, Indexed>();
  private readonly dirtyText = new Set<string>();
  private model: ProxyRules | undefined;

  constructor(private readonly config: ProxyConfig) {
    this.skeleton = ruleSkeleton(config);
    this.chainText = { mangle: new SortedChunks(2), filter: new SortedChunks(2), nat: new SortedChunks(2) };
    this.builtinDeclarations = { mangle: '', filter: '', nat: '' };
    for (const table of TABLE_ORDER) {
      for (const c of this.skeleton[table]) {
        const builtin = c.kind === 'builtin';
        const chain: SharedChain = {
          table,
          name: c.name,
          builtin,
          declaration: `${saveChainLine(c)}\n`,
          head: c.head,
          tail: c.tail,
          fixed: [...c.head, ...c.tail],
          headText: saveChainRules(c.name, c.head),
          tailText: saveChainRules(c.name, c.tail),
          services: new SortedChunks(1),
          body: undefined,
        };
        this.sharedChains.set(sharedKey(table, c.name), chain);
        if (!builtin) this.chainText[table].set(c.name, [chain.declaration, this.body(chain)]);
      }
      for (const name of BUILTIN_CHAINS[table]) this.builtinDeclarations[table] += `${saveChainLine({ name, kind: 'builtin' })}\n`;
    }
  }

  /** The rules last written for a Service, if it has any. */
  get(key: string): ServiceRules | undefined {
    return this.entries.get(key)?.rules;
  }

  keys(): IterableIterator<string> {
    return this.entries.keys();
  }

  /**
   * Replaces a Service's rules (undefined: it has none). The rules must be that Service's own:
   * chain names are unique to a Service, which is what lets one Service's chains be replaced
   * without looking at the others. Returns the xt_recent lists that no rule names any more,
   * which the kernel would now free.
   */
  set(key: string, rules: ServiceRules | undefined): string[] {
    if (rules && serviceKey(rules.namespace, rules.name) !== key) throw new Error(`the rules of ${rules.namespace}/${rules.name} cannot be filed as ${key}`);
    const entry = rules ? this.entry(rules) : undefined;
    const old = this.entries.get(key);
    if (!old && !entry) return [];
    if (entry) this.entries.set(key, entry);
    else this.entries.delete(key);
    this.model = undefined;
    this.dirtyText.add(key);

    if (entry) {
      for (const dst of entry.dsts) addTo(this.byDst, dst, key);
      for (const port of entry.ports) addTo(this.byPort, port, key);
      for (const name of entry.recentNames) this.recentRefs.set(name, (this.recentRefs.get(name) ?? 0) + 1);
    }
    if (old) {
      for (const c of old.rules.chains) this.serviceChains.delete(c.name);
      for (const dst of old.dsts) if (!entry?.dsts.includes(dst)) removeFrom(this.byDst, dst, key);
      for (const port of old.ports) if (!entry?.ports.includes(port)) removeFrom(this.byPort, port, key);
    }
    if (entry) for (const c of entry.rules.chains) this.serviceChains.set(c.name, c.rules);
    if (entry?.unkeyed) this.unkeyed.add(key);
    else this.unkeyed.delete(key);

    const forgotten: string[] = [];
    for (const name of old?.recentNames ?? []) {
      const left = (this.recentRefs.get(name) ?? 1) - 1;
      if (left > 0) {
        this.recentRefs.set(name, left);
      } else {
        this.recentRefs.delete(name);
        forgotten.push(name);
      }
    }
    return forgotten;
  }

  /** The rule model of the whole node, assembled when first asked for after a change. */
  rules(): ProxyRules {
    if (!this.model) {
      const ordered = [...this.entries.values()].sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
      this.model = assembleRules(
        this.config,
        ordered.map((e) => e.rules),
        this.skeleton,
      );
    }
    return this.model;
  }

  /** The node's whole `iptables-save` output. */
  render(now: number): string {
    this.flushText();
    let out = '';
    for (const table of TABLE_ORDER) {
      out += saveTableHeader(table, now);
      out += this.builtinDeclarations[table];
      out += this.chainText[table].text(0);
      for (const name of BUILTIN_CHAINS[table]) {
        const chain = this.sharedChains.get(sharedKey(table, name));
        if (chain) out += this.body(chain);
      }
      out += this.chainText[table].text(1);
      out += saveTableFooter(now);
    }
    return out;
  }

  /** The part of `iptables-save` that concerns one Service ('' when it has no rules). */
  renderService(ref: ServiceRef, now: number): string {
    const entry = this.entries.get(serviceKey(ref.namespace, ref.name));
    if (!entry) return '';
    return renderIptablesSave(assembleRules(this.config, [entry.rules], this.skeleton), { now, only: ref });
  }

  rulesFor(table: TableName, chain: string, dst: string, dport: number): readonly Rule[] | undefined {
    const shared = this.sharedChains.get(sharedKey(table, chain));
    if (!shared) return table === 'nat' ? this.serviceChains.get(chain) : undefined;
    let out: Rule[] | undefined;
    for (const entry of this.candidates(dst, dport)) {
      const rules = entry.shared.get(sharedKey(table, chain));
      if (!rules) continue;
      out ??= [...shared.head];
      for (const rule of rules) out.push(rule);
    }
    if (!out) return shared.fixed;
    for (const rule of shared.tail) out.push(rule);
    return out;
  }

  /** The Services whose shared rules may match a packet to dst:dport, in Service order. */
  private candidates(dst: string, dport: number): Entry[] {
    const keys = new Set<string>(this.unkeyed);
    const host = normalizeIPv4(dst);
    if (host !== undefined) for (const k of this.byDst.get(host) ?? []) keys.add(k);
    for (const k of this.byPort.get(dport) ?? []) keys.add(k);
    const out: Entry[] = [];
    for (const k of keys) {
      const entry = this.entries.get(k);
      if (entry) out.push(entry);
    }
    if (out.length > 1) out.sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
    return out;
  }

  private entry(rules: ServiceRules): Entry {
    const shared = new Map<string, Rule[]>();
    const dsts = new Set<string>();
    const ports = new Set<number>();
    let unkeyed = false;
    const recentNames = new Set<string>();
    const noteRecent = (rule: Rule) => {
      for (const m of rule.matches) if (m.kind === 'recent') recentNames.add(m.name);
    };
    for (const { table, chain, rule } of rules.shared) {
      const key = sharedKey(table, chain);
      // Every chain kube-proxy writes Service rules into is one the skeleton has.
      if (!this.sharedChains.has(key)) throw new Error(`Service ${rules.namespace}/${rules.name} writes into ${key}, which kube-proxy does not have`);
      const list = shared.get(key);
      if (list) list.push(rule);
      else shared.set(key, [rule]);
      const k = ruleKey(rule);
      if (k.dst !== undefined) dsts.add(k.dst);
      else if (k.port !== undefined) ports.add(k.port);
      else unkeyed = true;
      noteRecent(rule);
    }
    for (const chain of rules.chains) for (const rule of chain.rules) noteRecent(rule);
    return {
      rules,
      order: `${rules.namespace}\u0000${rules.name}`,
      shared,
      dsts: [...dsts],
      ports: [...ports],
      unkeyed,
      recentNames,
    };
  }

  /** Brings the text index up to date with the Services changed since the last render. */
  private flushText(): void {
    if (this.dirtyText.size === 0) return;
    type Changes = Map<string, readonly string[] | undefined>;
    const tableChanges: Record<TableName, Changes> = { mangle: new Map(), filter: new Map(), nat: new Map() };
    const sharedChanges = new Map<SharedChain, Changes>();
    const changesOf = (chain: SharedChain): Changes => {
      let changes = sharedChanges.get(chain);
      if (!changes) sharedChanges.set(chain, (changes = new Map()));
      return changes;
    };
    // Within one Service the old pieces are taken out before the new ones go in, so a chain
    // it keeps ends up with its new text.
    for (const key of this.dirtyText) {
      const before = this.indexed.get(key);
      if (before) {
        for (const name of before.chains) tableChanges.nat.set(name, undefined);
        for (const s of before.shared) {
          const chain = this.sharedChains.get(s);
          if (chain) changesOf(chain).set(before.order, undefined);
        }
        this.indexed.delete(key);
      }
      const entry = this.entries.get(key);
      if (!entry) continue;
      // Joined rather than concatenated, so that the declaration kept for every chain is one
      // flat string and not a tree of pieces.
      for (const c of entry.rules.chains) tableChanges.nat.set(c.name, [[saveChainLine(c), '\n'].join(''), saveChainRules(c.name, c.rules)]);
      for (const [s, rules] of entry.shared) {
        const chain = this.sharedChains.get(s);
        if (chain) changesOf(chain).set(entry.order, [saveChainRules(chain.name, rules)]);
      }
      this.indexed.set(key, { order: entry.order, chains: entry.rules.chains.map((c) => c.name), shared: [...entry.shared.keys()] });
    }
    this.dirtyText.clear();
    // A Service whose lines in a shared chain stay the same (its ClusterIP rule, when only an
    // endpoint changed) leaves that chain's text alone: KUBE-SERVICES alone is a megabyte.
    for (const [chain, changes] of sharedChanges) {
      if (!chain.services.update(changes)) continue;
      chain.body = undefined;
      if (!chain.builtin) tableChanges[chain.table].set(chain.name, [chain.declaration, this.body(chain)]);
    }
    for (const table of TABLE_ORDER) if (tableChanges[table].size > 0) this.chainText[table].update(tableChanges[table]);
  }

  private body(chain: SharedChain): string {
    return (chain.body ??= chain.headText + chain.services.text(0) + chain.tailText);
  }
}
