// Responses on the wire as CoreDNS sends them: uncompressed while they fit, compressed (owner
// names, CNAME/NS/PTR/SOA data; never SRV targets) when they do not or when a UDP answer would
// be fragmented, truncated record by record with the OPT record kept and TC set.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as packet from 'dns-packet';
import { limitsFor, writeMessage, type WriteLimits } from '../../../emulator/src/dns/messageWriter';
import type { DnsRecord } from '../../../emulator/src/dns/records';
import type { ResponseParts, WireRecord } from '../../../emulator/src/dns/wire';

const QNAME = 'headless-web.default.svc.cluster.local';

function parts(answers: WireRecord[], extra: Partial<ResponseParts> = {}): ResponseParts {
  return {
    id: 4321,
    opcode: 0,
    rcode: 0,
    aa: true,
    tc: false,
    rd: true,
    ra: false,
    cd: false,
    question: { name: QNAME, type: 1, class: 1 },
    answers,
    authorities: [],
    additionals: [],
    ...extra,
  };
}

function a(name: string, ip: string): DnsRecord {
  return { name, ttl: 30, type: 'A', data: ip };
}

const addresses = (n: number, name = QNAME + '.'): DnsRecord[] => Array.from({ length: n }, (_, i) => a(name, `10.244.1.${i + 1}`));
const udp: WriteLimits = limitsFor('udp', 4, undefined);
const tcp: WriteLimits = limitsFor('tcp', 4, undefined);

test('a response that fits is sent uncompressed, byte for byte what dns-packet writes', () => {
  const records = addresses(5);
  const p = parts(records, { edns: { udpPayloadSize: 1232, dnssecOk: true } });
  const written = writeMessage(p, limitsFor('udp', 4, { udpPayloadSize: 1232, version: 0, dnssecOk: true }));
  const expected = packet.encode({
    type: 'response',
    id: 4321,
    flags: packet.AUTHORITATIVE_ANSWER | packet.RECURSION_DESIRED,
    questions: [{ name: QNAME, type: 'A', class: 'IN' }],
    answers: records.map((r) => ({ name: r.name, ttl: 30, type: 'A' as const, data: String(r.data) })),
    additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 1232, extendedRcode: 0, ednsVersion: 0, flags: packet.DNSSEC_OK, flag_do: true, options: [] }],
  });
  assert.equal(written.truncated, false);
  assert.equal(written.bytes.toString('hex'), expected.toString('hex'));
});

test('a response too large for 512 bytes is compressed, so a 10-endpoint headless answer fits without TC', () => {
  const ten = writeMessage(parts(addresses(10)), udp);
  // Uncompressed, the ten records take 10 × 46 bytes; compressed, each owner is a 2-byte pointer to the question.
  assert.equal(ten.truncated, false);
  assert.equal(ten.bytes.length, 12 + (QNAME.length + 2 + 4) + 10 * (2 + 10 + 4));
  const decoded = packet.decode(ten.bytes);
  assert.equal(decoded.flag_tc, false);
  assert.deepEqual(
    decoded.answers?.map((r) => [r.name, r.type === 'A' ? r.data : '']),
    addresses(10).map((r) => [QNAME, r.type === 'A' ? r.data : '']),
  );
  assert.equal(ten.bytes.readUInt16BE(12 + QNAME.length + 2 + 4), 0xc00c);
});

test('when even the compressed answer does not fit, records are kept while they fit, TC is set and the OPT record stays', () => {
  const edns = { udpPayloadSize: 512, dnssecOk: false };
  const written = writeMessage(parts(addresses(50), { edns }), limitsFor('udp', 4, { ...edns, version: 0 }));
  const decoded = packet.decode(written.bytes);
  const questionSize = QNAME.length + 2 + 4;
  const fit = Math.floor((512 - 11 - 12 - questionSize) / 16);
  assert.equal(decoded.answers?.length, fit);
  assert.equal(decoded.flag_tc, true);
  assert.equal(written.truncated, true);
  assert.ok(written.bytes.length <= 512);
  assert.deepEqual(
    decoded.additionals?.map((r) => r.type),
    ['OPT'],
  );
});

test('the first record that does not fit ends the message, though a later, smaller one would fit', () => {
  const soa: DnsRecord = {
    name: 'cluster.local.',
    ttl: 30,
    type: 'SOA',
    data: {
      mname: 'ns.dns.cluster.local.',
      rname: 'hostmaster.' + 'x'.repeat(60) + '.cluster.local.',
      serial: 1,
      refresh: 7200,
      retry: 1800,
      expire: 86400,
      minimum: 30,
    },
  };
  const p = parts(addresses(25), { authorities: [soa], additionals: [a('glue.cluster.local.', '10.0.0.1')] });
  const decoded = packet.decode(writeMessage(p, udp).bytes);
  assert.deepEqual([decoded.answers?.length, decoded.authorities?.length, decoded.additionals?.length, decoded.flag_tc], [25, 0, 0, true]);
});

