// Encoding a response the way CoreDNS puts it on the wire. CoreDNS's ScrubWriter calls
// request.Scrub, which calls miekg/dns Msg.Truncate and then packs the message:
//  1. a message that fits the client's buffer uncompressed is sent uncompressed, unless it goes
//     over UDP and is longer than 1480 bytes (IPv4 client) or 1220 (IPv6), the sizes past which
//     it would be fragmented: then it is compressed;
//  2. a message that does not fit is compressed, and records are kept in order (answer, then
//     authority, then additional) while the running length stays within the buffer less the
//     OPT record; the first record that does not fit ends the message, and TC is set;
//  3. compression follows miekg's packDomainName: every suffix of every name written at an
//     offset below 16384 is remembered, with its case; owner names and the names inside CNAME,
//     NS, PTR, MX and SOA records are replaced by a pointer to the longest remembered suffix;
//     an SRV target is remembered but never compressed (RFC 2782).
// The writer also reports where each record starts and where pointers point, so that an
// answer cache can reorder records later without decoding the message again.

import { parseIP } from '../../../server/src/validation/ipAddresses';
import { MIN_UDP_SIZE, maxResponseSize, type Edns, type Family, type ResponseParts, type Transport, type WireRecord } from './wire';

export interface WriteLimits {
  /** The client's buffer. */
  maxSize: number;
  /** A message that fits but is longer than this is compressed all the same. */
  compressAbove: number;
}

export interface WrittenMessage {
  bytes: Buffer;
  /** Some records were left out to fit the buffer. */
  truncated: boolean;
  /**
   * Where each written record starts, answers then authority then additional (the OPT record
   * not included), followed by the offset just past the last of them.
   */
  recordStarts: number[];
  /** The offsets compression pointers point at. */
  pointerTargets: number[];
}

const HEADER_SIZE = 12;
const OPT_SIZE = 11;
/** miekg's maxCompressionOffset: only names written below it are remembered. */
const MAX_COMPRESSION_OFFSET = 16384;
const MAX_LABEL = 63;
const MAX_TXT_STRING = 255;
const CLASS_IN = 1;

const TYPE_CODE = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28, SRV: 33 } as const;
const TYPE_OPT = 41;

const FLAG = { QR: 0x8000, AA: 0x0400, TC: 0x0200, RD: 0x0100, RA: 0x0080, AD: 0x0020, CD: 0x0010 } as const;

/** The limits CoreDNS applies for this transport, client family and request EDNS. */
export function limitsFor(transport: Transport, family: Family, edns: Edns | undefined): WriteLimits {
  return {
    maxSize: maxResponseSize(transport, edns),
    compressAbove: transport === 'tcp' ? Infinity : family === 6 ? 1220 : 1480,
  };
}

/** The name without its trailing dot; the root is ''. */
function bare(name: string): string {
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

function nameLength(name: string): number {
  const n = bare(name);
  return n === '' ? 1 : Buffer.byteLength(n) + 2;
}

/** The strings of a TXT record as bytes, long ones cut into 255-byte pieces. */
function txtStrings(data: readonly string[]): Buffer[] {
  const out: Buffer[] = [];
  for (const s of data) {
    const b = Buffer.from(s);
    if (b.length === 0) out.push(b);
    for (let i = 0; i < b.length; i += MAX_TXT_STRING) out.push(b.subarray(i, i + MAX_TXT_STRING));
  }
  return out;
}

function rdataLength(rr: WireRecord): number {
  if ('rdata' in rr) return rr.rdata.length;
  switch (rr.type) {
    case 'A':
      return 4;
    case 'AAAA':
      return 16;
    case 'CNAME':
    case 'PTR':
    case 'NS':
      return nameLength(rr.data);
    case 'MX':
      return 2 + nameLength(rr.data.exchange);
    case 'SRV':
      return 6 + nameLength(rr.data.target);
    case 'TXT':
      return txtStrings(rr.data).reduce((n, b) => n + 1 + b.length, 0);
    case 'SOA':
      return nameLength(rr.data.mname) + nameLength(rr.data.rname) + 20;
  }
}

function recordLength(rr: WireRecord): number {
  return nameLength(rr.name) + 10 + rdataLength(rr);
}

function ipv4Bytes(text: string): number[] {
  const parts = text.split('.');
  const bytes = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : -1));
  if (bytes.length !== 4 || bytes.some((b) => b < 0 || b > 255)) throw new Error(`"${text}" is not an IPv4 address`);
  return bytes;
}

