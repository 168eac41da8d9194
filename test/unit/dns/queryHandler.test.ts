// From request bytes to response bytes: header flags, EDNS, truncation to the client's buffer,
// and hostile input (truncated messages, pointer loops, absurd counts, responses, other
// opcodes, random bytes), which is answered with FORMERR or NOTIMP or dropped, never thrown.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as packet from 'dns-packet';
import { R } from '../../../emulator/src/api/resources';
import { createQueryHandler } from '../../../emulator/src/dns/queryHandler';
import { seededRand } from '../helpers/testCluster';
import { dnsWorld, endpoint, headless, seedCluster, slice } from './dnsFixtures';

const world = dnsWorld((store) => {
  seedCluster(store);
  store.create(R.services, headless('default', 'big', [{ name: 'http', port: 80, protocol: 'TCP' }]));
  const eps = Array.from({ length: 50 }, (_, i) => endpoint(`10.244.1.${i + 1}`));
  store.create(R.endpointslices, slice('default', 'big-x', 'big', eps, [{ name: 'http', port: 80, protocol: 'TCP' }]));
});
const handle = createQueryHandler({ data: world.index, loadBalance: false });

function query(name: string, type: packet.RecordType, opts: { id?: number; flags?: number; edns?: number; ednsVersion?: number } = {}): Buffer {
  const additionals: packet.Answer[] = [];
  if (opts.edns !== undefined) {
    additionals.push({ type: 'OPT', name: '.', udpPayloadSize: opts.edns, extendedRcode: 0, ednsVersion: opts.ednsVersion ?? 0, flags: 0, flag_do: false, options: [] });
  }
  return packet.encode({ type: 'query', id: opts.id ?? 4242, flags: opts.flags ?? packet.RECURSION_DESIRED, questions: [{ name, type, class: 'IN' }], additionals });
}

/** A header with the given counts and flags, followed by `body`. */
function raw(counts: [number, number, number, number], body: number[] = [], flags = 0x0100, id = 777): Buffer {
  const b = Buffer.alloc(12 + body.length);
  b.writeUInt16BE(id, 0);
  b.writeUInt16BE(flags, 2);
  counts.forEach((c, i) => b.writeUInt16BE(c, 4 + 2 * i));
  Buffer.from(body).copy(b, 12);
  return b;
}

async function ask(bytes: Buffer, transport: 'udp' | 'tcp' = 'udp'): Promise<packet.DecodedPacket | undefined> {
  const out = await handle(bytes, transport);
  if (!out) return undefined;
  return packet.decode(transport === 'tcp' ? out.subarray(2) : out);
}

function rcodeOf(p: packet.DecodedPacket): number {
  return (p.flags ?? 0) & 0xf;
}

test('an answer copies the ID, the question (in its case) and RD, sets AA, and leaves RA unset as CoreDNS does', async () => {
  const r = await ask(query('Web.Default.svc.cluster.local', 'A', { id: 31337 }));
  assert.ok(r);
  assert.equal(r.id, 31337);
  assert.equal(r.type, 'response');
  assert.deepEqual([r.flag_aa, r.flag_rd, r.flag_ra, r.flag_tc], [true, true, false, false]);
  assert.deepEqual(r.questions, [{ name: 'Web.Default.svc.cluster.local', type: 'A', class: 'IN' }]);
  assert.deepEqual(r.answers, [{ name: 'Web.Default.svc.cluster.local', type: 'A', ttl: 30, class: 'IN', flush: false, data: '10.96.0.20' }]);
  assert.deepEqual(r.additionals, []);
});

