import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32, crc32Portable } from '../../../emulator/src/store/crc32';

test('both CRC-32 implementations give the standard check value and agree on any byte range', () => {
  const check = Buffer.from('123456789', 'latin1');
  assert.equal(crc32(check), 0xcbf43926);
  assert.equal(crc32Portable(check), 0xcbf43926);
  const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131 + (i >> 3)) & 0xff));
  for (const [start, end] of [[0, 0], [0, 1], [7, 300], [100, 4096]] as const) {
    assert.equal(crc32(bytes, start, end), crc32Portable(bytes, start, end), `bytes ${start}..${end}`);
  }
});
