// Whether kubectl's YAML decoder would refuse a document for its aliases, found without
// expanding anything. kubectl converts YAML with go-yaml v2 (through sigs.k8s.io/yaml), which
// copies an alias's whole anchored node wherever the alias stands and, since the fix for
// CVE-2019-11254, counts while it decodes: every node decoded is one operation, and a node
// decoded under an alias is also an alias operation. Once there have been more than 100 alias
// operations and 1,000 operations in all, the share of alias operations may not exceed 99%
// up to 400,000 operations, a share that falls linearly to 10% at 4,000,000; past it the
// decoder stops with "document contains excessive aliasing". An alias met again inside its
// own expansion stops it with "anchor 'x' value contains itself", and an alias without an
// anchor before it with "unknown anchor 'x' referenced".
//
// The walk counts in go-yaml's order (mapping keys then values, merge sources last to first)
// and stops where go-yaml would, so its cost is bounded by what kubectl accepts, and so is the
// cost of every later walk over the document's value. The YAML library's own alias limit
// counts differently (it refuses 101 aliases of one scalar, which kubectl reads), so the
// parser lifts it and relies on this check instead.

import { isAlias, isMap, isPair, isSeq, type Alias, type Node } from 'yaml';
import { isMergeKey } from './kubectlYaml';

export interface AliasProblem {
  message: string;
  /** go-yaml's own words for the problem, as kube-apiserver and kubectl print them (no advice). */
  goyamlWords: string;
  /** The alias written in the document's text that the refused expansion started from. */
  range: [number, number];
}

const RATIO_RANGE_LOW = 400_000;
const RATIO_RANGE_HIGH = 4_000_000;

/** go-yaml's allowedAliasRatio: the share of alias operations a document of this many operations may have. */
function allowedAliasRatio(decodes: number): number {
  if (decodes <= RATIO_RANGE_LOW) return 0.99;
  if (decodes >= RATIO_RANGE_HIGH) return 0.1;
  return 0.99 - 0.89 * ((decodes - RATIO_RANGE_LOW) / (RATIO_RANGE_HIGH - RATIO_RANGE_LOW));
}

/** The children of a collection in document order (pairs as key then value). */
function childrenOf(node: unknown): unknown[] {
  if (isSeq(node)) return node.items;
  if (!isMap(node)) return [];
  const out: unknown[] = [];
  for (const pair of node.items) {
    if (!isPair(pair)) continue;
    out.push(pair.key, pair.value);
  }
  return out;
}

/** Each alias's node: the last node anchored with its name before the alias, in document order. */
export function resolveAliases(contents: unknown): Map<Alias, Node | undefined> {
  const anchors = new Map<string, Node>();
  const targets = new Map<Alias, Node | undefined>();
  const stack: unknown[] = [contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isAlias(node)) {
      targets.set(node, anchors.get(node.source));
      continue;
    }
    const anchor = (node as Node | null)?.anchor;
    if (anchor) anchors.set(anchor, node as Node);
    const children = childrenOf(node);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return targets;
}

type Step = { decode: unknown } | { merge: unknown } | { leave: Alias };

function rangeOf(node: unknown): [number, number] {
  const r = (node as Node | null)?.range;
  return r ? [r[0], r[1]] : [0, 0];
}

/** The problem kubectl's decoder would stop at on this document's aliases, or undefined. */
export function aliasExpansionProblem(contents: unknown, targets: ReadonlyMap<Alias, Node | undefined> = resolveAliases(contents)): AliasProblem | undefined {
  if (targets.size === 0) return undefined;
  // The document node itself is go-yaml's first operation.
  let decodes = 1;
  let aliasOps = 0;
  // The aliases being expanded, outermost first, as a list (for the report) and a set.
  const expanding: Alias[] = [];
  const active = new Set<Alias>();
  const stack: Step[] = [{ decode: contents }];
  const startedAt = (alias: Alias): [number, number] => rangeOf(expanding[0] ?? alias);
  while (stack.length > 0) {
    const step = stack.pop()!;
    if ('leave' in step) {
      expanding.pop();
      active.delete(step.leave);
      continue;
    }
    if ('merge' in step) {
      // A merge key is not decoded; its source is, and a list of sources from last to first.
      if (isSeq(step.merge)) for (const item of step.merge.items) stack.push({ decode: item });
      else stack.push({ decode: step.merge });
      continue;
    }
    const node = step.decode;
    decodes++;
    if (expanding.length > 0) aliasOps++;
    if (aliasOps > 100 && decodes > 1000 && aliasOps / decodes > allowedAliasRatio(decodes)) {
      const goyamlWords = 'document contains excessive aliasing';
      return { message: `${goyamlWords} (kubectl copies every alias in full and refuses this much copying: alias smaller nodes, or fewer times)`, goyamlWords, range: rangeOf(expanding[0] ?? node) };
    }
    if (isAlias(node)) {
      const target = targets.get(node);
      if (!target) {
        const goyamlWords = `unknown anchor '${node.source}' referenced`;
        return { message: `${goyamlWords} (an alias needs its anchor &${node.source} earlier in the same document)`, goyamlWords, range: startedAt(node) };
      }
      if (active.has(node)) {
        const goyamlWords = `anchor '${node.source}' value contains itself`;
        return { message: `${goyamlWords} (the alias would expand forever)`, goyamlWords, range: startedAt(node) };
      }
      expanding.push(node);
      active.add(node);
      stack.push({ leave: node }, { decode: target });
      continue;
    }
    if (isMap(node)) {
      const steps: Step[] = [];
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        if (isMergeKey(pair)) steps.push({ merge: pair.value });
        else steps.push({ decode: pair.key }, { decode: pair.value });
      }
      for (let i = steps.length - 1; i >= 0; i--) stack.push(steps[i]!);
    } else if (isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) stack.push({ decode: node.items[i] });
    }
  }
  return undefined;
}
