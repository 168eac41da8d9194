import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LineIndex, shiftRange } from '../../../../server/src/manifest/positions';

describe('LineIndex', () => {
  it('ends lines at \\n, \\r\\n and a lone \\r, as LSP does', () => {
    const text = 'a\nbb\r\nccc\rd';
    const lines = new LineIndex(text);
    assert.equal(lines.lineCount, 4);
    assert.deepEqual(lines.positionAt(text.indexOf('bb')), { line: 1, character: 0 });
    assert.deepEqual(lines.positionAt(text.indexOf('ccc') + 2), { line: 2, character: 2 });
    assert.deepEqual(lines.positionAt(text.indexOf('d')), { line: 3, character: 0 });
    assert.equal(lines.offsetAt({ line: 2, character: 1 }), text.indexOf('ccc') + 1);
  });

  it('counts characters in UTF-16 code units, so an emoji takes two', () => {
    const text = 'name: "😀x"\n';
    const lines = new LineIndex(text);
    const x = text.indexOf('x');
    assert.deepEqual(lines.positionAt(x), { line: 0, character: 9 });
    assert.equal(lines.offsetAt({ line: 0, character: 9 }), x);
  });

  it('clamps positions outside the text instead of failing', () => {
    const lines = new LineIndex('ab\ncd');
    assert.deepEqual(lines.positionAt(-5), { line: 0, character: 0 });
    assert.deepEqual(lines.positionAt(99), { line: 1, character: 2 });
    assert.equal(lines.offsetAt({ line: 0, character: 99 }), 2, 'a character past the end of line 0 lands before its line break');
    assert.equal(lines.offsetAt({ line: 7, character: 0 }), 5);
  });

  it('round-trips every offset of a mixed text', () => {
    const text = 'a: 1\r\n\r\nb: "é😀"\rc:\n  - d\n';
    const lines = new LineIndex(text);
    for (let o = 0; o <= text.length; o++) {
      const p = lines.positionAt(o);
      const back = lines.offsetAt(p);
      // Offsets inside a \r\n pair have no position of their own.
      if (!(text[o - 1] === '\r' && text[o] === '\n')) assert.equal(back, o, `offset ${o}`);
    }
  });
});

describe('shiftRange', () => {
  it('moves lines and keeps characters', () => {
    assert.deepEqual(shiftRange({ start: { line: 1, character: 4 }, end: { line: 2, character: 0 } }, 10), {
      start: { line: 11, character: 4 },
      end: { line: 12, character: 0 },
    });
  });
});
