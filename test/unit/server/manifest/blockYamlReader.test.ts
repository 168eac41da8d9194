// The fast block-YAML reader against the YAML library it stands in for: whatever it accepts
// must come out exactly as the library composes it (node kinds, scalar values, types, sources,
// formats, every range, the document's range and the JS value), and what it is not sure about
// it must decline, leaving the document to the library.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { isMap, isPair, isScalar, isSeq, parseAllDocuments, type Document } from 'yaml';
import { readBlockYaml, readBlockYamlValue } from '../../../../server/src/manifest/blockYamlReader';
import { kubectlYamlOptions } from '../../../../server/src/manifest/kubectlYaml';
import { ManifestDocument } from '../../../../server/src/manifest/manifestDocument';
import type { FieldPathSegment } from '../../../../server/src/features/finding';
import { splitDocuments } from '../../../../server/src/manifest/splitDocuments';

/** Everything the language server could read from a node, as plain data. */
function shape(node: unknown): unknown {
  if (isMap(node) || isSeq(node)) {
    return {
      kind: isMap(node) ? 'map' : 'seq',
      flow: node.flow ?? false,
      range: node.range,
      items: node.items.map((item) => (isPair(item) ? { key: shape(item.key), value: shape(item.value) } : shape(item))),
    };
  }
  if (isScalar(node)) {
    const v = node.value;
    const value = typeof v === 'number' && Number.isNaN(v) ? 'NaN' : typeof v === 'symbol' || typeof v === 'bigint' ? String(v) : v;
    return { kind: 'scalar', value, valueType: typeof v, type: node.type, source: node.source, format: node.format, range: node.range, minFractionDigits: node.minFractionDigits };
  }
  return { kind: String(node) };
}

function libraryDocument(text: string): Document.Parsed {
  const docs = parseAllDocuments(text, kubectlYamlOptions);
  assert.ok(Array.isArray(docs) && docs.length === 1, `the library reads one document from ${JSON.stringify(text)}`);
  return docs[0]!;
}

/** Every path into `value`, plus paths that miss at each level. */
function pathsOf(value: unknown, prefix: FieldPathSegment[] = []): FieldPathSegment[][] {
  const out: FieldPathSegment[][] = [prefix, [...prefix, 'missing'], [...prefix, 7]];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...pathsOf(v, [...prefix, i])));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...prefix, k]));
  return out;
}

/** Asserts a ManifestDocument read by the fast reader answers exactly as one the library read. */
function documentsAgree(text: string): void {
  const fast = new ManifestDocument(text);
  const slow = new ManifestDocument(text, { fastReader: false });
  const what = JSON.stringify(text);
  assert.deepEqual(fast.value, slow.value, `value of ${what}`);
  assert.deepEqual(fast.json, slow.json, `json of ${what}`);
  assert.deepEqual([fast.range, fast.problems, fast.apiVersion, fast.kind, fast.name, fast.namespace], [slow.range, slow.problems, slow.apiVersion, slow.kind, slow.name, slow.namespace], `fields of ${what}`);
  assert.deepEqual(fast.anchorRange(), slow.anchorRange(), `anchor of ${what}`);
  for (const path of pathsOf(slow.value)) {
    for (const on of ['key', 'value'] as const) assert.deepEqual(fast.locate(path, on), slow.locate(path, on), `locate ${JSON.stringify(path)} on ${on} in ${what}`);
    assert.deepEqual(fast.mapEntries(path), slow.mapEntries(path), `entries at ${JSON.stringify(path)} in ${what}`);
  }
  for (let offset = 0; offset <= text.length; offset++) assert.deepEqual(fast.nodeAt(offset), slow.nodeAt(offset), `node at ${offset} in ${what}`);
}

/** Whether a mapping of the document has a `__proto__` key, which the value reader leaves to the library. */
function hasProtoKey(node: unknown): boolean {
  if (isSeq(node)) return node.items.some(hasProtoKey);
  if (!isMap(node)) return false;
  return node.items.some((p) => (p.key as { value: unknown }).value === '__proto__' || hasProtoKey(p.value));
}

/**
 * Asserts the readers either decline `text` or read it exactly as the library (the node
 * reader) and as its toJS() (the value reader); returns whether the node reader read it.
 */
