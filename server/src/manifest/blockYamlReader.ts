// A fast reader for the plain block YAML most Kubernetes manifests are written in: nested
// block mappings and sequences of one-line scalars, with comments and blank lines. It builds
// the same nodes, ranges and values the YAML library's composer builds for such a document
// (test/unit/server/manifest/blockYamlReader.test.ts holds the two side by side), at a fraction
// of the cost, so a file of thousands of documents is read in milliseconds rather than seconds.
//
// It reads only what it is sure about and declines everything else by returning undefined;
// the caller then hands the document to the YAML library, which is exact for all of YAML and
// reports the errors. Declined: anchors, aliases, tags, directives, block scalars (`|`, `>`),
// flow collections other than `{}` and `[]`, multi-line scalars, quoted keys, keys that do not
// read as strings (`yes:`, `1:`, `<<:`), repeated keys, empty values, escapes in double
// quotes, tabs, carriage returns and other unusual characters, and comments whose placement
// the library would fold into a node's range (a comment indented deeper than the line after
// it, at the column of a collection it ends, or a trailing comment that is indented).
// Comments are not kept on the nodes: nothing downstream reads them.
//
// The reader runs in two modes over the same grammar: one builds the library's nodes (for
// locating fields in the text, which only some documents ever need), the other only the JS
// value the library's toJS() would give, which is all validation needs and is much cheaper.
//
// Accepted shapes, line by line (k = a key's column, d = a dash's column):
//   1. `key: scalar`              a plain, 'single' or "double" quoted scalar, `{}` or `[]`,
//                                 optionally followed by ` # comment`; the next content line
//                                 is indented at most k
//   2. `key:`                     followed by a block indented more than k, or by `- ` items
//                                 at column k (the usual Kubernetes style for lists)
//   3. `- scalar`                 as in 1, the next content line indented at most d
//   4. `- key: ...`               a mapping whose keys sit at the column after the dash

import { Document, Pair, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';
import type { OffsetRange } from './positions';
import { kubectlYamlOptions } from './kubectlYaml';

/** The scalar tags of the kubectl dialect, in the order the library tries them. */
interface ScalarTag {
  default?: boolean | 'key';
  test?: RegExp;
  format?: string;
  collection?: string;
  resolve?: (value: string, onError: (message: string) => void, options: unknown) => unknown;
}

const schemaDocument = new Document(undefined, kubectlYamlOptions);
const scalarTags = (schemaDocument.schema.tags as unknown as ScalarTag[]).filter((t) => !t.collection && t.test);

/**
 * Characters that never appear in a document this reader accepts: controls (tabs and carriage
 * returns included), the Unicode line separators, byte order marks and surrogates. A regular
 * expression scans a whole document natively, which matters before the code has warmed up.
 */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for.
const UNUSUAL_CHARACTERS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff\ud800-\udfff]/;

function hasUnusualCharacters(text: string): boolean {
  return UNUSUAL_CHARACTERS.test(text);
}

/** Plain scalars seen before, by text: the tag that resolves them (null for a plain string). */
const valueTags = new Map<string, ScalarTag | null>();
const keyTags = new Map<string, ScalarTag | null>();
const TAG_CACHE_LIMIT = 50_000;

/**
 * Whether a plain scalar is certainly a string in the YAML 1.1 schema: one that starts with a
 * letter no null, boolean or number starts with. Those start with a digit, a sign, a dot, `~`,
 * `<` or one of n N t T f F y Y o O, and `e5` is a float. Most keys and values start with
 * another letter and skip the tag tests.
 */
function certainlyString(source: string): boolean {
  const c = source.charCodeAt(0) | 0x20;
  return c >= 0x61 && c <= 0x7a && c !== 0x6e && c !== 0x74 && c !== 0x66 && c !== 0x79 && c !== 0x6f && c !== 0x65;
}

