// The wire-format reader against the rules of gogo/protobuf's generated Unmarshal code:
// ten-byte varints, Go int lengths, skipping unknown fields of every wire type, and its
// error texts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProtoError, readLengthDelimited, readVarint, skipField } from '../../../emulator/src/apiserver/protobuf/wire';
import { fixed32, fixed64, int, str, tag, varint } from './protoEncoder';

function error(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ProtoError, `expected a ProtoError, got ${String(err)}`);
    return err.message;
  }
  assert.fail('expected a ProtoError');
}

const buf = (bytes: number[]): Uint8Array => Uint8Array.from(bytes);

test('varints of one to ten bytes read back, keeping the low 64 bits', () => {
  assert.deepEqual(readVarint(buf([0x05]), 0, 1), { value: 5n, next: 1 });
  assert.deepEqual(readVarint(buf([0xac, 0x02]), 0, 2), { value: 300n, next: 2 });
  const minusOne = varint(-1);
  assert.equal(minusOne.length, 10);
  assert.deepEqual(readVarint(buf(minusOne), 0, 10), { value: (1n << 64n) - 1n, next: 10 });
  // A tenth byte with more bits than fit: Go keeps only bit 63.
  assert.equal(readVarint(buf([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]), 0, 10).value, (1n << 64n) - 1n);
});

test('a varint that runs past its end or past ten bytes is an error', () => {
  assert.equal(error(() => readVarint(buf([0x80, 0x80]), 0, 2)), 'unexpected EOF');
  assert.equal(error(() => readVarint(buf([0x96, 0x01]), 0, 1)), 'unexpected EOF');
  assert.equal(error(() => readVarint(buf(new Array<number>(11).fill(0x80)), 0, 11)), 'proto: integer overflow');
});

test('lengths are checked as Go ints: negative, overflowing or past the end', () => {
  assert.deepEqual(readLengthDelimited(buf([0x03, 1, 2, 3]), 0, 4), { start: 1, end: 4 });
  assert.equal(error(() => readLengthDelimited(buf([0x04, 1, 2, 3]), 0, 4)), 'unexpected EOF');
  assert.equal(error(() => readLengthDelimited(buf(varint(-1)), 0, 10)), 'proto: negative length found during unmarshaling');
  const huge = varint((1n << 63n) - 1n);
  assert.equal(error(() => readLengthDelimited(buf(huge), 0, huge.length)), 'proto: negative length found during unmarshaling');
  const large = varint(1n << 40n);
  assert.equal(error(() => readLengthDelimited(buf(large), 0, large.length)), 'unexpected EOF');
});

test('unknown fields of every wire type are skipped whole', () => {
  for (const field of [int(9, 300), fixed64(9), str(9, 'abc'), fixed32(9)]) {
    const bytes = buf([...field, ...int(1, 1)]);
    assert.equal(skipField(bytes, 0, bytes.length), field.length);
  }
  // A group with nested groups and fields inside is one field.
  const group = [...tag(9, 3), ...int(1, 1), ...tag(2, 3), ...str(3, 'x'), ...tag(2, 4), ...tag(9, 4)];
  const bytes = buf([...group, ...int(1, 1)]);
  assert.equal(skipField(bytes, 0, bytes.length), group.length);
});

test('skipping rejects end-group without a start, wire types 6 and 7, and truncation', () => {
  assert.equal(error(() => skipField(buf(tag(9, 4)), 0, 1)), 'proto: unexpected end of group');
  assert.equal(error(() => skipField(buf(tag(9, 6)), 0, 1)), 'proto: illegal wireType 6');
  assert.equal(error(() => skipField(buf(tag(9, 7)), 0, 1)), 'proto: illegal wireType 7');
  assert.equal(error(() => skipField(buf([...tag(9, 3), ...int(1, 1)]), 0, 3)), 'unexpected EOF');
  assert.equal(error(() => skipField(buf([...tag(9, 0), 0x80]), 0, 2)), 'unexpected EOF');
  // Fixed-size and length-delimited fields past the end are measured, and left to the caller.
  assert.equal(skipField(buf([...tag(9, 1), 1, 2]), 0, 3), 9);
  assert.ok(skipField(buf([...tag(9, 2), 0x10, 1]), 0, 3) > 3);
});

test('a million nested groups are walked with a counter, not the stack', () => {
  const depth = 1_000_000;
  const bytes = new Uint8Array(depth).fill(tag(9, 3)[0]);
  assert.equal(error(() => skipField(bytes, 0, bytes.length)), 'unexpected EOF');
});