test('negative answers carry the SOA; out-of-zone names are REFUSED without AA', async () => {
  const nx = await ask(query('nope.default.svc.cluster.local', 'A'));
  assert.ok(nx);
  assert.equal(rcodeOf(nx), 3);
  assert.equal(nx.flag_aa, true);
  assert.equal(nx.authorities?.[0]?.type, 'SOA');
  const refused = await ask(query('example.com', 'A'));
  assert.ok(refused);
  assert.equal(rcodeOf(refused), 5);
  assert.equal(refused.flag_aa, false);
  assert.deepEqual(refused.questions, [{ name: 'example.com', type: 'A', class: 'IN' }]);
});

test('EDNS: the OPT record comes back with the client size; a version other than 0 gets BADVERS', async () => {
  const r = await ask(query('web.default.svc.cluster.local', 'A', { edns: 1232 }));
  const opt = r?.additionals?.find((a) => a.type === 'OPT') as packet.OptAnswer | undefined;
  assert.equal(opt?.udpPayloadSize, 1232);
  assert.equal(opt?.ednsVersion, 0);

  const bad = await ask(query('web.default.svc.cluster.local', 'A', { edns: 1232, ednsVersion: 1 }));
  assert.ok(bad);
  const badOpt = bad.additionals?.find((a) => a.type === 'OPT') as packet.OptAnswer | undefined;
  // BADVERS is 16: 0 in the header, 1 in the OPT record's extended rcode.
  assert.equal(rcodeOf(bad), 0);
  assert.equal(badOpt?.extendedRcode, 1);
  assert.deepEqual(bad.answers, []);
});

test('a UDP answer larger than 512 bytes (or the EDNS size) is truncated with TC; over TCP it is whole', async () => {
  const plain = await handle(query('big.default.svc.cluster.local', 'A'), 'udp');
  assert.ok(plain && plain.length <= 512);
  const small = packet.decode(plain);
  assert.equal(small.flag_tc, true);
  assert.ok((small.answers?.length ?? 0) > 0 && (small.answers?.length ?? 0) < 50);

  const edns = await ask(query('big.default.svc.cluster.local', 'A', { edns: 4096 }));
  assert.equal(edns?.flag_tc, false);
  assert.equal(edns?.answers?.length, 50);

  const tiny = await handle(query('big.default.svc.cluster.local', 'A', { edns: 100 }), 'udp');
  assert.ok(tiny && tiny.length <= 512, 'an EDNS size below 512 counts as 512');

  const tcp = await handle(query('big.default.svc.cluster.local', 'A'), 'tcp');
  assert.ok(tcp);
  assert.equal(tcp.readUInt16BE(0), tcp.length - 2);
  const whole = packet.streamDecode(tcp) as packet.DecodedPacket;
  assert.equal(whole.flag_tc, false);
  assert.equal(whole.answers?.length, 50);
});

test('messages without a header, and responses, are dropped', async () => {
  assert.equal(await handle(Buffer.alloc(0), 'udp'), undefined);
  assert.equal(await handle(Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]), 'udp'), undefined);
  const response = packet.encode({ type: 'response', id: 9, flags: packet.AUTHORITATIVE_ANSWER, questions: [{ name: 'web.default.svc.cluster.local', type: 'A' }] });
  assert.equal(await handle(response, 'udp'), undefined);
});