function tagFor(source: string, atKey: boolean): ScalarTag | null {
  if (certainlyString(source)) return null;
  const cache = atKey ? keyTags : valueTags;
  let tag = cache.get(source);
  if (tag === undefined) {
    tag = scalarTags.find((t) => (t.default === true || (atKey && t.default === 'key')) && t.test!.test(source)) ?? null;
    if (cache.size >= TAG_CACHE_LIMIT) cache.clear();
    cache.set(source, tag);
  }
  return tag;
}

/** Thrown (and caught at the top) when the document is outside the subset. */
const DECLINED = new Error('outside the block subset');

/** One line that holds content (not blank, not a comment). */
interface ContentLine {
  start: number;
  indent: number;
  /** The end of the line's text, before its line break. */
  end: number;
  /** The start of the following line (the text's length on the last line). */
  next: number;
  /** The deepest column of the comment lines just before this one; -1 when there are none. */
  commentCol: number;
}

const SPACE = 0x20;
const HASH = 0x23;
const COLON = 0x3a;
const DASH = 0x2d;
const DQUOTE = 0x22;
const SQUOTE = 0x27;

/** The characters of a key this reader accepts (those Kubernetes keys use), matched natively. */
const KEY_CHARACTERS = /[A-Za-z0-9_./-]*/y;

/** Where the run of key characters that starts at `at` ends. */
function keyEnd(text: string, at: number): number {
  KEY_CHARACTERS.lastIndex = at;
  KEY_CHARACTERS.test(text);
  return KEY_CHARACTERS.lastIndex;
}

const FLOW_INDICATORS = /[[\]{}]/;

/** A plain scalar may start with this (indicators, quotes and flow characters may not). */
function isPlainStart(text: string, at: number): boolean {
  const c = text.charCodeAt(at);
  if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39)) return true;
  if (c === 0x5f || c === 0x2e || c === 0x2f || c === 0x7e || c === 0x2b || c === 0x24 || c === 0x28 || c === 0x3d || c === 0x5e || c === 0x3b) return true;
  if (c === DASH) {
    const n = text.charCodeAt(at + 1);
    return (n >= 0x61 && n <= 0x7a) || (n >= 0x41 && n <= 0x5a) || (n >= 0x30 && n <= 0x39) || n === 0x2e;
  }
  // Above the no-break space, which YAML does not count as white space but readers disagree on.
  return c > 0xa0;
}

/** What the reader makes of the grammar: the library's nodes, or plain values. */
interface Builder<N> {
  map(): N;
  seq(): N;
  /**
   * Adds an entry whose value's text runs from `valueStart` to `valueEnd` (the node's range[0]
   * and range[1]); false refuses the document (a key the builder cannot represent exactly).
   */
  pair(map: N, key: string, keyStart: number, keyEnd: number, value: N, valueStart: number, valueEnd: number): boolean;
  item(seq: N, item: N): void;
  /** The collection is complete; `positions` says where its entries are written. */
  close(collection: N, start: number, end: number, positions: CollectionPositions): void;
  emptyFlow(kind: 'map' | 'seq', start: number, nodeEnd: number): N;
  quoted(value: string, type: 'QUOTE_DOUBLE' | 'QUOTE_SINGLE', start: number, end: number, nodeEnd: number): N;
  plain(source: string, tag: ScalarTag | null, resolved: unknown, start: number, end: number, nodeEnd: number): N;
}

/** Deeper nesting than this is left to the library (Kubernetes objects nest about 15 levels). */
const MAX_DEPTH = 64;

class Reader<N> {
  private readonly lines: ContentLine[] = [];
  private trailingCommentCol = -1;
  /** Where the value inline() read last ends (its range[1]). */
  private inlineEnd = 0;

  constructor(
    private readonly text: string,
    private readonly build: Builder<N>,
  ) {}

