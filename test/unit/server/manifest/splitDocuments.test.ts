import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { splitDocuments } from '../../../../server/src/manifest/splitDocuments';
import { seededRandom } from './fuzzInput';

function texts(text: string): string[] {
  return splitDocuments(text).map((c) => c.text);
}

function assertTiles(text: string): void {
  const chunks = splitDocuments(text);
  assert.equal(chunks.map((c) => c.text).join(''), text, 'the pieces put back together are the file');
  let line = 0;
  let offset = 0;
  for (const c of chunks) {
    assert.equal(c.offset, offset);
    assert.equal(c.line, line);
    offset += c.text.length;
    line += (c.text.match(/\r\n|\r|\n/g) ?? []).length;
  }
}

describe('splitDocuments', () => {
  it('cuts before each --- line once a document has content', () => {
    assert.deepEqual(texts('a: 1\n---\nb: 2\n---\nc: 3\n'), ['a: 1\n', '---\nb: 2\n', '---\nc: 3\n']);
  });

  it('keeps comments and a leading --- with the document that follows', () => {
    assert.deepEqual(texts('# header\n---\na: 1\n'), ['# header\n---\na: 1\n']);
    assert.deepEqual(texts('---\n# only a comment\n---\na: 1\n'), ['---\n# only a comment\n', '---\na: 1\n']);
  });

  it('keeps a directive with its document', () => {
    assert.deepEqual(texts('a: 1\n---\n%YAML 1.1\n---\nb: 2\n'), ['a: 1\n', '---\n%YAML 1.1\n', '---\nb: 2\n']);
    assert.deepEqual(texts('%YAML 1.1\n---\nb: 2\n'), ['%YAML 1.1\n---\nb: 2\n']);
  });

  it('ends a document after a ... line', () => {
    assert.deepEqual(texts('a: 1\n...\nb: 2\n'), ['a: 1\n...\n', 'b: 2\n']);
  });

  it('treats only ---/... followed by a space or the line end as markers', () => {
    assert.deepEqual(texts('a: |\n  x\n----\nb: ---x\n'), ['a: |\n  x\n----\nb: ---x\n']);
    assert.deepEqual(texts('a: 1\n--- # next\nb: 2\n'), ['a: 1\n', '--- # next\nb: 2\n']);
    assert.deepEqual(texts('a: 1\n--- {b: 2}\n--- c\n'), ['a: 1\n', '--- {b: 2}\n', '--- c\n']);
  });

  it('handles CRLF files and a file without a final line break', () => {
    assert.deepEqual(texts('a: 1\r\n---\r\nb: 2'), ['a: 1\r\n', '---\r\nb: 2']);
  });

  it('gives one empty piece for an empty file', () => {
    assert.deepEqual(splitDocuments(''), [{ text: '', offset: 0, line: 0 }]);
  });

  it('tiles any text exactly, with correct offsets and lines', () => {
    const rand = seededRandom(7);
    const alphabet = ['---', '...', '\n', '\r\n', '\r', ' ', '#', '%', 'a', ':', '-', '.', '|', '"'];
    for (let i = 0; i < 300; i++) {
      let text = '';
      const n = Math.floor(rand() * 60);
      for (let j = 0; j < n; j++) text += alphabet[Math.floor(rand() * alphabet.length)];
      assertTiles(text);
    }
  });
});
