// DNS messages on the wire, through dns-packet: reading a query defensively and building a
// response that fits the client's buffer. Hostile input never reaches the decoder unchecked:
// the raw header is read first and judged as miekg/dns's default accept function judges it
// (the server library under CoreDNS), so only a plausible query is decoded, and any decoder
// exception becomes FORMERR.

import * as packet from 'dns-packet';
import type { DnsRecord } from './records';

export type Transport = 'udp' | 'tcp';

const HEADER_SIZE = 12;
/** The smallest question (root name, type, class) and resource record (root name, fixed fields). */
const MIN_QUESTION_SIZE = 5;
const MIN_RR_SIZE = 11;
const QR = 0x8000;
const OPCODE_QUERY = 0;
export const MIN_UDP_SIZE = 512;
export const MAX_MESSAGE_SIZE = 65535;

export const RCODE = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
  BADVERS: 16,
} as const;

export interface WireQuestion {
  name: string;
  /** dns-packet's mnemonic, `UNKNOWN_<n>` for types it has no name for. */
  type: string;
  class: string;
}

export interface Edns {
  udpPayloadSize: number;
  version: number;
  dnssecOk: boolean;
}

export interface Query {
  id: number;
  opcode: number;
  rd: boolean;
  cd: boolean;
  question: WireQuestion;
  edns?: Edns;
  /** The decoded request, for forwarding it upstream. */
  packet: packet.DecodedPacket;
}

export type ReadResult =
  | { kind: 'query'; query: Query }
  /** A header could be read but the message is unacceptable: answer with `rcode` and no question. */
  | { kind: 'reject'; id: number; opcode: number; rd: boolean; cd: boolean; rcode: 'FORMERR' | 'NOTIMP' }
  /** Not worth an answer: too short for a header, or a response rather than a query. */
  | { kind: 'drop'; reason: string };

function isOpt(a: packet.Answer): a is packet.OptAnswer {
  return a.type === 'OPT';
}

/**
 * Reads one query. Never throws. The checks, in order: a 12-byte header; not a response
 * (dropped, so two servers cannot ping-pong); opcode QUERY (else NOTIMP); exactly one question,
 * at most one answer and one authority record, at most two additional records (else FORMERR);
 * counts that fit in the bytes present; a decodable message whose question name and class
 * survive re-encoding unchanged; at most one OPT record.
 */
export function readQuery(buf: Buffer): ReadResult {
  if (buf.length < HEADER_SIZE) return { kind: 'drop', reason: `message of ${buf.length} bytes has no header` };
  const id = buf.readUInt16BE(0);
  const flags = buf.readUInt16BE(2);
  const qd = buf.readUInt16BE(4);
  const an = buf.readUInt16BE(6);
  const ns = buf.readUInt16BE(8);
  const ar = buf.readUInt16BE(10);
  if (flags & QR) return { kind: 'drop', reason: 'a response, not a query' };
  const opcode = (flags >> 11) & 0xf;
  const rd = (flags & packet.RECURSION_DESIRED) !== 0;
  const cd = (flags & packet.CHECKING_DISABLED) !== 0;
  const reject = (rcode: 'FORMERR' | 'NOTIMP'): ReadResult => ({ kind: 'reject', id, opcode, rd, cd, rcode });
  if (opcode !== OPCODE_QUERY) return reject('NOTIMP');
  if (qd !== 1 || an > 1 || ns > 1 || ar > 2) return reject('FORMERR');
  if (HEADER_SIZE + qd * MIN_QUESTION_SIZE + (an + ns + ar) * MIN_RR_SIZE > buf.length) return reject('FORMERR');

  let decoded: packet.DecodedPacket;
  try {
    decoded = packet.decode(buf);
  } catch {
    return reject('FORMERR');
  }
  const q = decoded.questions?.[0];
  if (!q || !roundTrips(buf, q)) return reject('FORMERR');
  const opts = (decoded.additionals ?? []).filter(isOpt);
  if (opts.length > 1) return reject('FORMERR');
  const opt = opts[0];
  const question: WireQuestion = { name: q.name, type: q.type, class: q.class ?? 'IN' };
  const query: Query = { id, opcode, rd, cd, question, packet: decoded };
  if (opt) query.edns = { udpPayloadSize: opt.udpPayloadSize, version: opt.ednsVersion, dnssecOk: (opt.flags & packet.DNSSEC_OK) !== 0 };
  return { kind: 'query', query };
}

/**
 * dns-packet turns labels into dot-joined text, so a label holding a dot or bytes that are not
 * UTF-8, a compressed question name, or a class it has no name for would not be echoed back
 * as sent. Such questions are refused as malformed rather than answered for another name.
 */
function roundTrips(buf: Buffer, q: packet.Question): boolean {
  try {
    const again = packet.encode({ type: 'query', id: 0, flags: 0, questions: [q] }).subarray(HEADER_SIZE);
    return buf.length >= HEADER_SIZE + again.length && again.equals(buf.subarray(HEADER_SIZE, HEADER_SIZE + again.length));
  } catch {
    return false;
  }
}