function agrees(text: string): boolean {
  const fast = readBlockYaml(text);
  const quick = readBlockYamlValue(text);
  if (!fast) {
    assert.equal(quick, undefined, `the value reader accepted what the node reader declines: ${JSON.stringify(text)}`);
    return false;
  }
  const lib = libraryDocument(text);
  assert.deepEqual(lib.errors.map((e) => e.message), [], `the reader accepted a document the library rejects: ${JSON.stringify(text)}`);
  assert.deepEqual(lib.warnings.map((e) => e.message), [], `the reader accepted a document the library warns about: ${JSON.stringify(text)}`);
  assert.deepEqual(shape(fast.contents), shape(lib.contents), `nodes differ for ${JSON.stringify(text)}`);
  assert.deepEqual(fast.range, lib.range, `document ranges differ for ${JSON.stringify(text)}`);
  documentsAgree(text);
  const value: unknown = lib.toJS({ maxAliasCount: -1 });
  assert.deepEqual(fast.toJS({ maxAliasCount: -1 }), value, `values differ for ${JSON.stringify(text)}`);
  if (quick) {
    assert.deepEqual(quick.value, value, `the value reader's value differs for ${JSON.stringify(text)}`);
    assert.equal(JSON.stringify(quick.value), JSON.stringify(value), `the value reader's key order differs for ${JSON.stringify(text)}`);
    assert.deepEqual([quick.contents.start, quick.contents.end], lib.contents!.range.slice(0, 2), `the value reader's range differs for ${JSON.stringify(text)}`);
  } else {
    assert.ok(hasProtoKey(lib.contents), `the value reader declined a document without a __proto__ key: ${JSON.stringify(text)}`);
  }
  return true;
}

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
  labels:
    app.kubernetes.io/name: web
spec:
  selector:
    app: web
  ports:
  - name: http
    port: 80
    targetPort: http
