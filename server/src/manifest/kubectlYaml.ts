// The YAML dialect kubectl reads. kubectl converts each document to JSON with
// sigs.k8s.io/yaml, which resolves plain scalars with go-yaml v2, a YAML 1.1 resolver:
// `yes`, `no`, `on`, `off`, `y` and `n` are booleans (so `enabled: yes` as a label value is a
// type error on the apiserver), `0755` is octal and `1_000` is an integer. Timestamps are the
// exception: go-yaml v2 keeps them as strings when decoding into interface{}, and it has no
// sexagesimal numbers, so those YAML 1.1 tags are left out. Duplicate keys are not an error
// there: the last value silently wins.

import type { DocumentOptions, ParseOptions, SchemaOptions, Tags } from 'yaml';
import { isScalar, type Node, type Pair } from 'yaml';

function withoutTimeTags(tags: Tags): Tags {
  return tags.filter((t) => {
    if (typeof t === 'string') return true;
    return t.tag !== 'tag:yaml.org,2002:timestamp' && t.format !== 'TIME';
  });
}

export const kubectlYamlOptions: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  schema: 'yaml-1.1',
  customTags: withoutTimeTags,
  merge: true,
  // Duplicates are found while walking the tree and reported as kubectl treats them.
  uniqueKeys: false,
  prettyErrors: false,
  keepSourceTokens: false,
};

/**
 * The YAML library's own alias limit, lifted: it counts differently from kubectl (it refuses
 * 101 aliases of one scalar, which kubectl reads), and aliasExpansion.ts refuses what kubectl
 * refuses before the library expands anything.
 */
export const maxAliasCount = -1;

/**
 * The text with each lone carriage return made a line feed, one character for one so every
 * offset stays. YAML ends a line at "\r" alone as at "\n" or "\r\n", and so do libyaml (which
 * kubectl reads with) and LSP; the YAML library reads a lone "\r" as part of the line.
 */
export function withLoneCarriageReturnsAsLineFeeds(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}

/**
 * The text with a byte order mark that opens the line after the document's `---` line moved
 * to the end of that line as a space, one character for another so every offset stays (only
 * the line break before it moves by one). kubectl cuts a stream at its `---` lines and hands
 * each document to go-yaml on its own, and go-yaml skips a byte order mark at the start of its
 * input: one left there by concatenating files is read like the one at the start of a file.
 * The YAML library skips one only at the start of the text, and would read it into the first
 * key. A mark anywhere else is left as it is, for kubectl does not skip it either.
 */
export function withDocumentByteOrderMarkSkipped(text: string): string {
  if (!text.includes('\ufeff')) return text;
  // Comments, blank lines and directives may come before the `---` line (and a byte order
  // mark before all of them, which the library skips itself); content may not.
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (pos < text.length) {
    let end = pos;
    while (end < text.length && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++;
    const next = end + (text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10 ? 2 : end < text.length ? 1 : 0);
    const line = text.slice(pos, end);
    if (/^---(?:[ \t]|$)/.test(line)) {
      if (text.charCodeAt(next) !== 0xfeff) return text;
      return `${text.slice(0, end)} ${text.slice(end, next)}${text.slice(next + 1)}`;
    }
    if (!/^(?:[ \t]*(?:#.*)?|%.*)$/.test(line)) return text;
    pos = next;
  }
  return text;
}

/** A `<<` merge key: the YAML 1.1 schema resolves it to a symbol, unlike a quoted "<<". */
export function isMergeKey(pair: Pair): boolean {
  const key = pair.key;
  return isScalar(key) && typeof key.value === 'symbol' && key.value.description === '<<';
}

/**
 * A mapping key as a JSON object key after kubectl's conversion: strings as they are,
 * booleans and numbers printed, null as "null". Undefined for a collection used as a key,
 * which kubectl rejects.
 */
export function jsonKey(key: unknown): string | undefined {
  const v = isScalar(key as Node) ? (key as { value: unknown }).value : key;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v === null || v === undefined) return 'null';
  return undefined;
}
