// Generators of the text an editor can hand the language server: the lesson's manifests
// corrupted edit by edit, alias bombs and nested anchors, deep nesting, binary content and
// invalid UTF-8 as the editor delivers it (U+FFFD where bytes did not decode, lone surrogates),
// tabs, duplicate keys, BOMs, and every kind of line ending. The generators of crafted input
// also say what a correct reading must conclude (how far an alias bomb expands, whether an
// anchor contains itself, how deep the nesting goes), so properties check more than "no throw".

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';

const EXAMPLES = join(import.meta.dirname, '../../../../examples');

/** The manifests the project ships as examples: real, valid files to corrupt. */
export const exampleManifests: readonly string[] = readdirSync(EXAMPLES)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => readFileSync(join(EXAMPLES, f), 'utf8'));

/** One UTF-16 code unit of a surrogate pair without its partner, as a broken editor buffer holds it. */
export const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

/** Bytes as the editor shows a file that is not valid UTF-8: every bad sequence becomes U+FFFD. */
export const decodedBytes = fc
  .record({ bytes: fc.uint8Array({ maxLength: 3000 }), encoding: fc.constantFrom<'utf8' | 'latin1'>('utf8', 'latin1') })
  .map(({ bytes, encoding }) => Buffer.from(bytes).toString(encoding));

/** Short pieces that mean something to YAML or to the editor, for insertion anywhere. */
const snippet = fc.oneof(
  fc.constantFrom(
    '\t',
    '\uFEFF',
    '\uFFFD',
    '\u0000',
    '\r',
    '\r\n',
    '\n',
    ': ',
    '- ',
    '? ',
    '&a ',
    '*a',
    '<<: *a\n',
    '{',
    '}',
    '[',
    ']',
    ',',
    '"',
    "'",
    '|\n',
    '>-\n',
    '# ',
    '---\n',
    '...\n',
    '%YAML 1.1\n',
    '!!binary ',
    '!custom ',
    '  ',
    '\u2028',
    '\u0085',
  ),
  loneSurrogate,
  fc.string({ maxLength: 12, unit: 'binary' }),
);

export type Mutation =
  | { op: 'insert'; at: number; text: string }
  | { op: 'delete'; at: number; length: number }
  | { op: 'duplicateLine'; at: number }
  | { op: 'indentWithTabs' }
  | { op: 'lineEndings'; style: '\r\n' | '\r' | 'mixed' }
  | { op: 'bom' };

const at = fc.double({ min: 0, max: 1, noNaN: true });

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('insert' as const), at, text: snippet }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), at, length: fc.integer({ min: 1, max: 20 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('duplicateLine' as const), at }) },
  { weight: 1, arbitrary: fc.constant({ op: 'indentWithTabs' as const }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('lineEndings' as const), style: fc.constantFrom<'\r\n' | '\r' | 'mixed'>('\r\n', '\r', 'mixed') }) },
  { weight: 1, arbitrary: fc.constant({ op: 'bom' as const }) },
);

function offsetOf(text: string, fraction: number): number {
  return Math.min(text.length, Math.floor(fraction * (text.length + 1)));
}

export function applyMutation(text: string, m: Mutation): string {
  switch (m.op) {
    case 'insert': {
      const i = offsetOf(text, m.at);
      return text.slice(0, i) + m.text + text.slice(i);
    }
    case 'delete': {
      const i = offsetOf(text, m.at);
      return text.slice(0, i) + text.slice(i + m.length);
    }
    case 'duplicateLine': {
      const lines = text.split('\n');
      const i = Math.min(lines.length - 1, Math.floor(m.at * lines.length));
      lines.splice(i, 0, lines[i]!);
      return lines.join('\n');
    }
    case 'indentWithTabs':
      return text.replace(/^( {2})+/gm, (spaces) => '\t'.repeat(spaces.length / 2));
    case 'lineEndings':
      if (m.style === 'mixed') return text.split('\n').map((line, i) => line + ['\n', '\r\n', '\r'][i % 3]).join('').slice(0, -1);
      return text.replace(/\n/g, m.style);
    case 'bom':
      return '\uFEFF' + text;
  }
}

/** An example manifest (or several in one file) after a few random edits. */
export const corruptedManifest = fc
  .record({
    base: fc.array(fc.constantFrom(...exampleManifests), { minLength: 1, maxLength: 3 }).map((docs) => docs.join('---\n')),
    mutations: fc.array(mutation, { minLength: 1, maxLength: 8 }),
  })
  .map(({ base, mutations }) => mutations.reduce(applyMutation, base));

export interface AliasBomb {
  text: string;
  /** How many nodes the last anchor expands to: fanout^levels. */
  expansion: number;
}