  /** The root mapping and where the document starts (its `---`, else its first key), or throws DECLINED. */
  read(): { contents: N; start: number; contentStart: number; contentEnd: number } {
    const text = this.text;
    let pos = 0;
    let docStart: number | undefined;
    let sawContent = false;
    /** The deepest column of the comment lines since the last content line, checked against the next one. */
    let commentCol = -1;
    while (pos < text.length) {
      let nl = text.indexOf('\n', pos);
      if (nl < 0) nl = text.length;
      let i = pos;
      while (i < nl && text.charCodeAt(i) === SPACE) i++;
      const c = text.charCodeAt(i);
      if (i === nl) {
        // A blank line.
      } else if (c === HASH) {
        if (sawContent) commentCol = Math.max(commentCol, i - pos);
      } else if (!sawContent && i === pos && text.startsWith('---', pos)) {
        let j = pos + 3;
        while (j < nl && text.charCodeAt(j) === SPACE) j++;
        if (j !== nl || docStart !== undefined) throw DECLINED;
        docStart = pos;
      } else {
        const indent = i - pos;
        // A comment indented deeper than the content after it belongs to the node before it.
        if (commentCol > indent) throw DECLINED;
        if (!sawContent && indent !== 0) throw DECLINED;
        if (i === pos && (c === 0x25 /* % */ || (c === 0x2e && text.startsWith('...', pos)) || text.startsWith('---', pos))) throw DECLINED;
        sawContent = true;
        this.lines.push({ start: pos, indent, end: nl, next: nl < text.length ? nl + 1 : nl, commentCol });
        commentCol = -1;
      }
      pos = nl + 1;
    }
    // Trailing comments count as the document's only when they start in the first column.
    if (commentCol > 0) throw DECLINED;
    this.trailingCommentCol = commentCol;
    const lines = this.lines;
    if (lines.length === 0) throw DECLINED;
    const { node, next } = this.mapping(0, 0, lines[0]!.start, 0);
    if (next !== lines.length) throw DECLINED;
    return { contents: node, start: docStart ?? lines[0]!.start, contentStart: lines[0]!.start, contentEnd: lines[lines.length - 1]!.next };
  }

  /** A block mapping whose keys sit at column `col`; its first key starts at `firstKey` on line `i`. */
  private mapping(i: number, col: number, firstKey: number, depth: number): { node: N; next: number } {
    if (depth > MAX_DEPTH) throw DECLINED;
    const text = this.text;
    const lines = this.lines;
    const build = this.build;
    const map = build.map();
    const entries = new Map<string, EntryPositions>();
    let first: EntryPositions | undefined;
    let at = firstKey;
    for (;;) {
      const line = lines[i]!;
      // The key: plain, of the characters Kubernetes keys use, ending at a colon.
      if (text.charCodeAt(at) === DASH) throw DECLINED;
      const k = Math.min(keyEnd(text, at), line.end);
      if (k === at || k - at > 1000 || text.charCodeAt(k) !== COLON) throw DECLINED;
      const afterColon = k + 1;
      if (afterColon < line.end && text.charCodeAt(afterColon) !== SPACE) throw DECLINED;
      const key = text.slice(at, k);
      const keyTag = tagFor(key, true);
      if (keyTag !== null && typeof resolveWith(keyTag, key) !== 'string') throw DECLINED;
      let v = afterColon;
      while (v < line.end && text.charCodeAt(v) === SPACE) v++;
      let value: N;
      let next: number;
      let valueStart: number;
      let valueEnd: number;
      if (v === line.end || text.charCodeAt(v) === HASH) {
        // `key:` with its value on the lines below.
        const below = lines[i + 1];
        if (!below) throw DECLINED;
        valueStart = below.start + below.indent;
        if (below.indent > col) {
          ({ node: value, next } = this.block(i + 1, depth + 1));
        } else if (below.indent === col && this.isDashLine(below)) {
          ({ node: value, next } = this.sequence(i + 1, col, depth + 1));
        } else {
          throw DECLINED;
        }
        valueEnd = lines[next - 1]!.next;
      } else {
        value = this.inline(v, line);
        valueStart = v;
        valueEnd = this.inlineEnd;
        next = i + 1;
        const after = lines[next];
        if (after && after.indent > col) throw DECLINED;
      }
      // A repeated key is left to the library, which keeps both pairs for the duplicate-key warning.
      if (entries.has(key) || !build.pair(map, key, at, k, value, valueStart, valueEnd)) throw DECLINED;
      const entry = { keyStart: at, keyEnd: k, valueStart, valueEnd };
      entries.set(key, entry);
      first ??= entry;
      const end = lines[next - 1]!.next;
      const following = lines[next];
      if (!following || following.indent < col) {
        if (col > 0) this.closes(following, col);
        build.close(map, firstKey, end, { kind: 'map', entries, first });
        return { node: map, next };
      }
      if (following.indent > col || this.isDashLine(following)) throw DECLINED;
      i = next;
      at = following.start + col;
    }
  }

