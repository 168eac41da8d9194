// Parsing never throws (ARCHITECTURE invariant 5): whatever the text, a document comes back
// with what could be read plus problems, and the checks built on it finish too.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManifestCache } from '../../../../server/src/documents';
import { entryFindings } from '../../../../server/src/features/cachedFindings';
import { ManifestDocument } from '../../../../server/src/manifest/manifestDocument';
import { randomText, seededRandom } from './fuzzInput';

function survives(text: string): ManifestDocument[] {
  const cache = new ManifestCache();
  const file = cache.update('file:///fuzz.yaml', 1, text);
  const docs: ManifestDocument[] = [];
  for (const placed of file.documents) {
    const doc = placed.entry.doc;
    entryFindings(placed.entry, { generation: 0, findings: () => [] });
    doc.locate(['spec', 'ports', 0, 'port'], 'value');
    doc.locate([], 'key');
    doc.nodeAt(Math.floor(text.length / 2));
    doc.mapEntries(['metadata', 'labels']);
    docs.push(doc);
  }
  return docs;
}

describe('the parser and the checks never throw', () => {
  it('on random text', () => {
    const rand = seededRandom(42);
    for (let i = 0; i < 400; i++) survives(randomText(rand, Math.floor(rand() * 400)));
  });

  it('on random edits of a real manifest', () => {
    const rand = seededRandom(3);
    const base = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n    targetPort: http\n';
    for (let i = 0; i < 400; i++) {
      const at = Math.floor(rand() * base.length);
      const cut = Math.floor(rand() * 5);
      survives(base.slice(0, at) + randomText(rand, Math.floor(rand() * 6)) + base.slice(at + cut));
    }
  });

  it('on random bytes read as Latin-1 and as UTF-8', () => {
    const rand = seededRandom(9);
    for (let i = 0; i < 100; i++) {
      const bytes = Buffer.from(Array.from({ length: 300 }, () => Math.floor(rand() * 256)));
      survives(bytes.toString('latin1'));
      survives(bytes.toString('utf8'));
    }
  });

  it('on very deep nesting, flow and block', () => {
    const flow = survives('a: ' + '['.repeat(20_000) + ']'.repeat(20_000) + '\n')[0]!;
    assert.equal(flow.value, undefined);
    assert.ok(flow.problems.some((p) => p.severity === 'error'));
    let block = '';
    for (let i = 0; i < 1000; i++) block += ' '.repeat(i) + 'k:\n';
    const deep = survives(block)[0]!;
    assert.equal(deep.value, undefined, 'a document deeper than Kubernetes objects ever are is refused');
    assert.ok(deep.problems.some((p) => p.code === 'ksl/too-deep' || p.severity === 'error'));
  });

  it('on an alias bomb, which is refused instead of expanded', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      lines.push(`${name}: &${name} [${Array(9).fill('*' + prev).join(',')}]`);
    }
    const start = performance.now();
    const doc = survives(lines.join('\n') + '\n')[0]!;
    assert.ok(performance.now() - start < 5000);
    assert.equal(doc.value, undefined);
    assert.ok(doc.problems.some((p) => p.severity === 'error'));
  });

  it('on a huge scalar and a huge key count', () => {
    const big = survives(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  a: "${'x'.repeat(2_000_000)}"\n`)[0]!;
    assert.equal(big.kind, 'ConfigMap');
    const keys = Array.from({ length: 20_000 }, (_, i) => `  k${i}: v`).join('\n');
    const many = survives(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: many\ndata:\n${keys}\n`)[0]!;
    assert.deepEqual(many.problems, []);
  });

  it('on odd but valid shapes: null items, null fields, scalar documents, non-string keys', () => {
    for (const text of [
      'apiVersion: v1\nkind: Service\nmetadata:\nspec:\n  ports: [null, ~]\n  selector: {1: 2, true: false, null: x}\n',
      'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: null\n',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template: {spec: {containers: [null, {ports: [null]}]}}\n',
      '"just a string"\n',
      '? [complex, key]\n: value\n',
      'apiVersion: 1\nkind: [Service]\n',
      '!!binary aGVsbG8=\n',
      '--- !custom\na: 1\n',
    ]) {
      survives(text);
    }
  });
});