/**
 * "Billion laughs": each level's anchor holds `fanout` aliases of the level below. In a flow
 * or block sequence, in mappings joined with merge keys (which kubectl expands just as well),
 * at the top of the file or inside a Service's spec.
 */
export const aliasBomb: fc.Arbitrary<AliasBomb> = fc
  .record({
    levels: fc.integer({ min: 1, max: 14 }),
    fanout: fc.integer({ min: 2, max: 12 }),
    style: fc.constantFrom('flow', 'block', 'merge'),
    inService: fc.boolean(),
  })
  .map(({ levels, fanout, style, inService }) => {
    const indent = inService ? '  ' : '';
    const lines: string[] = inService ? ['apiVersion: v1', 'kind: Service', 'metadata:', '  name: laughs', 'spec:'] : [];
    for (let level = 0; level <= levels; level++) {
      const item = level === 0 ? 'lol' : `*l${level - 1}`;
      if (style === 'flow') lines.push(`${indent}l${level}: &l${level} [${Array(fanout).fill(item).join(', ')}]`);
      else if (style === 'block') lines.push(`${indent}l${level}: &l${level}`, ...Array<string>(fanout).fill(`${indent}  - ${item}`));
      else if (level === 0) lines.push(`${indent}l0: &l0 {${Array.from({ length: fanout }, (_, i) => `k${i}: lol`).join(', ')}}`);
      else lines.push(`${indent}l${level}: &l${level} {<<: [${Array(fanout).fill(item).join(', ')}], k${level}: lol}`);
    }
    return { text: lines.join('\n') + '\n', expansion: fanout ** levels };
  });

export interface NestedAnchors {
  text: string;
  /** True when some alias stands inside the node its anchor names (an expansion without end). */
  selfContaining: boolean;
  /** How many aliases the text holds. */
  aliases: number;
}

/**
 * Anchors nested in anchors, `depth` levels deep: each level anchors its mapping and may
 * follow it with an alias of that same (closed) mapping, which doubles what it expands to, or
 * hold an alias of an enclosing level's anchor, which contains itself.
 */
export const nestedAnchors: fc.Arbitrary<NestedAnchors> = fc
  .array(fc.constantFrom('none', 'none', 'sibling', 'outer'), { minLength: 1, maxLength: 240 })
  .map((refs) => {
    let inner = 'leaf';
    for (let level = refs.length - 1; level >= 0; level--) {
      const ref = refs[level]!;
      const extra = ref === 'sibling' ? `, s: *n${level}` : ref === 'outer' && level > 0 ? `, o: *n${level - 1}` : '';
      inner = `{a: &n${level} {v: ${inner}}${extra}}`;
    }
    const selfContaining = refs.some((r, level) => r === 'outer' && level > 0);
    const aliases = refs.filter((r, level) => r === 'sibling' || (r === 'outer' && level > 0)).length;
    return { text: `nested: ${inner}\n`, selfContaining, aliases };
  });

export interface DeepNesting {
  text: string;
  depth: number;
}

/** Collections nested `depth` deep, up to 10,000 levels: `[`, `{a: `, `- ` on one line, or indented keys and dashes (up to 1,000). */
export const deepNesting: fc.Arbitrary<DeepNesting> = fc
  .record({
    shape: fc.constantFrom('flow-seq', 'flow-map', 'dashes', 'indented', 'indented-dashes'),
    depth: fc.oneof(fc.integer({ min: 1, max: 600 }), fc.integer({ min: 600, max: 10_000 })),
    closed: fc.boolean(),
  })
  .map(({ shape, depth, closed }) => {
    switch (shape) {
      case 'flow-seq':
        return { text: 'a: ' + '['.repeat(depth) + (closed ? ']'.repeat(depth) : '') + '\n', depth };
      case 'flow-map':
        return { text: 'a: ' + '{a: '.repeat(depth) + '1' + (closed ? '}'.repeat(depth) : '') + '\n', depth };
      case 'dashes':
        return { text: '- '.repeat(depth) + 'x\n', depth };
      case 'indented': {
        // Indented lines grow quadratically in size: 1,000 levels is already half a megabyte.
        const levels = Math.min(depth, 1000);
        return { text: Array.from({ length: levels }, (_, i) => ' '.repeat(i) + 'k:').join('\n') + ' x\n', depth: levels };
      }
      case 'indented-dashes': {
        const levels = Math.min(depth, 1000);
        return { text: Array.from({ length: levels }, (_, i) => ' '.repeat(i) + '-').join('\n') + ' x\n', depth: levels };
      }
    }
  });