test('malformed queries get FORMERR with their ID and no question', async () => {
  const valid = query('web.default.svc.cluster.local', 'A');
  const cases: [string, Buffer][] = [
    ['no question', raw([0, 0, 0, 0])],
    ['two questions', packet.encode({ type: 'query', id: 777, questions: [{ name: 'a', type: 'A' }, { name: 'b', type: 'A' }] })],
    ['truncated in the question', Buffer.concat([raw([1, 0, 0, 0]), valid.subarray(12, 20)])],
    ['a name pointing at itself', raw([1, 0, 0, 0], [0xc0, 12, 0, 1, 0, 1])],
    ['two pointers pointing at each other', raw([1, 0, 0, 0], [0xc0, 14, 0xc0, 12, 0, 1, 0, 1])],
    ['qdcount 65535', raw([65535, 0, 0, 0], [0, 0, 1, 0, 1])],
    ['65535 additional records', raw([1, 0, 0, 65535], [0, 0, 1, 0, 1])],
    ['an answer count of 2 in a query', raw([1, 2, 0, 0], [0, 0, 1, 0, 1])],
    ['a label length past the end', raw([1, 0, 0, 0], [63, 0x61, 0x62, 0, 0, 1, 0, 1])],
    ['a label holding a dot', raw([1, 0, 0, 0], [3, 0x61, 0x2e, 0x62, 0, 0, 1, 0, 1])],
    ['a label that is not UTF-8', raw([1, 0, 0, 0], [2, 0xff, 0xfe, 0, 0, 1, 0, 1])],
    ['two OPT records', Buffer.concat([raw([1, 0, 0, 2]), valid.subarray(12), Buffer.from([0, 0, 41, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 41, 4, 0, 0, 0, 0, 0, 0, 0])])],
  ];
  for (const [what, bytes] of cases) {
    const r = await ask(bytes);
    assert.ok(r, what);
    assert.equal(r.id, 777, what);
    assert.equal(rcodeOf(r), 1, what);
    assert.deepEqual([r.questions, r.answers], [[], []], what);
  }
});

test('opcodes other than QUERY get NOTIMP, with the opcode echoed', async () => {
  for (const opcode of [1, 2, 4, 5, 15]) {
    const r = await ask(raw([1, 0, 0, 0], [0, 0, 1, 0, 1], opcode << 11));
    assert.ok(r);
    assert.equal(rcodeOf(r), 4, `opcode ${opcode}`);
    assert.equal(((r.flags ?? 0) >> 11) & 0xf, opcode);
  }
});

test('random bytes and bit-flipped queries never throw: each gets a well-formed answer with its ID, or nothing', async () => {
  const rand = seededRand(2024);
  const base = query('_http._tcp.hdls.default.svc.cluster.local', 'SRV', { edns: 1232 });
  let answered = 0;
  for (let i = 0; i < 3000; i++) {
    let bytes: Buffer;
    if (i % 2 === 0) {
      bytes = Buffer.from(Array.from({ length: Math.floor(rand() * 80) }, () => Math.floor(rand() * 256)));
    } else {
      bytes = Buffer.from(base);
      for (let f = 0; f < 1 + Math.floor(rand() * 4); f++) bytes[Math.floor(rand() * bytes.length)] ^= 1 << Math.floor(rand() * 8);
    }
    for (const transport of ['udp', 'tcp'] as const) {
      const out = await handle(bytes, transport);
      if (!out) continue;
      answered++;
      const r = transport === 'tcp' ? (packet.streamDecode(out) as packet.DecodedPacket) : packet.decode(out);
      assert.equal(r.type, 'response');
      assert.equal(r.id, bytes.readUInt16BE(0));
    }
  }
  assert.ok(answered > 1000, `answered ${answered}`);
});

test('like the loadbalance plugin, address records come in a new order each time, after any CNAME', async () => {
  const balanced = createQueryHandler({ data: world.index, rand: seededRand(5) });
  const firsts = new Set<unknown>();
  for (let i = 0; i < 20; i++) {
    const out = await balanced(query('hdls.default.svc.cluster.local', 'A'), 'udp');
    assert.ok(out);
    const answers = packet.decode(out).answers ?? [];
    assert.deepEqual(answers.map((a) => ('data' in a ? a.data : '')).sort(), ['10.244.0.2', '10.244.0.3', '10.244.0.4']);
    const first = answers[0];
    firsts.add(first && 'data' in first ? first.data : undefined);
  }
  assert.equal(firsts.size, 3);
  const out = await balanced(query('ext-in.default.svc.cluster.local', 'A'), 'udp');
  assert.deepEqual(
    packet.decode(out ?? Buffer.alloc(0)).answers?.map((a) => a.type),
    ['CNAME', 'A'],
  );
});
