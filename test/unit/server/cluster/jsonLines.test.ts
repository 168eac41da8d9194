// Watch streams split anywhere: between lines, inside a line, inside a UTF-8 character.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JsonLineSplitter, LineTooLongError } from '../../../../server/src/cluster/jsonLines';

test('lines split across chunks and characters split across bytes come out whole', () => {
  const s = new JsonLineSplitter();
  const bytes = Buffer.from('{"type":"ADDED","object":{"name":"café"}}\n{"type":"BOOKMARK"}\n{"type":"DEL');
  const cut = bytes.indexOf(Buffer.from('é')) + 1;
  assert.deepEqual(s.push(bytes.subarray(0, cut)), []);
  assert.deepEqual(s.push(bytes.subarray(cut)), [
    { ok: true, value: { type: 'ADDED', object: { name: 'café' } } },
    { ok: true, value: { type: 'BOOKMARK' } },
  ]);
  assert.deepEqual(s.push('ETED"}'), []);
  assert.deepEqual(s.end(), [{ ok: true, value: { type: 'DELETED' } }]);
});

test('a line that is not JSON is reported in its place; an endless line is refused', () => {
  const s = new JsonLineSplitter();
  const out = s.push('{"a":1}\nnot json\n{"b":2}\n');
  assert.deepEqual(out.map((l) => l.ok), [true, false, true]);
  const small = new JsonLineSplitter(10);
  assert.throws(() => small.push('{"aaaaaaaaaaaaaa'), LineTooLongError);
});
