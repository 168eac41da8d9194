// Hostile DNS messages for fuzzing the server, and the judge of the reply each one gets. The
// judge follows miekg/dns's acceptance rules (the server library under CoreDNS): no header or a
// response (QR set) is dropped; an opcode other than QUERY gets NOTIMP with the opcode echoed;
// a question count other than one, or more than one answer or authority record, or more than
// two additional records, gets FORMERR without a question; anything else gets a response with
// its ID, and a question, when there is one, echoed byte for byte.

import fc from 'fast-check';
import * as packet from 'dns-packet';

function query(name: string, type: packet.RecordType, additionals: packet.Answer[] = []): Buffer {
  return packet.encode({ type: 'query', id: 0, flags: packet.RECURSION_DESIRED, questions: [{ name, type, class: 'IN' }], additionals });
}

function opt(size: number, extra: Partial<packet.OptAnswer> = {}): packet.OptAnswer {
  return { type: 'OPT', name: '.', udpPayloadSize: size, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [], ...extra };
}

const glue: packet.Answer = { name: 'web.default.svc.cluster.local', type: 'A', ttl: 30, data: '10.96.0.1' };
const cookie = { code: 10, data: Buffer.from('0011223344556677', 'hex') } as unknown as packet.PacketOpt;

/** Well-formed queries the mutations start from. */
const bases: Buffer[] = [
  query('web.default.svc.cluster.local', 'A'),
  query('web.default.svc.cluster.local', 'A', [opt(1232, { options: [cookie] })]),
  query('_http._tcp.web-headless.default.svc.cluster.local', 'SRV', [opt(4096)]),
  query('many.default.svc.cluster.local', 'A'),
  query('20.0.96.10.in-addr.arpa', 'PTR'),
  query('example.com', 'AAAA'),
];

/** A 12-byte header with these flags and counts. */
function header(flags: number, counts: readonly number[]): Buffer {
  const b = Buffer.alloc(12);
  b.writeUInt16BE(flags, 2);
  counts.forEach((c, i) => b.writeUInt16BE(c & 0xffff, 4 + 2 * i));
  return b;
}

const base = fc.constantFrom(...bases);
const u16 = fc.integer({ min: 0, max: 0xffff });

function withBytes(from: Buffer, edit: (b: Buffer) => void): Buffer {
  const b = Buffer.from(from);
  edit(b);
  return b;
}

const kinds: fc.Arbitrary<Buffer>[] = [
  // Random bytes of any length, and too few for a header.
  fc.uint8Array({ maxLength: 600 }).map((a) => Buffer.from(a)),
  fc.uint8Array({ maxLength: 11 }).map((a) => Buffer.from(a)),
  // A real query with bits flipped, or cut short.
  fc
    .tuple(base, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 8 }))
    .map(([b, flips]) => withBytes(b, (x) => flips.forEach(([at, bit]) => (x[at % x.length] = (x[at % x.length] ?? 0) ^ (1 << bit))))),
  fc.tuple(base, fc.nat()).map(([b, n]) => b.subarray(0, n % b.length)),
  // Counts that lie, including no question and five.
  fc.tuple(base, u16, u16, u16, u16).map(([b, ...counts]) => withBytes(b, (x) => counts.forEach((c, i) => x.writeUInt16BE(c, 4 + 2 * i)))),
  fc.tuple(base, fc.constantFrom(0, 5)).map(([b, qd]) => withBytes(b, (x) => x.writeUInt16BE(qd, 4))),
  // Real records where a query may carry at most one answer, one authority, two additional.
  fc.constantFrom(
    packet.encode({ type: 'query', id: 0, questions: [{ name: 'web.default.svc.cluster.local', type: 'A' }], answers: [glue, glue] }),
    packet.encode({ type: 'query', id: 0, questions: [{ name: 'web.default.svc.cluster.local', type: 'A' }], authorities: [glue, glue] }),
    packet.encode({ type: 'query', id: 0, questions: [{ name: 'web.default.svc.cluster.local', type: 'A' }], additionals: [glue, glue, opt(1232)] }),
    packet.encode({ type: 'query', id: 0, questions: [{ name: 'web.default.svc.cluster.local', type: 'A' }], additionals: [glue, opt(1232)] }),
  ),
  // Compression pointers that loop, point forward or past the end.
  fc
    .constantFrom([0xc0, 12], [0xc0, 14, 0xc0, 12], [1, 0x61, 0xc0, 12], [0xc0, 0xff], [0xc0, 13], [0xff, 0xff])
    .map((name) => Buffer.concat([header(0x0100, [1, 0, 0, 0]), Buffer.from([...name, 0, 1, 0, 1])])),
  // Names of hundreds of one-byte labels, over the 255-byte limit or just under it.
  fc
    .integer({ min: 100, max: 300 })
    .map((n) => Buffer.concat([header(0x0100, [1, 0, 0, 0]), Buffer.from([...Array.from({ length: n }, () => [1, 0x61]).flat(), 0, 0, 1, 0, 1])])),
  // Other opcodes, and responses.
  fc.tuple(base, fc.integer({ min: 1, max: 15 })).map(([b, op]) => withBytes(b, (x) => (x[2] = ((x[2] ?? 0) & 0x87) | (op << 3)))),
  base.map((b) => withBytes(b, (x) => (x[2] = (x[2] ?? 0) | 0x80))),
  // EDNS oddities: other versions, a zero payload size, two OPT records, an option running past the end.
  fc.integer({ min: 1, max: 255 }).map((v) => query('web.default.svc.cluster.local', 'A', [opt(1232, { ednsVersion: v })])),
  fc.constant(query('web.default.svc.cluster.local', 'A', [opt(0)])),
  fc.constant(query('web.default.svc.cluster.local', 'A', [opt(1232), opt(512)])),
  fc.constant(withBytes(query('web.default.svc.cluster.local', 'A', [opt(1232, { options: [cookie] })]), (x) => x.writeUInt16BE(0x4000, x.length - 10))),
];