function ipv6Bytes(text: string): number[] {
  const ip = parseIP(text);
  if (!ip || ip.syntax !== 6) throw new Error(`"${text}" is not an IPv6 address`);
  return ip.bytes;
}

class Writer {
  off = HEADER_SIZE;
  readonly pointerTargets: number[] = [];

  constructor(
    readonly buf: Buffer,
    /** Remembered name suffixes and where they start; absent when not compressing. */
    private readonly table: Map<string, number> | undefined,
  ) {}

  u16(v: number): void {
    this.buf[this.off] = (v >>> 8) & 0xff;
    this.buf[this.off + 1] = v & 0xff;
    this.off += 2;
  }

  u32(v: number): void {
    this.buf.writeUInt32BE(v >>> 0, this.off);
    this.off += 4;
  }

  bytes(b: Buffer | readonly number[]): void {
    for (let i = 0; i < b.length; i++) this.buf[this.off + i] = b[i] as number;
    this.off += b.length;
  }

  private label(text: string): void {
    const at = this.off;
    let len = 0;
    let ascii = true;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c > 0x7f) {
        ascii = false;
        break;
      }
      this.buf[at + 1 + i] = c;
    }
    len = ascii ? text.length : Buffer.byteLength(text);
    if (len === 0 || len > MAX_LABEL) throw new Error(`label "${text}" is ${len} bytes long; DNS labels hold 1 to 63`);
    if (!ascii) this.buf.write(text, at + 1, 'utf8');
    this.buf[at] = len;
    this.off = at + 1 + len;
  }

  /** Writes a name; `compressible` says whether it may end in a pointer. */
  name(name: string, compressible: boolean): void {
    const n = bare(name);
    if (n === '') {
      this.buf[this.off++] = 0;
      return;
    }
    const table = this.table;
    let start = 0;
    for (;;) {
      if (table) {
        const suffix = start === 0 ? n : n.slice(start);
        const target = table.get(suffix);
        if (target === undefined) {
          if (this.off < MAX_COMPRESSION_OFFSET) table.set(suffix, this.off);
        } else if (compressible) {
          this.u16(0xc000 | target);
          this.pointerTargets.push(target);
          return;
        }
      }
      const dot = n.indexOf('.', start);
      this.label(dot < 0 ? n.slice(start) : n.slice(start, dot));
      if (dot < 0) break;
      start = dot + 1;
    }
    this.buf[this.off++] = 0;
  }

  record(rr: WireRecord): void {
    this.name(rr.name, true);
    if ('rdata' in rr) {
      this.u16(rr.code);
      this.u16(rr.class);
      this.u32(rr.ttl);
      this.u16(rr.rdata.length);
      rr.rdata.copy(this.buf, this.off);
      this.off += rr.rdata.length;
      return;
    }
    this.u16(TYPE_CODE[rr.type]);
    this.u16(CLASS_IN);
    this.u32(rr.ttl);
    const lengthAt = this.off;
    this.off += 2;
    switch (rr.type) {
      case 'A':
        this.bytes(ipv4Bytes(rr.data));
        break;
      case 'AAAA':
        this.bytes(ipv6Bytes(rr.data));
        break;
      case 'CNAME':
      case 'PTR':
      case 'NS':
        this.name(rr.data, true);
        break;
      case 'MX':
        this.u16(rr.data.preference);
        this.name(rr.data.exchange, true);
        break;
      case 'SRV':
        this.u16(rr.data.priority);
        this.u16(rr.data.weight);
        this.u16(rr.data.port);
        this.name(rr.data.target, false);
        break;
      case 'TXT':
        for (const s of txtStrings(rr.data)) {
          this.buf[this.off++] = s.length;
          this.bytes(s);
        }
        break;
      case 'SOA':
        this.name(rr.data.mname, true);
        this.name(rr.data.rname, true);
        this.u32(rr.data.serial);
        this.u32(rr.data.refresh);
        this.u32(rr.data.retry);
        this.u32(rr.data.expire);
        this.u32(rr.data.minimum);
        break;
    }
    this.buf.writeUInt16BE(this.off - lengthAt - 2, lengthAt);
  }

  opt(p: ResponseParts, edns: NonNullable<ResponseParts['edns']>): void {
    this.buf[this.off++] = 0;
    this.u16(TYPE_OPT);
    this.u16(edns.udpPayloadSize);
    // The TTL field: extended rcode, version 0, then the flags with only DO kept.
    this.u32((((p.rcode >> 4) & 0xff) << 24) | (edns.dnssecOk ? 0x8000 : 0));
    this.u16(0);
  }
}

