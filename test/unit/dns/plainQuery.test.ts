// Which messages take the fast road, and which cached answer they may share: the key must
// tell apart everything the answer depends on, and refuse every message the careful reader
// would read differently.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as packet from 'dns-packet';
import { readPlainQuery, type PlainQuery } from '../../../emulator/src/dns/plainQuery';
import { readQuery } from '../../../emulator/src/dns/wire';

interface Shape {
  id?: number;
  name?: string;
  type?: packet.RecordType;
  flags?: number;
  edns?: { size: number; version?: number; dnssecOk?: boolean; options?: packet.PacketOpt[] };
}

function query(s: Shape = {}): Buffer {
  const additionals: packet.Answer[] = s.edns
    ? [
        {
          type: 'OPT',
          name: '.',
          udpPayloadSize: s.edns.size,
          extendedRcode: 0,
          ednsVersion: s.edns.version ?? 0,
          flags: s.edns.dnssecOk ? packet.DNSSEC_OK : 0,
          flag_do: s.edns.dnssecOk ?? false,
          options: s.edns.options ?? [],
        },
      ]
    : [];
  return packet.encode({
    type: 'query',
    id: s.id ?? 1,
    flags: s.flags ?? packet.RECURSION_DESIRED,
    questions: [{ name: s.name ?? 'web.default.svc.cluster.local', type: s.type ?? 'A', class: 'IN' }],
    additionals,
  });
}

/** A key as one comparable string. */
function keyOf(buf: Buffer, variant: 0 | 1 | 2 = 0): string | undefined {
  const k: PlainQuery | undefined = readPlainQuery(buf, variant);
  return k && `${k.meta}:${buf.subarray(12, k.questionEnd).toString('hex')}`;
}

const cookie: packet.PacketOpt = { code: 10, data: Buffer.from('0123456789abcdef', 'hex') } as unknown as packet.PacketOpt;

test('queries as dig, dnsperf and resolvers send them take the fast road; the ID and EDNS cookies are not part of the key', () => {
  const plain = keyOf(query());
  assert.ok(plain);
  assert.equal(keyOf(query({ id: 999 })), plain);
  const dig = keyOf(query({ edns: { size: 1232, options: [cookie] } }));
  assert.ok(dig);
  assert.equal(keyOf(query({ id: 5, edns: { size: 1232 } })), dig);
});

test('everything an answer depends on is in the key', () => {
  const keys = [
    keyOf(query()),
    keyOf(query({ name: 'Web.default.svc.cluster.local' })),
    keyOf(query({ type: 'AAAA' })),
    keyOf(query({ flags: 0 })),
    keyOf(query({ flags: packet.RECURSION_DESIRED | packet.CHECKING_DISABLED })),
    keyOf(query({ edns: { size: 1232 } })),
    keyOf(query({ edns: { size: 4096 } })),
    keyOf(query({ edns: { size: 4096, dnssecOk: true } })),
    keyOf(query({ edns: { size: 4096, version: 1 } })),
    keyOf(query(), 1),
    keyOf(query(), 2),
  ];
  assert.ok(keys.every((k) => k !== undefined));
  assert.equal(new Set(keys).size, keys.length);
});

test('unusual messages get no key and take the careful road', () => {
  const base = query();
  const edit = (f: (b: Buffer) => void, from: Buffer = base) => {
    const b = Buffer.from(from);
    f(b);
    return b;
  };
  const cases: [string, Buffer][] = [
    ['a response', edit((b) => (b[2] = (b[2] ?? 0) | 0x80))],
    ['opcode NOTIFY', edit((b) => (b[2] = (b[2] ?? 0) | (4 << 3)))],
    ['no question', edit((b) => b.writeUInt16BE(0, 4))],
    ['five questions', edit((b) => b.writeUInt16BE(5, 4))],
    ['an answer record', edit((b) => b.writeUInt16BE(1, 6))],
    ['two additional records', edit((b) => b.writeUInt16BE(2, 10))],
    ['a byte after the question', Buffer.concat([base, Buffer.from([0])])],
    ['a question cut short', base.subarray(0, base.length - 1)],
    ['a compressed question name', Buffer.concat([base.subarray(0, 12), Buffer.from([0xc0, 12, 0, 1, 0, 1])])],
    ['a label holding a dot', query({ name: 'a.b' }).fill(0x2e, 13, 14)],
    ['a label holding a space', query({ name: 'a b.cluster.local' })],
    ['a label that is not ASCII', query({ name: 'été.cluster.local' })],
    ['class CH', edit((b) => b.writeUInt16BE(3, b.length - 2))],
    ['a name of 255 bytes', query({ name: Array.from({ length: 64 }, () => 'abc').join('.') })],
    [
      'an EDNS client-subnet option',
      query({ edns: { size: 1232, options: [{ code: 8, family: 1, sourcePrefixLength: 24, scopePrefixLength: 0, ip: '10.0.0.0' }] } }),
    ],
    ['an OPT record whose length runs past the end', edit((b) => b.writeUInt16BE(40, b.length - 2), query({ edns: { size: 1232 } }))],
    ['an OPT option whose length runs past the end', edit((b) => b.writeUInt16BE(200, b.length - 10), query({ edns: { size: 1232, options: [cookie] } }))],
    ['an additional record that is not OPT', edit((b) => b.writeUInt16BE(1, b.length - 10), query({ edns: { size: 1232 } }))],
    ['a header alone', base.subarray(0, 12)],
  ];
  for (const [what, bytes] of cases) assert.equal(readPlainQuery(bytes, 0), undefined, what);
});

test('whatever takes the fast road, the careful reader reads as a query with the same question bytes', () => {
  const base = [query(), query({ edns: { size: 1232, options: [cookie] } }), query({ name: '_http._tcp.hdls.default.svc.cluster.local', type: 'SRV' })];
  const mutated = fc.tuple(
    fc.constantFrom(...base),
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { maxLength: 3 }),
    fc.oneof({ arbitrary: fc.constant(null), weight: 4 }, { arbitrary: fc.nat(), weight: 1 }),
  );
  let fast = 0;
  fc.assert(
    fc.property(mutated, ([from, flips, cut]) => {
      const bytes = Buffer.from(from);
      for (const [at, bit] of flips) bytes[at % bytes.length] = (bytes[at % bytes.length] ?? 0) ^ (1 << bit);
      const message = cut === null ? bytes : bytes.subarray(0, cut % (bytes.length + 1));
      const key = readPlainQuery(message, 0);
      if (!key) return;
      fast++;
      const read = readQuery(message);
      assert.equal(read.kind, 'query');
      if (read.kind !== 'query') return;
      const question = read.query.packet.questions ?? [];
      const again = packet.encode({ type: 'query', id: 0, questions: question }).subarray(12);
      assert.equal(again.toString('hex'), message.subarray(12, key.questionEnd).toString('hex'));
    }),
    { numRuns: 5000, seed: 8 },
  );
  assert.ok(fast > 1000, `only ${fast} mutated queries took the fast road`);
});
