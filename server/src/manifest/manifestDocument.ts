// One YAML document of a manifest file, parsed from its own piece of text (see
// splitDocuments.ts): the value kubectl would send, the JSON tree the apiserver would decode,
// the document's identity (apiVersion, kind, name, namespace), the problems found while
// reading it, and the way back from a field path to the text. Offsets and positions are
// relative to the piece, so an unchanged document keeps its parse when lines move above it.
//
// Nothing here throws: input that the YAML library, the alias limit or the stack cannot cope
// with becomes a problem on the document, and the document then carries no value.

import { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, type Alias, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import type { FieldPathSegment } from '../features/finding';
import { jsonNodeFromValue, parseJsonNode, type JsonNode } from '../validation/fields';
import { aliasExpansionProblem, resolveAliases } from './aliasExpansion';
import { readBlockYaml, readBlockYamlValue, type CollectionPositions } from './blockYamlReader';
import { isMergeKey, jsonKey, kubectlYamlOptions, maxAliasCount, withDocumentByteOrderMarkSkipped, withLoneCarriageReturnsAsLineFeeds } from './kubectlYaml';
import { LineIndex, type OffsetRange, type Range } from './positions';

export type ProblemSeverity = 'error' | 'warning';

/** Something wrong with the text itself, found before any Kubernetes rule runs. */
export interface ManifestProblem {
  range: OffsetRange;
  severity: ProblemSeverity;
  /** `ksl/yaml-syntax`, `ksl/duplicate-key`, `ksl/not-an-object`, ... */
  code: string;
  message: string;
}

export interface FieldLocation {
  range: OffsetRange;
  /** False when the field is missing and the range is that of its nearest existing ancestor. */
  exact: boolean;
}

export interface MapEntry {
  key: string;
  keyRange: OffsetRange;
  valueRange: OffsetRange;
  value: unknown;
}

/** Where an offset falls: the field path and whether it is on the key or the value. */
export interface NodeAtOffset {
  path: FieldPathSegment[];
  on: 'key' | 'value';
  range: OffsetRange;
}

/** Deeper than this, a document is refused rather than risk the stack (Kubernetes objects nest about 15 levels). */
export const maxNestingDepth = 500;

const TOO_DEEP_TO_READ = `the document nests too deeply to read (Kubernetes objects nest about 15 levels; this one goes past ${maxNestingDepth})`;

type ParsedDoc = Document.Parsed;

interface PairIndex {
  byKey: Map<string, Pair>;
  merges: Pair[];
}

function stringField(obj: unknown, ...path: string[]): string | undefined {
  let cur: unknown = obj;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return typeof cur === 'string' ? cur : undefined;
}

function depthOf(value: unknown): number {
  let max = 0;
  const stack: { v: unknown; d: number }[] = [{ v: value, d: 0 }];
  while (stack.length > 0) {
    const { v, d } = stack.pop()!;
    if (d > max) max = d;
    if (max > maxNestingDepth) return max;
    if (v !== null && typeof v === 'object') {
      for (const child of Array.isArray(v) ? v : Object.values(v as Record<string, unknown>)) stack.push({ v: child, d: d + 1 });
    }
  }
  return max;
}

export class ManifestDocument {
  /** The document's content within the piece; empty at the piece's start when there is none. */
  readonly range: OffsetRange;
  /** The object kubectl would send; undefined when the text does not parse or holds nothing. */
  readonly value: unknown;
  /** The JSON tree of a document the library read (the fast reader's is built on demand, see `json`). */
  private readonly readJson: JsonNode | undefined;
  /** True when the piece is JSON text, which kubectl sends as written. */
  readonly jsonInput: boolean;
  readonly problems: ManifestProblem[] = [];
  readonly apiVersion: string | undefined;
  readonly kind: string | undefined;
  readonly name: string | undefined;
  readonly namespace: string | undefined;
  private parsed: ParsedDoc | undefined;
  /** The node of each alias in the document, found in one walk when first needed. */
  private aliasTargets: Map<Alias, Node | undefined> | undefined;
  /** Each looked-up mapping's pairs by key, so that finding many fields of one mapping is not quadratic. */
  private readonly pairIndexes = new WeakMap<YAMLMap, PairIndex>();
  /** True while the nodes of a document read by the fast reader have not been built yet. */
  private nodesLater = false;
  private lineIndex: LineIndex | undefined;
  /** Where the fast reader found the entries of the value's objects and arrays (undefined when the library read it). */
  private readonly positions: ReadonlyMap<object, CollectionPositions> | undefined;

  /** `fastReader: false` reads with the YAML library alone, which tests compare the fast reader with. */
  constructor(
    readonly text: string,
    options: { fastReader?: boolean } = {},
  ) {
    let doc: ParsedDoc | undefined;
    let value: unknown;
    let json: JsonNode | undefined;
    let jsonInput = false;
    // Most manifests are plain block YAML, whose value the fast reader gives without building
    // the library's nodes; those are built when something first asks where a field is.
    // The readers get the text as kubectl reads it; positions are still counted in `text`.
    const readable = withDocumentByteOrderMarkSkipped(text);
    const quick = options.fastReader === false ? undefined : readBlockYamlValue(readable);
    this.positions = quick?.positions;
    if (quick) {
      value = quick.value;
      this.nodesLater = true;
    } else {
      try {
        const docs = parseAllDocuments(withLoneCarriageReturnsAsLineFeeds(readable), kubectlYamlOptions);
        doc = docs[0];
        for (const extra of docs.slice(1)) {
          this.problems.push({ range: this.trimmed(extra.range[0], extra.range[2]), severity: 'error', code: 'ksl/yaml-syntax', message: 'unexpected second document' });
        }
        if (doc) {
          // The library reports a stack overflow while composing as RESOURCE_EXHAUSTION, in the engine's words.
          for (const e of doc.errors) this.addYamlProblem(e.pos, 'error', e.code === 'RESOURCE_EXHAUSTION' ? TOO_DEEP_TO_READ : e.message);
          for (const w of doc.warnings) this.addYamlProblem(w.pos, 'warning', w.message);
          this.aliasTargets = doc.errors.length === 0 ? resolveAliases(doc.contents) : undefined;
          const aliasing = this.aliasTargets ? aliasExpansionProblem(doc.contents, this.aliasTargets) : undefined;
          if (aliasing) {
            this.problems.push({ range: this.trimmed(aliasing.range[0], aliasing.range[1]), severity: 'error', code: 'ksl/yaml-syntax', message: `kubectl cannot read the document: ${aliasing.message}` });
          } else if (doc.errors.length === 0 && doc.contents !== null) {
            value = doc.toJS({ maxAliasCount });
            if (depthOf(value) > maxNestingDepth) {
              this.problems.push({ range: this.contentRange(doc), severity: 'error', code: 'ksl/too-deep', message: `the document nests more than ${maxNestingDepth} levels deep` });
              value = undefined;
            } else {
              const trimmed = text.trimStart();
              if (trimmed.startsWith('{')) {
                const parsed = parseJsonNode(trimmed.trimEnd());
                if (parsed.ok) {
                  json = parsed.node;
                  jsonInput = true;
                }
              }
              json ??= jsonNodeFromValue(value);
              if (!jsonInput) this.findDuplicateKeys(doc);
            }
          }
        }
      } catch (err) {
        const reason = err instanceof RangeError ? TOO_DEEP_TO_READ : `the document cannot be read: ${(err as Error)?.message ?? String(err)}`;
        this.problems.push({ range: { start: 0, end: Math.min(text.length, this.lines.lineStart(1)) }, severity: 'error', code: 'ksl/yaml-syntax', message: reason });
        value = undefined;
        json = undefined;
        doc = undefined;
      }
    }
    this.parsed = doc;
    this.range = quick ? this.trimmed(quick.contents.start, quick.contents.end) : doc ? this.contentRange(doc) : { start: 0, end: 0 };
    if (value !== undefined && value !== null && (typeof value !== 'object' || Array.isArray(value))) {
      this.problems.push({ range: this.range, severity: 'error', code: 'ksl/not-an-object', message: 'a manifest document must be a mapping with apiVersion, kind and metadata' });
    }
    this.value = value;
    this.readJson = json;
    this.jsonInput = jsonInput;
    this.apiVersion = stringField(value, 'apiVersion');
    this.kind = stringField(value, 'kind');
    this.name = stringField(value, 'metadata', 'name');
    this.namespace = stringField(value, 'metadata', 'namespace');
  }

  /**
   * The same as the apiserver's JSON decoder sees it (duplicate keys kept for JSON input). For
   * a document the fast reader read it is built from the value at each use and not kept: only
   * decoding needs it, once per text, and thousands of documents' trees would stay in memory.
   */
  get json(): JsonNode | undefined {
    return this.positions ? jsonNodeFromValue(this.value) : this.readJson;
  }

  /** Line starts of the text, found on first use. */
  get lines(): LineIndex {
    this.lineIndex ??= new LineIndex(this.text);
    return this.lineIndex;
  }

  /** The library's nodes for the document (built on first use after the fast reader). */
  private get doc(): ParsedDoc | undefined {
    if (this.nodesLater) {
      this.nodesLater = false;
      const readable = withDocumentByteOrderMarkSkipped(this.text);
      this.parsed = readBlockYaml(readable) ?? parseAllDocuments(withLoneCarriageReturnsAsLineFeeds(readable), kubectlYamlOptions)[0];
    }
    return this.parsed;
  }

  /** No content at all (only comments or blank lines): kubectl skips such documents. */
  get empty(): boolean {
    return (this.value === undefined || this.value === null) && this.problems.length === 0;
  }

  /** True when the text did not parse, so no Kubernetes rule should look at the value. */
  get unreadable(): boolean {
    return this.problems.some((p) => p.severity === 'error');
  }

  /** An object value (the only kind of document Kubernetes accepts), or undefined. */
  get object(): Record<string, unknown> | undefined {
    const v = this.value;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  }

  range16(r: OffsetRange): Range {
    return this.lines.range(r);
  }

  /**
   * The text of the field at `path`: its key or its value. When the field is missing, the key
   * of its nearest existing ancestor, or the document's first key for a missing top-level
   * field. A value that is empty in the text (`port:`) is located on its key.
   */
  locate(path: readonly FieldPathSegment[], on: 'key' | 'value'): FieldLocation {
    try {
      return this.positions ? this.locateByPositions(this.positions, path, on) : this.locateUnsafe(path, on);
    } catch {
      return { range: this.anchorRange(), exact: false };
    }
  }

  /** Every entry of the mapping at `path`, in text order (empty when it is not a mapping). */
  mapEntries(path: readonly FieldPathSegment[]): MapEntry[] {
    try {
      const node = this.nodeAtPath(path);
      const map = this.deref(node);
      if (!isMap(map)) return [];
      const out: MapEntry[] = [];
      for (const pair of map.items) {
        const key = jsonKey(pair.key);
        if (key === undefined || !isPair(pair)) continue;
        const keyRange = this.nodeRange(pair.key as Node);
        const valueNode = pair.value as Node | null;
        const valueRange = valueNode && this.hasText(valueNode) ? this.nodeRange(valueNode) : keyRange;
        out.push({ key, keyRange, valueRange, value: isScalar(valueNode) ? valueNode.value : undefined });
      }
      return out;
    } catch {
      return [];
    }
  }

  /** The deepest field at `offset`, or undefined outside any field. */
  nodeAt(offset: number): NodeAtOffset | undefined {
    try {
      return this.nodeAtUnsafe(offset);
    } catch {
      return undefined;
    }
  }

  /** The place to report a problem with the whole document: its first key, or its first line. */
  anchorRange(): OffsetRange {
    const first = this.positions && this.value !== null && typeof this.value === 'object' ? this.positions.get(this.value) : undefined;
    if (first?.kind === 'map' && first.first) return { start: first.first.keyStart, end: first.first.keyEnd };
    const root = this.deref(this.doc?.contents ?? null);
    if (isMap(root) && root.items.length > 0 && root.items[0]!.key) return this.nodeRange(root.items[0]!.key as Node);
    if (this.range.end > this.range.start) {
      const line = this.lines.positionAt(this.range.start).line;
      const lineEnd = this.lines.offsetAt({ line, character: Number.MAX_SAFE_INTEGER });
      return { start: this.range.start, end: Math.max(this.range.start, Math.min(lineEnd, this.range.end)) };
    }
    return { start: 0, end: Math.min(this.text.length, this.lines.offsetAt({ line: 0, character: Number.MAX_SAFE_INTEGER })) };
  }

  private addYamlProblem(pos: [number, number], severity: ProblemSeverity, message: string): void {
    // An error at the end of the text (an unclosed bracket, say) is shown on the last thing written.
    let last = this.text.length - 1;
    while (last > 0 && /\s/.test(this.text[last]!)) last--;
    const start = Math.max(0, Math.min(pos[0], last));
    let end = Math.max(start, Math.min(pos[1], this.text.length));
    // A range does not take in the line break it ends with, and an empty range is widened to
    // the character it stands on unless that is a line break: underlining one would end the
    // range on the next line for "\n" and on this one for "\r\n".
    const isBreak = (c: number): boolean => c === 10 || c === 13;
    while (end > start && isBreak(this.text.charCodeAt(end - 1))) end--;
    const c = this.text.charCodeAt(start);
    if (end === start && end < this.text.length && !isBreak(c)) end = start + 1;
    this.problems.push({ range: { start, end }, severity, code: 'ksl/yaml-syntax', message });
  }

  private contentRange(doc: ParsedDoc): OffsetRange {
    const contents = doc.contents as Node | null;
    if (contents?.range) return this.trimmed(contents.range[0], contents.range[1]);
    return this.trimmed(doc.range[0], doc.range[1]);
  }

  /** A range with trailing whitespace and line breaks left out. */
  private trimmed(start: number, end: number): OffsetRange {
    let e = Math.min(end, this.text.length);
    const s = Math.max(0, Math.min(start, e));
    while (e > s && /\s/.test(this.text[e - 1]!)) e--;
    return { start: s, end: e };
  }

  private nodeRange(node: Node): OffsetRange {
    const r = node.range;
    if (!r) return this.anchorRange();
    return this.trimmed(r[0], r[1]);
  }

  private hasText(node: Node): boolean {
    const r = node.range;
    return !!r && r[1] > r[0];
  }

  private deref(node: unknown): unknown {
    let n = node;
    for (let i = 0; i < 100 && isAlias(n); i++) {
      // The library's own resolve walks the whole document on every call.
      this.aliasTargets ??= resolveAliases(this.doc?.contents ?? null);
      n = this.aliasTargets.get(n);
    }
    return n;
  }

  /** The pair for `key` in `map`: the last one written (kubectl keeps the last), else one merged in with `<<`. */
  private findPair(map: YAMLMap, key: string, seen = new Set<unknown>()): Pair | undefined {
    if (seen.has(map)) return undefined;
    seen.add(map);
    const { byKey, merges } = this.pairsOf(map);
    const found = byKey.get(key);
    if (found) return found;
    for (const merge of merges) {
      const src = this.deref(merge.value);
      const sources = isSeq(src) ? src.items.map((i) => this.deref(i)) : [src];
      for (const s of sources) {
        if (!isMap(s)) continue;
        const p = this.findPair(s, key, seen);
        if (p) return p;
      }
    }
    return undefined;
  }

  /** The pairs of `map` by key (the last written of each) and its merge keys, indexed once per map. */
  private pairsOf(map: YAMLMap): PairIndex {
    let index = this.pairIndexes.get(map);
    if (!index) {
      index = { byKey: new Map(), merges: [] };
      for (const pair of map.items) {
        if (!isPair(pair)) continue;
        if (isMergeKey(pair)) {
          index.merges.push(pair);
          continue;
        }
        const key = jsonKey(pair.key);
        if (key !== undefined) index.byKey.set(key, pair);
      }
      this.pairIndexes.set(map, index);
    }
    return index;
  }

  private nodeAtPath(path: readonly FieldPathSegment[]): unknown {
    let node: unknown = this.doc?.contents ?? null;
    for (const seg of path) {
      const cur = this.deref(node);
      if (typeof seg === 'string' && isMap(cur)) node = this.findPair(cur, seg)?.value ?? null;
      else if (typeof seg === 'number' && isSeq(cur)) node = cur.items[seg] ?? null;
      else return null;
      if (node === null) return null;
    }
    return node;
  }

  private locateUnsafe(path: readonly FieldPathSegment[], on: 'key' | 'value'): FieldLocation {
    let node: unknown = this.doc?.contents ?? null;
    let lastKey: OffsetRange | undefined;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i]!;
      const cur = this.deref(node);
      let next: unknown;
      let keyRange: OffsetRange | undefined;
      if (typeof seg === 'string' && isMap(cur)) {
        const pair = this.findPair(cur, seg);
        if (pair) {
          next = pair.value;
          keyRange = pair.key ? this.nodeRange(pair.key as Node) : undefined;
        }
      } else if (typeof seg === 'number' && isSeq(cur)) {
        const item = cur.items[seg] as Node | undefined;
        if (item) {
          next = item;
          keyRange = this.itemKeyRange(item);
        }
      }
      if (keyRange === undefined) return { range: lastKey ?? this.anchorRange(), exact: false };
      if (i === path.length - 1) {
        const valueNode = next as Node | null;
        if (on === 'key' || !valueNode || !this.hasText(valueNode)) return { range: keyRange, exact: true };
        return { range: this.nodeRange(valueNode), exact: true };
      }
      lastKey = keyRange;
      node = next;
    }
    return { range: this.range.end > this.range.start ? this.range : this.anchorRange(), exact: path.length === 0 };
  }

  /** locateUnsafe for a document the fast reader read, from its positions instead of the library's nodes. */
  private locateByPositions(positions: ReadonlyMap<object, CollectionPositions>, path: readonly FieldPathSegment[], on: 'key' | 'value'): FieldLocation {
    const at = (v: unknown): CollectionPositions | undefined => (v !== null && typeof v === 'object' ? positions.get(v) : undefined);
    let value: unknown = this.value;
    let lastKey: OffsetRange | undefined;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i]!;
      const here = at(value);
      let keyRange: OffsetRange | undefined;
      let valueRange: OffsetRange | undefined;
      let next: unknown;
      if (typeof seg === 'string' && here?.kind === 'map') {
        const entry = here.entries.get(seg);
        if (entry) {
          next = (value as Record<string, unknown>)[seg];
          keyRange = { start: entry.keyStart, end: entry.keyEnd };
          valueRange = this.trimmed(entry.valueStart, entry.valueEnd);
        }
      } else if (typeof seg === 'number' && here?.kind === 'seq') {
        const item = here.items[seg];
        if (item) {
          next = (value as unknown[])[seg];
          valueRange = this.trimmed(item.start, item.end);
          const inner = at(next);
          keyRange = inner?.kind === 'map' && inner.first ? { start: inner.first.keyStart, end: inner.first.keyEnd } : valueRange;
        }
      }
      if (keyRange === undefined || valueRange === undefined) return { range: lastKey ?? this.anchorRange(), exact: false };
      if (i === path.length - 1) return { range: on === 'key' ? keyRange : valueRange, exact: true };
      lastKey = keyRange;
      value = next;
    }
    return { range: this.range.end > this.range.start ? this.range : this.anchorRange(), exact: path.length === 0 };
  }

  /** A sequence item has no key; its "key" is the item itself, or the first key of a mapping item. */
  private itemKeyRange(item: Node): OffsetRange {
    const target = this.deref(item);
    if (isMap(target) && target.items.length > 0 && target.items[0]!.key && target === item) return this.nodeRange(target.items[0]!.key as Node);
    return this.nodeRange(item);
  }

  private nodeAtUnsafe(offset: number): NodeAtOffset | undefined {
    const path: FieldPathSegment[] = [];
    let node: unknown = this.doc?.contents ?? null;
    let result: NodeAtOffset | undefined;
    const inside = (n: Node): boolean => !!n.range && offset >= n.range[0] && offset <= n.range[1];
    for (let depth = 0; depth < maxNestingDepth; depth++) {
      if (isMap(node)) {
        const pair = node.items.find((p) => (p.key && inside(p.key as Node)) || (p.value && inside(p.value as Node)));
        const key = pair ? jsonKey(pair.key) : undefined;
        if (!pair || key === undefined) return result;
        path.push(key);
        if (pair.key && inside(pair.key as Node)) return { path, on: 'key', range: this.nodeRange(pair.key as Node) };
        const value = pair.value as Node;
        result = { path: [...path], on: 'value', range: this.nodeRange(value) };
        node = value;
      } else if (isSeq(node)) {
        const index = node.items.findIndex((item) => inside(item as Node));
        if (index < 0) return result;
        path.push(index);
        const item = node.items[index] as Node;
        result = { path: [...path], on: 'value', range: this.nodeRange(item) };
        node = item;
      } else {
        return result;
      }
    }
    return result;
  }

  /** Reports each later occurrence of a key written twice in one mapping. */
  private findDuplicateKeys(doc: ParsedDoc): void {
    const stack: unknown[] = [doc.contents];
    const visited = new Set<unknown>();
    while (stack.length > 0) {
      const node = stack.pop();
      if (visited.has(node)) continue;
      visited.add(node);
      if (isMap(node)) {
        const seen = new Set<string>();
        for (const pair of node.items) {
          if (!isPair(pair)) continue;
          const key = isMergeKey(pair) ? undefined : jsonKey(pair.key);
          if (key !== undefined) {
            if (seen.has(key) && pair.key) {
              this.problems.push({
                range: this.nodeRange(pair.key as Node),
                severity: 'warning',
                code: 'ksl/duplicate-key',
                message: `duplicate key ${JSON.stringify(key)}: kubectl silently keeps only the last value`,
              });
            }
            seen.add(key);
          }
          stack.push(pair.value);
        }
      } else if (isSeq(node)) {
        for (const item of node.items) stack.push(item);
      }
    }
  }
}