  /** A block sequence whose dashes sit at column `col`, from line `i`. */
  private sequence(i: number, col: number, depth: number): { node: N; next: number } {
    if (depth > MAX_DEPTH) throw DECLINED;
    const text = this.text;
    const lines = this.lines;
    const seq = this.build.seq();
    const items: { start: number; end: number }[] = [];
    const start = lines[i]!.start + col;
    for (;;) {
      const line = lines[i]!;
      const dash = line.start + col;
      let r = dash + 1;
      while (r < line.end && text.charCodeAt(r) === SPACE) r++;
      if (r === dash + 1 || r === line.end || text.charCodeAt(r) === HASH || text.charCodeAt(r) === DASH) throw DECLINED;
      let item: N;
      let next: number;
      let itemEnd: number;
      if (this.startsMapEntry(r, line.end)) {
        ({ node: item, next } = this.mapping(i, r - line.start, r, depth + 1));
        itemEnd = lines[next - 1]!.next;
      } else {
        item = this.inline(r, line);
        itemEnd = this.inlineEnd;
        next = i + 1;
        const after = lines[next];
        if (after && after.indent > col) throw DECLINED;
      }
      this.build.item(seq, item);
      items.push({ start: r, end: itemEnd });
      const end = lines[next - 1]!.next;
      const following = lines[next];
      if (!following || following.indent < col || (following.indent === col && !this.isDashLine(following))) {
        this.closes(following, col);
        this.build.close(seq, start, end, { kind: 'seq', items });
        return { node: seq, next };
      }
      if (following.indent > col) throw DECLINED;
      i = next;
    }
  }

  /**
   * A collection at column `col` ends before `following` (or at the text's end). The library
   * counts comments at the collection's column or deeper as the collection's own, which moves
   * its range's end; only shallower comments leave it where this reader puts it.
   */
  private closes(following: ContentLine | undefined, col: number): void {
    if ((following ? following.commentCol : this.trailingCommentCol) >= col) throw DECLINED;
  }

  /** The block collection that starts on line `i`, at that line's indentation. */
  private block(i: number, depth: number): { node: N; next: number } {
    const line = this.lines[i]!;
    if (this.isDashLine(line)) return this.sequence(i, line.indent, depth);
    return this.mapping(i, line.indent, line.start + line.indent, depth);
  }

  private isDashLine(line: ContentLine): boolean {
    const at = line.start + line.indent;
    if (this.text.charCodeAt(at) !== DASH) return false;
    return at + 1 === line.end || this.text.charCodeAt(at + 1) === SPACE;
  }

  /** Whether the text at `at` reads as `key:` followed by a space or the line's end. */
  private startsMapEntry(at: number, end: number): boolean {
    const text = this.text;
    const k = Math.min(keyEnd(text, at), end);
    return k > at && text.charCodeAt(k) === COLON && (k + 1 === end || text.charCodeAt(k + 1) === SPACE);
  }