function headerFlags(p: ResponseParts, tc: boolean): number {
  let f = FLAG.QR | ((p.opcode & 0xf) << 11) | (p.rcode & 0xf);
  if (p.aa) f |= FLAG.AA;
  if (tc) f |= FLAG.TC;
  if (p.rd) f |= FLAG.RD;
  if (p.ra) f |= FLAG.RA;
  if (p.ad) f |= FLAG.AD;
  if (p.cd) f |= FLAG.CD;
  return f;
}

/** Encodes `p` as CoreDNS would send it under `limits` (see the numbered rules above). */
export function writeMessage(p: ResponseParts, limits: WriteLimits): WrittenMessage {
  const sections = [p.answers, p.authorities, p.additionals];
  const recordCount = p.answers.length + p.authorities.length + p.additionals.length;
  const optSize = p.edns ? OPT_SIZE : 0;
  let whole = HEADER_SIZE + optSize + (p.question ? nameLength(p.question.name) + 4 : 0);
  for (const section of sections) for (const rr of section) whole += recordLength(rr);
  const maxSize = Math.max(MIN_UDP_SIZE, limits.maxSize);
  const truncating = whole > maxSize;
  // miekg skips compression for a message with nothing in it but a question.
  const compress = (truncating || whole > limits.compressAbove) && recordCount > 0;
  const w = new Writer(Buffer.allocUnsafe(whole), compress ? new Map() : undefined);

  if (p.question) {
    w.name(p.question.name, true);
    w.u16(p.question.type);
    w.u16(p.question.class);
  }
  const budget = truncating ? maxSize - optSize : Infinity;
  const recordStarts: number[] = [];
  const counts = [0, 0, 0];
  let full = false;
  for (let s = 0; s < sections.length && !full; s++) {
    for (const rr of sections[s] ?? []) {
      const at = w.off;
      const pointers = w.pointerTargets.length;
      w.record(rr);
      if (w.off > budget) {
        w.off = at;
        w.pointerTargets.length = pointers;
        full = true;
        break;
      }
      recordStarts.push(at);
      counts[s] = (counts[s] ?? 0) + 1;
    }
  }
  recordStarts.push(w.off);
  if (p.edns) w.opt(p, p.edns);

  const written = recordStarts.length - 1;
  const truncated = written < recordCount;
  const buf = w.buf;
  buf.writeUInt16BE(p.id & 0xffff, 0);
  buf.writeUInt16BE(headerFlags(p, p.tc || truncated), 2);
  buf.writeUInt16BE(p.question ? 1 : 0, 4);
  buf.writeUInt16BE(counts[0] ?? 0, 6);
  buf.writeUInt16BE(counts[1] ?? 0, 8);
  buf.writeUInt16BE((counts[2] ?? 0) + (p.edns ? 1 : 0), 10);
  // A message cut short would otherwise keep the unused tail of its buffer alive.
  const bytes = w.off === buf.length ? buf : truncated ? Buffer.from(buf.subarray(0, w.off)) : buf.subarray(0, w.off);
  return { bytes, truncated, recordStarts, pointerTargets: w.pointerTargets };
}
