// The per-document cache: an edit re-parses and re-checks only the document it touches, and
// the other documents keep their results while their positions follow the text.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManifestCache } from '../../../../server/src/documents';
import { entryFindings, staticCheck } from '../../../../server/src/features/cachedFindings';
import { service } from './checkYaml';

function svc(name: string, port = 80): string {
  return service(`  selector: {app: ${name}}\n  ports:\n  - port: ${port}\n`, `  name: ${name}\n`);
}

describe('ManifestCache', () => {
  it('reuses every document an edit does not touch', () => {
    const cache = new ManifestCache();
    const docs = ['a', 'b', 'c', 'd'].map((n) => svc(n));
    const v1 = cache.update('u', 1, docs.join('---\n'));
    assert.equal(cache.newInLastUpdate, 4);
    const before = v1.documents.map((p) => staticCheck(p.entry));

    docs[1] = svc('b', 0);
    const v2 = cache.update('u', 2, docs.join('---\n'));
    assert.equal(cache.newInLastUpdate, 1);
    assert.equal(v2.documents[0]!.entry, v1.documents[0]!.entry);
    assert.notEqual(v2.documents[1]!.entry, v1.documents[1]!.entry);
    assert.equal(staticCheck(v2.documents[3]!.entry), before[3], 'the findings of an untouched document are not recomputed');
  });

  it('moves the findings of later documents when lines are added above them', () => {
    const cache = new ManifestCache();
    const bad = svc('z', 0);
    const v1 = cache.update('u', 1, svc('a') + '---\n' + bad);
    const last1 = v1.documents[1]!;
    const range1 = v1.toFileRange(last1, entryFindings(last1.entry)[0]!.range);

    const v2 = cache.update('u', 2, '# a comment\n# another\n' + svc('a') + '---\n' + bad);
    assert.equal(cache.newInLastUpdate, 1, 'only the first document changed (it gained the comments)');
    const last2 = v2.documents[1]!;
    assert.equal(last2.entry, last1.entry);
    const range2 = v2.toFileRange(last2, entryFindings(last2.entry)[0]!.range);
    assert.deepEqual(range2.start, { line: range1.start.line + 2, character: range1.start.character });
  });

  it('shares one entry between identical documents and forgets files on delete', () => {
    const cache = new ManifestCache();
    const file = cache.update('u', 1, svc('a') + '---\n' + svc('a').replace('apiVersion', '---\napiVersion').slice(4));
    assert.equal(file.documents.length, 2);
    cache.delete('u');
    assert.equal(cache.get('u'), undefined);
    assert.deepEqual(cache.all(), []);
  });

  it('finds the document at a position', () => {
    const cache = new ManifestCache();
    const file = cache.update('u', 1, svc('a') + '---\n' + svc('b'));
    const second = file.documents[1]!;
    const found = file.documentAt({ line: second.line + 3, character: 4 });
    assert.equal(found?.placed, second);
    assert.deepEqual(found?.position, { line: 3, character: 4 });
  });
});

describe('ManifestCache cuts an edited file exactly as a fresh split would', () => {
  it('for random edits around document markers', async () => {
    const { splitDocuments } = await import('../../../../server/src/manifest/splitDocuments');
    const { seededRandom } = await import('../manifest/fuzzInput');
    const rand = seededRandom(11);
    const pieces = ['---\n', '...\n', 'a: 1\n', '# c\n', '\n', '%YAML 1.1\n', '--- x\n', 'b:\n  - c\n', '-', '\r\n', '--'];
    const pick = (): string => pieces[Math.floor(rand() * pieces.length)]!;
    for (let round = 0; round < 60; round++) {
      const cache = new ManifestCache();
      let text = Array.from({ length: 1 + Math.floor(rand() * 12) }, pick).join('');
      cache.update('u', 0, text);
      for (let step = 1; step <= 25; step++) {
        const at = Math.floor(rand() * (text.length + 1));
        const cut = Math.floor(rand() * 6);
        const insert = rand() < 0.3 ? '' : Array.from({ length: 1 + Math.floor(rand() * 2) }, pick).join('');
        text = text.slice(0, at) + insert + text.slice(at + cut);
        const file = cache.update('u', step, text);
        const got = file.documents.map((p) => ({ text: p.entry.text, offset: p.offset, line: p.line }));
        assert.deepEqual(got, splitDocuments(text), `round ${round} step ${step}: ${JSON.stringify(text)}`);
      }
    }
  });
});
