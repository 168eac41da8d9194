// DNS messages on the wire: the shapes a query is read into and a response is built from, and
// the careful reader of queries. Hostile input never reaches the decoder unchecked: the raw
// header is read first and judged as miekg/dns's default accept function judges it (the server
// library under CoreDNS), so only a plausible query is decoded (through dns-packet), and any
// decoder exception becomes FORMERR. The common, well-formed query takes a faster road
// (plainQuery.ts); this reader is the reference it must agree with.

import * as packet from 'dns-packet';
import type { DnsRecord } from './records';

export type Transport = 'udp' | 'tcp';

/** The address family of the client, which decides when CoreDNS compresses a UDP answer. */
export type Family = 4 | 6;

const HEADER_SIZE = 12;
/** The smallest question (root name, type, class) and resource record (root name, fixed fields). */
const MIN_QUESTION_SIZE = 5;
const MIN_RR_SIZE = 11;
const QR = 0x8000;
export const OPCODE_QUERY = 0;
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
  /** The question's type and class as numbers, to echo them as they came. */
  qtype: number;
  qclass: number;
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
  const questionEnd = q ? roundTrips(buf, q) : -1;
  if (!q || questionEnd < 0) return reject('FORMERR');
  const opts = (decoded.additionals ?? []).filter(isOpt);
  if (opts.length > 1) return reject('FORMERR');
  const opt = opts[0];
  const question: WireQuestion = { name: q.name, type: q.type, class: q.class ?? 'IN' };
  const query: Query = {
    id,
    opcode,
    rd,
    cd,
    question,
    qtype: buf.readUInt16BE(questionEnd - 4),
    qclass: buf.readUInt16BE(questionEnd - 2),
    packet: decoded,
  };
  if (opt) query.edns = { udpPayloadSize: opt.udpPayloadSize, version: opt.ednsVersion, dnssecOk: (opt.flags & packet.DNSSEC_OK) !== 0 };
  return { kind: 'query', query };
}

/**
 * dns-packet turns labels into dot-joined text, so a label holding a dot or bytes that are not
 * UTF-8, a compressed question name, or a class it has no name for would not be echoed back
 * as sent. Such questions are refused as malformed rather than answered for another name.
 * Returns where the question ends in `buf`, or -1.
 */
function roundTrips(buf: Buffer, q: packet.Question): number {
  try {
    const again = packet.encode({ type: 'query', id: 0, flags: 0, questions: [q] }).subarray(HEADER_SIZE);
    const end = HEADER_SIZE + again.length;
    return buf.length >= end && again.equals(buf.subarray(HEADER_SIZE, end)) ? end : -1;
  } catch {
    return -1;
  }
}

/** The largest response the client can take: 512 bytes over UDP unless EDNS says more; 64 KiB over TCP. */
export function maxResponseSize(transport: Transport, edns: Edns | undefined): number {
  if (transport === 'tcp') return MAX_MESSAGE_SIZE;
  return Math.min(MAX_MESSAGE_SIZE, Math.max(MIN_UDP_SIZE, edns?.udpPayloadSize ?? MIN_UDP_SIZE));
}

/** An MX record, which only upstream answers carry. */
export interface MxRecord {
  name: string;
  ttl: number;
  type: 'MX';
  data: { preference: number; exchange: string };
}

/** A record kept as its RDATA bytes: upstream records whose data holds no compressible name. */
export interface OpaqueRecord {
  name: string;
  ttl: number;
  /** The type's mnemonic, so that the loadbalance plugin can group it. */
  type: string;
  code: number;
  /** The class field as sent, including the top bit. */
  class: number;
  rdata: Buffer;
}

export type WireRecord = DnsRecord | MxRecord | OpaqueRecord;

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
  /** The question echoed: its name as the client spelled it, its type and class as numbers. */
  question?: { name: string; type: number; class: number };
  answers: WireRecord[];
  authorities: WireRecord[];
  /** Additional records without any OPT record; `edns` adds that. */
  additionals: WireRecord[];
  /** Present when the request carried EDNS: the response then carries an OPT record too. */
  edns?: { udpPayloadSize: number; dnssecOk: boolean };
}