/** The largest response the client can take: 512 bytes over UDP unless EDNS says more; 64 KiB over TCP. */
export function maxResponseSize(transport: Transport, edns: Edns | undefined): number {
  if (transport === 'tcp') return MAX_MESSAGE_SIZE;
  return Math.min(MAX_MESSAGE_SIZE, Math.max(MIN_UDP_SIZE, edns?.udpPayloadSize ?? MIN_UDP_SIZE));
}

export function toWireAnswer(rr: DnsRecord): packet.Answer {
  const base = { name: rr.name, ttl: rr.ttl, class: 'IN' as const };
  switch (rr.type) {
    case 'A':
    case 'AAAA':
    case 'CNAME':
    case 'PTR':
    case 'NS':
      return { ...base, type: rr.type, data: rr.data };
    case 'SRV':
      return { ...base, type: 'SRV', data: { ...rr.data } };
    case 'TXT':
      return { ...base, type: 'TXT', data: [...rr.data] };
    case 'SOA':
      return { ...base, type: 'SOA', data: { ...rr.data } };
  }
}

export interface ResponseParts {
  id: number;
  opcode: number;
  /** The full rcode; values above 15 go partly into the OPT record (EDNS extended rcode). */
  rcode: number;
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  ad?: boolean;
  cd: boolean;
  question?: WireQuestion;
  answers: packet.Answer[];
  authorities: packet.Answer[];
  /** Additional records without any OPT record; `edns` adds that. */
  additionals: packet.Answer[];
  /** Present when the request carried EDNS: the response then carries an OPT record too. */
  edns?: { udpPayloadSize: number; dnssecOk: boolean };
}

function flagsOf(p: ResponseParts, tc: boolean): number {
  let f = (p.opcode & 0xf) << 11;
  if (p.aa) f |= packet.AUTHORITATIVE_ANSWER;
  if (tc) f |= packet.TRUNCATED_RESPONSE;
  if (p.rd) f |= packet.RECURSION_DESIRED;
  if (p.ra) f |= packet.RECURSION_AVAILABLE;
  if (p.ad) f |= packet.AUTHENTIC_DATA;
  if (p.cd) f |= packet.CHECKING_DISABLED;
  return f | (p.rcode & 0xf);
}

function optRecord(p: ResponseParts): packet.Answer[] {
  if (!p.edns) return [];
  const opt: packet.OptAnswer = {
    type: 'OPT',
    name: '.',
    udpPayloadSize: p.edns.udpPayloadSize,
    extendedRcode: (p.rcode >> 4) & 0xff,
    ednsVersion: 0,
    flags: p.edns.dnssecOk ? packet.DNSSEC_OK : 0,
    flag_do: p.edns.dnssecOk,
    options: [],
  };
  return [opt];
}

/**
 * The response as a dns-packet message no larger than `maxSize` once encoded. When the whole
 * does not fit, records are kept in order (answers, then authority, then additional) while they
 * fit, the OPT record always stays, and TC is set, as miekg/dns's Msg.Truncate does.
 */
export function buildResponse(p: ResponseParts, maxSize: number): packet.Packet {
  const opt = optRecord(p);
  const records = [...p.answers, ...p.authorities, ...p.additionals];
  const sections = (keep: number): packet.Packet => {
    const a = Math.min(keep, p.answers.length);
    const n = Math.min(keep - a, p.authorities.length);
    const x = keep - a - n;
    return {
      type: 'response',
      id: p.id,
      flags: flagsOf(p, p.tc || keep < records.length),
      questions: p.question ? [p.question as packet.Question] : [],
      answers: p.answers.slice(0, a),
      authorities: p.authorities.slice(0, n),
      additionals: [...p.additionals.slice(0, x), ...opt],
    };
  };
  const whole = sections(records.length);
  if (packet.encodingLength(whole) <= maxSize) return whole;
  // Longer prefixes encode longer, so the largest prefix that fits is found by bisection.
  let lo = 0;
  let hi = records.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (packet.encodingLength(sections(mid)) <= maxSize) lo = mid;
    else hi = mid - 1;
  }
  return sections(lo);
}

/** A response that says only `rcode`: for rejected messages, which get no question back. */
export function rejectResponse(r: Extract<ReadResult, { kind: 'reject' }>): packet.Packet {
  const isQuery = r.opcode === OPCODE_QUERY;
  return buildResponse(
    {
      id: r.id,
      opcode: r.opcode,
      rcode: RCODE[r.rcode],
      aa: false,
      tc: false,
      rd: isQuery && r.rd,
      ra: false,
      cd: isQuery && r.cd,
      answers: [],
      authorities: [],
      additionals: [],
    },
    MIN_UDP_SIZE,
  );
}

/** The bytes to send: a plain message over UDP, a length-prefixed one over TCP. */
export function encodeFor(transport: Transport, message: packet.Packet): Buffer {
  return transport === 'tcp' ? packet.streamEncode(message) : packet.encode(message);
}