/** `count` hostile messages, the same ones for the same seed. */
export function hostilePackets(count: number, seed: number): Buffer[] {
  return fc.sample(fc.oneof(...kinds), { numRuns: count, seed });
}

/** Whether the server must answer this message at all. */
export function expectsReply(sent: Buffer): boolean {
  return sent.length >= 12 && ((sent[2] ?? 0) & 0x80) === 0;
}

/** The length of the uncompressed question at offset 12 of `message`, or -1. */
function questionLength(message: Buffer): number {
  let off = 12;
  while (off < message.length && message[off] !== 0) {
    if (((message[off] ?? 0) & 0xc0) !== 0) return -1;
    off += (message[off] ?? 0) + 1;
  }
  return off + 5 <= message.length ? off + 5 - 12 : -1;
}

/** What is wrong with `reply` as the answer to `sent`; undefined when nothing is. */
export function replyProblem(sent: Buffer, reply: Buffer): string | undefined {
  if (!expectsReply(sent)) return 'a message without a header, or a response, got a reply';
  let r: packet.DecodedPacket;
  try {
    r = packet.decode(reply);
  } catch (err) {
    return `the reply does not decode: ${(err as Error).message}`;
  }
  if (r.type !== 'response' || r.id !== sent.readUInt16BE(0)) return 'the reply is not a response with the query ID';
  const opcode = ((sent[2] ?? 0) >> 3) & 0xf;
  const rcode = (r.flags ?? 0) & 0xf;
  const questions = r.questions ?? [];
  if ((((r.flags ?? 0) >> 11) & 0xf) !== opcode) return 'the opcode is not echoed';
  if (opcode !== 0) return rcode === 4 ? undefined : `opcode ${opcode} got rcode ${rcode}, not NOTIMP`;
  const [qd, an, ns, ar] = [4, 6, 8, 10].map((at) => sent.readUInt16BE(at)) as [number, number, number, number];
  if (qd !== 1 || an > 1 || ns > 1 || ar > 2) return rcode === 1 && questions.length === 0 ? undefined : `counts ${qd}/${an}/${ns}/${ar} did not get FORMERR`;
  if (rcode === 1) return questions.length === 0 ? undefined : 'FORMERR came with a question';
  const length = questionLength(reply);
  if (questions.length !== 1 || length < 0) return `rcode ${rcode} came without the question`;
  if (!reply.subarray(12, 12 + length).equals(sent.subarray(12, 12 + length))) return 'the question is not echoed as it was sent';
  return undefined;
}