test('SRV targets are written in full but remembered, so the glue records that follow point at them', () => {
  const targets = Array.from({ length: 4 }, (_, i) => `10-244-1-${i + 1}.headless-web.default.svc.cluster.local.`);
  const srv: DnsRecord[] = targets.map((target) => ({
    name: `_http._tcp.${QNAME}.`,
    ttl: 30,
    type: 'SRV',
    data: { priority: 0, weight: 8, port: 80, target },
  }));
  const glue = targets.map((t, i) => a(t, `10.244.1.${i + 1}`));
  const written = writeMessage(parts(srv, { question: { name: `_http._tcp.${QNAME}`, type: 33, class: 1 }, additionals: glue }), udp);
  const bytes = written.bytes;
  const decoded = packet.decode(bytes);
  assert.deepEqual(
    decoded.answers?.map((r) => (r.type === 'SRV' ? r.data.target : '')),
    targets.map((t) => t.slice(0, -1)),
  );
  // Each target's first label appears once, in its SRV record: the glue owner is a pointer.
  for (const t of targets) {
    const label = Buffer.from([t.indexOf('.'), ...Buffer.from(t.slice(0, t.indexOf('.')))]);
    assert.equal(bytes.indexOf(label), bytes.lastIndexOf(label), t);
  }
  assert.equal(written.truncated, false);
  assert.deepEqual(
    decoded.additionals?.map((r) => r.name),
    targets.map((t) => t.slice(0, -1)),
  );
});

test('compression is case-sensitive like miekg/dns: a name spelled as in the question points at it', () => {
  const asked = 'Headless-Web.Default.svc.cluster.local';
  const p = parts([a(asked + '.', '10.0.0.1'), a(QNAME + '.', '10.0.0.2'), ...addresses(20, asked + '.')], { question: { name: asked, type: 1, class: 1 } });
  const decoded = packet.decode(writeMessage(p, udp).bytes);
  assert.deepEqual(
    decoded.answers?.slice(0, 2).map((r) => r.name),
    [asked, QNAME],
  );
  assert.deepEqual(decoded.questions?.[0]?.name, asked);
});

test('a UDP answer longer than 1480 bytes (1220 for IPv6 clients) is compressed though it fits; a TCP answer is not', () => {
  const p = parts(addresses(40), { edns: { udpPayloadSize: 4096, dnssecOk: false } });
  const edns = { udpPayloadSize: 4096, version: 0, dnssecOk: false };
  const whole = 12 + QNAME.length + 6 + 40 * (QNAME.length + 2 + 14) + 11;
  assert.ok(whole > 1480 && whole <= 4096);
  assert.ok(writeMessage(p, limitsFor('udp', 4, edns)).bytes.length < 1000);
  assert.equal(writeMessage(p, limitsFor('tcp', 4, edns)).bytes.length, whole);
  const mid = parts(addresses(25), { edns: { udpPayloadSize: 4096, dnssecOk: false } });
  const midSize = 12 + QNAME.length + 6 + 25 * (QNAME.length + 2 + 14) + 11;
  assert.ok(midSize > 1220 && midSize <= 1480);
  assert.equal(writeMessage(mid, limitsFor('udp', 4, edns)).bytes.length, midSize);
  assert.ok(writeMessage(mid, limitsFor('udp', 6, edns)).bytes.length < midSize);
});

test('over TCP a message stays whole up to 64 KiB', () => {
  const written = writeMessage(parts(addresses(250)), tcp);
  assert.equal(written.truncated, false);
  assert.equal(packet.decode(written.bytes).answers?.length, 250);
});

test('names a DNS label cannot hold are refused with an error, not written corrupt', () => {
  assert.throws(() => writeMessage(parts([a('x'.repeat(64) + '.cluster.local.', '10.0.0.1')]), udp), /1 to 63/);
  assert.throws(() => writeMessage(parts([a('a..cluster.local.', '10.0.0.1')]), udp), /1 to 63/);
  assert.throws(() => writeMessage(parts([a('web.cluster.local.', '10.0.0.300')]), udp), /not an IPv4 address/);
});

test('records from upstream that carry no compressible name are copied as their bytes', () => {
  const rdata = Buffer.from([0, 1, 0, 0, 1, 0, 4, 0x0a, 0, 0, 1]);
  const opaque: WireRecord = { name: 'example.com.', ttl: 60, type: 'HTTPS', code: 65, class: 1, rdata };
  const bytes = writeMessage(parts([opaque]), udp).bytes;
  const decoded = packet.decode(bytes);
  assert.equal(decoded.answers?.[0]?.type, 'UNKNOWN_65');
  assert.ok(bytes.subarray(bytes.length - rdata.length).equals(rdata));
});
