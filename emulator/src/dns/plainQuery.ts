// The fast road for the common query: a cheap look at the raw bytes that says whether a message
// is a plain query, and if so which cached answer it may share. Anything unusual gets no key
// and takes the careful reader (wire.ts readQuery) instead, so this check only has to be sure
// of what it accepts, never of what it refuses.
//
// A plain query: QR clear, opcode QUERY, exactly one question and nothing else but at most one
// OPT record; a question name of uncompressed labels made of printable ASCII other than the
// dot (what the careful reader echoes byte for byte), class IN; an OPT record with the root as
// owner and well-formed options, none of those dns-packet parses further (client subnet, TCP
// keepalive, key tag); no byte after the last record.
//
// Two plain queries with the same key get the same response but for the ID, because the key
// holds everything the answer depends on: the question bytes as sent (so the case the client
// used comes back as it was), RD and CD (echoed in the header), the EDNS payload size, version
// and DO bit (echoed in the OPT record, and the size bounds the answer), and the variant of the
// transport, which decides truncation and compression. The key is the question's bytes (found
// at offset 12 up to `questionEnd`) plus `meta`, a number packing the rest; `hash` mixes both,
// for looking the key up without building a string.

const HEADER_SIZE = 12;
const MAX_NAME_LENGTH = 254;
const TYPE_OPT = 41;
/** EDNS options dns-packet decodes field by field, where malformed data would make it throw. */
const PARSED_OPTIONS = new Set([8, 11, 14]);
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** UDP over IPv4, UDP over IPv6, TCP: the answers differ in size limits. */
export type TransportVariant = 0 | 1 | 2;

export interface PlainQuery {
  /** Where the question ends: the key's bytes are `[12, questionEnd)`. */
  questionEnd: number;
  /** Transport variant, RD, CD and the EDNS fields, packed. */
  meta: number;
  /** A 32-bit hash of the whole key. */
  hash: number;
}

/** The key of a plain query, or undefined when the message is anything else. */
export function readPlainQuery(buf: Buffer, variant: TransportVariant): PlainQuery | undefined {
  const len = buf.length;
  // The header, the root name, type and class.
  if (len < HEADER_SIZE + 5) return undefined;
  // QR and opcode live in the top five bits of byte 2.
  if (((buf[2] as number) & 0xf8) !== 0) return undefined;
  if (buf[4] !== 0 || buf[5] !== 1 || buf[6] !== 0 || buf[7] !== 0 || buf[8] !== 0 || buf[9] !== 0 || buf[10] !== 0) return undefined;
  const additional = buf[11] as number;
  if (additional > 1) return undefined;

  let off = HEADER_SIZE;
  let nameLength = 0;
  for (;;) {
    if (off >= len) return undefined;
    const labelLength = buf[off] as number;
    if (labelLength === 0) break;
    if (labelLength > 63) return undefined;
    nameLength += labelLength + 1;
    const end = off + 1 + labelLength;
    if (nameLength > MAX_NAME_LENGTH || end > len) return undefined;
    for (let i = off + 1; i < end; i++) {
      const c = buf[i] as number;
      if (c < 0x21 || c > 0x7e || c === 0x2e) return undefined;
    }
    off = end;
  }
  const questionEnd = off + 5;
  if (questionEnd > len || buf[questionEnd - 2] !== 0 || buf[questionEnd - 1] !== 1) return undefined;

  // RD is bit 0 of byte 2 and CD bit 4 of byte 3.
  let meta = variant | (((buf[2] as number) & 0x01) << 2) | ((((buf[3] as number) & 0x10) >> 4) << 3);
  if (additional === 1) {
    const opt = questionEnd;
    if (opt + 11 > len || buf[opt] !== 0 || buf.readUInt16BE(opt + 1) !== TYPE_OPT) return undefined;
    if (opt + 11 + buf.readUInt16BE(opt + 9) !== len) return undefined;
    for (let o = opt + 11; o < len;) {
      if (o + 4 > len || PARSED_OPTIONS.has(buf.readUInt16BE(o))) return undefined;
      o += 4 + buf.readUInt16BE(o + 2);
      if (o > len) return undefined;
    }
    const dnssecOk = ((buf[opt + 7] as number) & 0x80) >> 7;
    // Bit 4: EDNS present; 5: DO; 6-13: version; 14-29: payload size.
    meta |= (1 << 4) | (dnssecOk << 5) | ((buf[opt + 6] as number) << 6) | (buf.readUInt16BE(opt + 3) * (1 << 14));
  } else if (questionEnd !== len) {
    return undefined;
  }

  let hash = FNV_OFFSET;
  for (let i = HEADER_SIZE; i < questionEnd; i++) hash = Math.imul(hash ^ (buf[i] as number), FNV_PRIME);
  for (let m = meta; m > 0; m >>>= 8) hash = Math.imul(hash ^ (m & 0xff), FNV_PRIME);
  return { questionEnd, meta, hash: hash >>> 0 };
}