`;

describe('readBlockYaml', () => {
  it('reads a Service written in the usual style exactly as the YAML library does', () => {
    assert.equal(agrees(SERVICE), true);
  });

  it('reads the repository example manifests document by document', () => {
    const dir = join(import.meta.dirname, '../../../../examples');
    let read = 0;
    let documents = 0;
    for (const name of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
      for (const chunk of splitDocuments(readFileSync(join(dir, name), 'utf8'))) {
        documents++;
        if (agrees(chunk.text)) read++;
      }
    }
    assert.ok(documents > 0 && read >= documents - 1, `read ${read} of ${documents} example documents`);
  });

  it('agrees on comments, blank lines, quoting, a leading --- and indented sequences', () => {
    const accepted = [
      '# lead\n---\nkind: "Svc"   \nspec:\n  ports:\n  - name: a  # c\n    port: 80\n\n  - port: 90\n  sel: \'it\'\'s\'\nend: z',
      'a: 1\n# c\nb:\n  # d\n  c: 2\n  # e\n\n  f:\n    - x\n    # g\n    - y\n# h\n# tail\n',
      'spec: # the spec\n  ports:\n    - port: 80\n      protocol: TCP\n',
      'a:\n# c\n  b: 1\n',
      'a: {}\nb: []  # none\nc: ""\nd: \'\'\n',
      'octal: 0755\nm: 1_000\nf: 1.50\ne: 1e3\nh: 0x1F\nb: 0b101\nt: yes\nflag: off\nx: ~\nnan: .nan\ninf: -.inf\nneg: -1\ndate: 2001-12-14\ntime: 12:30\n',
      'a: b#c\nd: e # f\ng: h,i\nj: k"l\nm: café\n',
    ];
    for (const text of accepted) assert.equal(agrees(text), true, `expected the reader to accept ${JSON.stringify(text)}`);
  });

  it('resolves plain scalars as the YAML 1.1 schema does, whatever letter they start with', () => {
    const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
    const suffixes = ['', '5', '1_0', '.5', '+5', 'ull', 'ULL', 'es', 'ES', 'rue', 'RUE', 'alse', 'ALSE', 'n', 'N', 'ff', 'FF', 'o', 'O', 'x1', 'b1', 'eb'];
    const text = [...letters].flatMap((l) => suffixes.map((s, i) => `k${l}${i}: ${l}${s}`)).join('\n') + '\n';
    assert.equal(agrees(text), true);
  });

  it('declines what it is not sure about, which the library then reads', () => {
    const declined = [
      'a: &x 1\nb: *x\n',
      'a: !!str 1\n',
      '%YAML 1.1\n---\na: 1\n',
      'a: |\n  text\n',
      'a: >\n  text\n',
      'a: [1, 2]\n',
      'a: {b: 1}\n',
      'a: multi\n  line\n',
      '"a": 1\n',
      'y: 1\n',
      '<<: {a: 1}\n',
      'a:\n',
      'a:\nb: 1\n',
      'a: "x\\ty"\n',
      'a:\tb\n',
      'a: 1\r\nb: 2\r\n',
      'a:\n  b: 1\n    # deeper\n  c: 2\n',
      'a:\n  b: 1\n  # trailing, indented\n',
      '- a\n- b\n',
      '  a: 1\n',
      'a: b: c\n',
      'a:\n  - 1\n  b: 2\n',
      'a: 1\nb: 2\na: 3\n',
      '--- # c\na: 1\n',
      '',
      '# only a comment\n',
    ];
    for (const text of declined) assert.equal(readBlockYaml(text), undefined, `expected the reader to decline ${JSON.stringify(text)}`);
  });

  it('agrees with the library on generated documents, comments and odd scalars included', () => {
    const usual = ['web', 'web-1', '80', '8080', 'TCP', 'nginx:1.27', 'true', '"quoted"', "'single'", '/path/x', 'a b', 'x #c'];
    const odd = [
      '-1', '0755', '08', '1_000', '0x1F', '0b11', '1.0', '.5', '1e3', '1.5e-3', '.inf', '.NaN', 'True', 'yes', 'No', 'on', 'OFF', 'y', 'n', '~', 'null',
      'Null', '2001-12-14', '12:30', '1:2:3', 'a#b', 'a #b', 'x: y', 'x:', 'a,b', 'a[0]', '{x}', "'it''s'", '"a # b"', '"a\\"b"', 'é', ' ', '-', '- x',
      '?x', ':x', '!x', '&a', '*a', '|', '>', '%x', '@x', '`x`', '<<', '=', '$HOME', '{}', '[]', '""',
    ];
    const scalar = fc.oneof({ arbitrary: fc.constantFrom(...usual), weight: 6 }, { arbitrary: fc.constantFrom(...odd), weight: 1 });
    const key = fc.oneof(
      { arbitrary: fc.constantFrom('a', 'name', 'app.kubernetes.io/name', 'x-y', '_x', 'a.b', 'port'), weight: 8 },
      { arbitrary: fc.constantFrom('y', 'on', '1', 'null', '<<', '"q"', 'a b', '-a'), weight: 1 },
    );
    type Tree = string | { map: [string, Tree][] } | { seq: Tree[] };
    const tree: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
      tree: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        scalar,
        fc.record({ map: fc.uniqueArray(fc.tuple(key, tie('tree')), { selector: ([k]) => k, minLength: 1, maxLength: 4 }) }),
        fc.record({ seq: fc.array(tie('tree'), { minLength: 1, maxLength: 3 }) }),
      ),
    })).tree;
    const style = fc.record({
      indent: fc.constantFrom(2, 4),
      sameColumnSequences: fc.boolean(),
      compactItems: fc.constantFrom(true, true, true, false),
      header: fc.constantFrom('', '---\n', '# lead\n---\n', '\n# lead\n'),
      commentAt: fc.array(fc.tuple(fc.nat(40), fc.constantFrom(0, 0, 2, 4, 5), fc.constantFrom('# note', '#', '', '   ')), { maxLength: 3 }),
      trailingSpaces: fc.boolean(),
      finalNewline: fc.boolean(),
    });
    let accepted = 0;
    let runs = 0;
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(key, tree), { selector: ([k]) => k, minLength: 1, maxLength: 5 }), style, (root, s) => {
        const lines: string[] = [];
        const pad = (n: number): string => ' '.repeat(n);
        // `lead` (`key:` or `-`) opens the node's first line at column `col`; `prefix` replaces
        // the indentation when the line starts with a dash already (`- key: value`).
        const emit = (t: Tree, col: number, lead: string, prefix = pad(col)): void => {
          if (typeof t === 'string') {
            lines.push(`${prefix}${lead} ${t}${s.trailingSpaces ? '  ' : ''}`);
          } else if ('map' in t) {
            lines.push(`${prefix}${lead}`);
            for (const [k, v] of t.map) emit(v, col + s.indent, `${k}:`);
          } else {
            lines.push(`${prefix}${lead}`);
            const dashCol = s.sameColumnSequences && lead.endsWith(':') ? col : col + s.indent;
            for (const item of t.seq) {
              if (typeof item === 'object' && 'map' in item && s.compactItems) {
                item.map.forEach(([k, v], i) => emit(v, dashCol + 2, `${k}:`, i === 0 ? `${pad(dashCol)}- ` : pad(dashCol + 2)));
              } else {
                emit(item, dashCol, '-');
              }
            }
          }
        };
        for (const [k, v] of root) emit(v, 0, `${k}:`);
        for (const [at, col, line] of s.commentAt) lines.splice(at % (lines.length + 1), 0, line.startsWith('#') ? `${pad(col)}${line}` : line);
        const text = s.header + lines.join('\n') + (s.finalNewline ? '\n' : '');
        runs++;
        if (agrees(text)) accepted++;
      }),
      { numRuns: 3000 },
    );
    // The generator must reach the fast path often, or the comparison proves little.
    assert.ok(accepted > runs / 10, `the reader accepted only ${accepted} of ${runs} generated documents`);
  });
});