  /** A value written on the rest of its line, from `at`. */
  private inline(at: number, line: ContentLine): N {
    const text = this.text;
    const c = text.charCodeAt(at);
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (text.charCodeAt(at + 1) !== (c === 0x7b ? 0x7d : 0x5d)) throw DECLINED;
      this.restIsComment(at + 2, line.end);
      this.inlineEnd = at + 2;
      return this.build.emptyFlow(c === 0x7b ? 'map' : 'seq', at, line.next);
    }
    if (c === DQUOTE) {
      const close = text.indexOf('"', at + 1);
      if (close < 0 || close >= line.end) throw DECLINED;
      const value = text.slice(at + 1, close);
      if (value.includes('\\')) throw DECLINED;
      this.restIsComment(close + 1, line.end);
      this.inlineEnd = close + 1;
      return this.build.quoted(value, 'QUOTE_DOUBLE', at, close + 1, line.next);
    }
    if (c === SQUOTE) {
      let k = at + 1;
      let value = '';
      for (;;) {
        const q = text.indexOf("'", k);
        if (q < 0 || q >= line.end) throw DECLINED;
        value += text.slice(k, q);
        if (text.charCodeAt(q + 1) === SQUOTE) {
          value += "'";
          k = q + 2;
          continue;
        }
        this.restIsComment(q + 1, line.end);
        this.inlineEnd = q + 1;
        return this.build.quoted(value, 'QUOTE_SINGLE', at, q + 1, line.next);
      }
    }
    if (!isPlainStart(text, at)) throw DECLINED;
    // The scalar ends where a comment starts; a `: ` or a trailing `:` in it would make it a key,
    // and flow indicators are left to the library. Native searches keep this cheap when cold.
    const rest = text.slice(at, line.end);
    const comment = rest.indexOf(' #');
    const written = comment >= 0 ? rest.slice(0, comment) : rest;
    if (written.includes(':') && (written.includes(': ') || written.trimEnd().endsWith(':'))) throw DECLINED;
    if (FLOW_INDICATORS.test(written)) throw DECLINED;
    let end = at + written.length;
    while (end > at && text.charCodeAt(end - 1) === SPACE) end--;
    const source = text.slice(at, end);
    this.inlineEnd = end;
    const tag = tagFor(source, false);
    return this.build.plain(source, tag, tag === null ? source : resolveWith(tag, source), at, end, line.next);
  }

  /** After a quoted scalar or `{}`: only spaces, then the line's end or a comment. */
  private restIsComment(from: number, end: number): void {
    let k = from;
    while (k < end && this.text.charCodeAt(k) === SPACE) k++;
    if (k === end) return;
    if (this.text.charCodeAt(k) !== HASH || k === from) throw DECLINED;
  }
}

/** The tag's reading of a plain scalar, as the composer calls it; a complaint refuses the document. */
function resolveWith(tag: ScalarTag, source: string): unknown {
  let failed = false;
  const resolved = tag.resolve!(source, () => (failed = true), schemaDocument.options);
  if (failed) throw DECLINED;
  return resolved;
}

/** Builds the nodes the library's composer builds. */
const nodeBuilder: Builder<Node> = {
  map: () => new YAMLMap(schemaDocument.schema),
  seq: () => new YAMLSeq(schemaDocument.schema),
  pair(map, key, keyStart, keyEnd, value) {
    (map as YAMLMap).items.push(new Pair(nodeBuilder.plain(key, tagFor(key, true), key, keyStart, keyEnd, keyEnd), value));
    return true;
  },
  item: (seq, item) => void (seq as YAMLSeq).items.push(item),
  close(collection, start, end) {
    collection.range = [start, end, end];
  },
  emptyFlow(kind, start, nodeEnd) {
    const node = kind === 'map' ? new YAMLMap(schemaDocument.schema) : new YAMLSeq(schemaDocument.schema);
    node.flow = true;
    node.range = [start, start + 2, nodeEnd];
    return node;
  },
  quoted(value, type, start, end, nodeEnd) {
    const scalar = new Scalar(value);
    scalar.range = [start, end, nodeEnd];
    scalar.source = value;
    scalar.type = type;
    return scalar;
  },
  plain(source, tag, resolved, start, end, nodeEnd) {
    const scalar = resolved instanceof Scalar ? resolved : new Scalar(resolved);
    if (tag?.format) scalar.format = tag.format;
    scalar.range = [start, end, nodeEnd];
    scalar.source = source;
    scalar.type = 'PLAIN';
    return scalar;
  },
};

