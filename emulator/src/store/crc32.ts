// CRC-32 (IEEE 802.3, the polynomial zlib and PNG use) over a byte range. The write-ahead log
// checksums every record with it. zlib.crc32 is native and many times faster, but only Node
// 20.15 and later have it; older releases get the same function computed with a lookup table.

import * as zlib from 'node:zlib';

const native = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;
const TABLE = buildTable();

function buildTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/** The CRC-32 of `bytes[start, end)` as an unsigned 32-bit number. */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return native ? native(bytes.subarray(start, end)) >>> 0 : crc32Portable(bytes, start, end);
}

/** The same as `crc32`, without zlib: what Node releases before 20.15 run. */
export function crc32Portable(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0xffffffff;
  for (let i = start; i < end; i++) crc = (TABLE[(crc ^ (bytes[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
