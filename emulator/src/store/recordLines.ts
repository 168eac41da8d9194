// The line framing shared by the two files of the state directory, wal.log and snapshot.snap:
// every line is `<crc32> <json>\n`, where <crc32> is the CRC-32 of the JSON's UTF-8 bytes as 8
// lower-case hex digits. JSON.stringify escapes every newline inside strings, so a raw newline
// only ever ends a line: a line is complete when its newline is on disk and intact when its
// checksum matches.
//
// Files are read in fixed-size chunks, one line at a time, so no file is ever held whole in
// memory or turned into one string (a snapshot of 100,000 pods is larger than V8's longest
// string).

import * as fs from 'node:fs';
import { crc32 } from './crc32';

const NEWLINE = 0x0a;
const SPACE = 0x20;
// Eight hex digits of checksum and a space precede the JSON on every line.
const HEADER_LENGTH = 9;
const READ_CHUNK_BYTES = 1 << 20;

/** One framed line, newline included. */
export function encodeLine(value: unknown): Buffer {
  const json = JSON.stringify(value);
  const end = HEADER_LENGTH + Buffer.byteLength(json, 'utf8');
  const line = Buffer.allocUnsafe(end + 1);
  line.write(json, HEADER_LENGTH, 'utf8');
  line.write(crc32(line, HEADER_LENGTH, end).toString(16).padStart(8, '0'), 0, 'latin1');
  line[HEADER_LENGTH - 1] = SPACE;
  line[end] = NEWLINE;
  return line;
}

/**
 * The JSON value of the line in `bytes[start, end)` (newline excluded), or undefined when the
 * line is not intact: a malformed header, a checksum mismatch, or JSON that does not parse.
 */
export function decodeLine(bytes: Buffer, start: number, end: number): unknown {
  if (end - start <= HEADER_LENGTH || bytes[start + HEADER_LENGTH - 1] !== SPACE) return undefined;
  const hex = bytes.toString('latin1', start, start + HEADER_LENGTH - 1);
  if (!/^[0-9a-f]{8}$/.test(hex)) return undefined;
  if (parseInt(hex, 16) !== crc32(bytes, start + HEADER_LENGTH, end)) return undefined;
  try {
    return JSON.parse(bytes.toString('utf8', start + HEADER_LENGTH, end)) as unknown;
  } catch {
    return undefined;
  }
}

/** One line as `forEachLine` hands it over; `bytes` is only valid during the call. */
export interface RawLine {
  bytes: Buffer;
  start: number;
  /** Where the line's content ends (its newline, or the end of the file). */
  end: number;
  /** The line's byte offset in the file. */
  offset: number;
  /** False for a last line without its newline: it was never completely written. */
  complete: boolean;
}

/**
 * Calls `visit` for every line of the open file `fd`, in order, reading from offset 0. A
 * `visit` that returns false stops the reading.
 */
export function forEachLine(fd: number, visit: (line: RawLine) => boolean | void): void {
  let buffer = Buffer.allocUnsafe(READ_CHUNK_BYTES);
  // buffer[0, filled) holds bytes read but not yet handed over; they start at file offset `base`.
  let filled = 0;
  let base = 0;
  for (;;) {
    if (filled === buffer.length) {
      // One line longer than the buffer: grow it rather than split the line.
      const bigger = Buffer.allocUnsafe(buffer.length * 2);
      buffer.copy(bigger, 0, 0, filled);
      buffer = bigger;
    }
    const read = fs.readSync(fd, buffer, filled, buffer.length - filled, base + filled);
    const atEnd = read === 0;
    filled += read;
    let start = 0;
    for (;;) {
      const newline = buffer.indexOf(NEWLINE, start);
      if (newline < 0 || newline >= filled) break;
      if (visit({ bytes: buffer, start, end: newline, offset: base + start, complete: true }) === false) return;
      start = newline + 1;
    }
    if (atEnd) {
      if (start < filled) visit({ bytes: buffer, start, end: filled, offset: base + start, complete: false });
      return;
    }
    buffer.copy(buffer, 0, start, filled);
    filled -= start;
    base += start;
  }
}