/** Where an entry of a mapping is written: its key, and its value's range[0] and range[1]. */
export interface EntryPositions {
  keyStart: number;
  keyEnd: number;
  valueStart: number;
  valueEnd: number;
}

/** The text positions of one mapping or sequence of a value the value reader built. */
export type CollectionPositions =
  | { kind: 'map'; entries: Map<string, EntryPositions>; first: EntryPositions | undefined }
  | { kind: 'seq'; items: { start: number; end: number }[] };

/**
 * Builds only the value toJS() would return (plain objects, arrays and scalars) and, for each
 * of its objects and arrays, where their entries are written, which is what locating a field
 * needs.
 */
class ValueBuilder implements Builder<unknown> {
  /** A plain map: it lives exactly as long as the document, and is much cheaper to fill than a WeakMap. */
  readonly positions = new Map<object, CollectionPositions>();

  map(): unknown {
    return {};
  }

  seq(): unknown {
    return [];
  }

  pair(map: unknown, key: string, _keyStart: number, _keyEnd: number, value: unknown): boolean {
    // `__proto__` needs the library's care to stay an ordinary key.
    if (key === '__proto__') return false;
    (map as Record<string, unknown>)[key] = value;
    return true;
  }

  item(seq: unknown, item: unknown): void {
    (seq as unknown[]).push(item);
  }

  close(collection: unknown, _start: number, _end: number, positions: CollectionPositions): void {
    this.positions.set(collection as object, positions);
  }

  emptyFlow(kind: 'map' | 'seq'): unknown {
    return kind === 'map' ? {} : [];
  }

  quoted(value: string): unknown {
    return value;
  }

  plain(_source: string, _tag: ScalarTag | null, resolved: unknown): unknown {
    return resolved instanceof Scalar ? resolved.value : resolved;
  }
}

/**
 * The document in `text` (one piece of a file, see splitDocuments.ts) as the YAML library
 * would compose it with kubectl's options, or undefined when the text is outside the subset
 * this reader is sure about.
 */
export function readBlockYaml(text: string): Document.Parsed | undefined {
  if (hasUnusualCharacters(text)) return undefined;
  try {
    const { contents, start } = new Reader(text, nodeBuilder).read();
    const doc = new Document(undefined, kubectlYamlOptions) as Document.Parsed;
    doc.contents = contents as YAMLMap.Parsed;
    doc.range = [start, contents.range![1], text.length];
    return doc;
  } catch {
    // DECLINED, or anything this reader did not foresee: either way the library reads it.
    return undefined;
  }
}

export interface BlockYamlValue {
  /** What `readBlockYaml(text).toJS()` returns. */
  value: Record<string, unknown>;
  /** The root mapping's range (the contents' range[0] and range[1]). */
  contents: OffsetRange;
  /** Where the entries of the value's objects and arrays are written. */
  positions: ReadonlyMap<object, CollectionPositions>;
}

/**
 * The value of the document in `text`, without building nodes, when `readBlockYaml` would
 * read it and it has no `__proto__` key; undefined otherwise.
 */
export function readBlockYamlValue(text: string): BlockYamlValue | undefined {
  if (hasUnusualCharacters(text)) return undefined;
  try {
    const builder = new ValueBuilder();
    const { contents, contentStart, contentEnd } = new Reader(text, builder).read();
    return { value: contents as Record<string, unknown>, contents: { start: contentStart, end: contentEnd }, positions: builder.positions };
  } catch {
    // DECLINED, or anything this reader did not foresee: either way the library reads it.
    return undefined;
  }
}
