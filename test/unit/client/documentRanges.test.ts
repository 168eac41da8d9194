// Which documents "Apply to Emulator" sends for the editor's selections: indexes as the
// language server counts them, nothing for empty documents.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { documentSpans, documentsForSelections, type LineSelection } from '../../../client/src/manifests/documentRanges';

// Line numbers:                0                    1             2      3                4             5      6
const file = ['apiVersion: apps/v1', 'kind: Deployment', '---', '# the Service', 'kind: Service', '---', 'kind: Pod', ''].join('\n');

const cursor = (line: number, character = 0): LineSelection => ({ startLine: line, startCharacter: character, endLine: line, endCharacter: character });
const range = (startLine: number, startCharacter: number, endLine: number, endCharacter: number): LineSelection => ({ startLine, startCharacter, endLine, endCharacter });

describe('documentSpans', () => {
  it('cuts at --- lines, keeping a comment with the document it precedes', () => {
    assert.deepEqual(
      documentSpans(file).map((d) => [d.index, d.startLine, d.endLine]),
      [
        [0, 0, 1],
        [1, 2, 4],
        [2, 5, 7],
      ],
    );
  });

  it('counts a leading --- as the start of the first document, not an empty one', () => {
    assert.deepEqual(
      documentSpans('---\nkind: Service\n---\nkind: Pod\n').map((d) => d.startLine),
      [0, 2],
    );
  });

  it('knows documents that hold only comments and markers', () => {
    const spans = documentSpans('kind: Service\n---\n# nothing here\n\n---\n...\n');
    assert.deepEqual(
      spans.map((d) => d.hasContent),
      [true, false, false],
    );
  });

  it('reads CRLF files', () => {
    assert.deepEqual(
      documentSpans('kind: A\r\n---\r\nkind: B\r\n').map((d) => [d.startLine, d.endLine]),
      [
        [0, 0],
        [1, 3],
      ],
    );
  });
});

describe('documentsForSelections', () => {
  it('sends every document for a cursor, or no selection at all', () => {
    assert.deepEqual(documentsForSelections(file, [cursor(4, 3)]), [0, 1, 2]);
    assert.deepEqual(documentsForSelections(file, []), [0, 1, 2]);
  });

  it('sends only the documents a selection touches', () => {
    assert.deepEqual(documentsForSelections(file, [range(4, 0, 4, 5)]), [1]);
    assert.deepEqual(documentsForSelections(file, [range(1, 2, 3, 1)]), [0, 1]);
  });

  it('takes whole selected lines without the line after them', () => {
    // Selecting lines 2-4 by dragging down to the start of line 5 (the next ---).
    assert.deepEqual(documentsForSelections(file, [range(2, 0, 5, 0)]), [1]);
  });

  it('joins several selections, and ignores empty cursors among them', () => {
    assert.deepEqual(documentsForSelections(file, [range(0, 0, 0, 4), cursor(4), range(6, 0, 6, 3)]), [0, 2]);
  });

  it('leaves out documents without content even when selected', () => {
    const text = 'kind: Service\n---\n# just a comment\n---\nkind: Pod\n';
    assert.deepEqual(documentsForSelections(text, [range(0, 0, 4, 3)]), [0, 2]);
    assert.deepEqual(documentsForSelections('# nothing\n', []), []);
    assert.deepEqual(documentsForSelections('', []), []);
  });
});
