// Forwarding what the cluster zone does not hold, against fake upstream resolvers on loopback:
// out-of-zone names, reverse-zone misses (the `fallthrough`), ExternalName targets, upstreams
// that stay silent or send replies that do not belong to the question.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import * as packet from 'dns-packet';
import { Forwarder, parseUpstream, resolvConfServers, type Upstream } from '../../../emulator/src/dns/forwarder';
import { createQueryHandler } from '../../../emulator/src/dns/queryHandler';
import { dnsWorld } from './dnsFixtures';

interface FakeUpstream extends Upstream {
  asked: packet.DecodedPacket[];
  close(): void;
}

const sockets: Socket[] = [];
after(() => {
  for (const s of sockets) s.close();
});

/** A UDP resolver on 127.0.0.1 that answers each query with what `reply` returns (nothing: silence). */
function fakeUpstream(reply: (q: packet.DecodedPacket) => packet.Packet[]): Promise<FakeUpstream> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    sockets.push(socket);
    const asked: packet.DecodedPacket[] = [];
    socket.on('message', (msg, rinfo) => {
      const q = packet.decode(msg);
      asked.push(q);
      for (const p of reply(q)) socket.send(packet.encode(p), rinfo.port, rinfo.address);
    });
    socket.bind(0, '127.0.0.1', () => resolve({ host: '127.0.0.1', port: socket.address().port, asked, close: () => socket.close() }));
  });
}

function answerWith(q: packet.DecodedPacket, answers: packet.Answer[], rcode = 0): packet.Packet {
  return {
    type: 'response',
    id: q.id,
    flags: packet.RECURSION_DESIRED | packet.RECURSION_AVAILABLE | rcode,
    questions: q.questions,
    answers,
  };
}

function query(name: string, type: packet.RecordType, id = 500): Buffer {
  return packet.encode({ type: 'query', id, flags: packet.RECURSION_DESIRED, questions: [{ name, type, class: 'IN' }] });
}

const world = dnsWorld();

/** The record data of an answer (OPT records have none). */
function dataOf(a: packet.Answer): unknown {
  return 'data' in a ? a.data : undefined;
}

function handlerFor(servers: Upstream[], opts: { timeoutMs?: number; maxConcurrent?: number } = {}) {
  const forwarder = new Forwarder({ servers, timeoutMs: opts.timeoutMs ?? 1000, maxConcurrent: opts.maxConcurrent });
  const handle = createQueryHandler({ data: world.index, forwarder, loadBalance: false });
  return async (bytes: Buffer) => {
    const out = await handle(bytes, 'udp');
    assert.ok(out);
    return packet.decode(out);
  };
}

test('upstream addresses come from `ip[:port]` strings and from resolv.conf nameserver lines', () => {
  assert.deepEqual(parseUpstream('10.0.0.1'), { host: '10.0.0.1', port: 53 });
  assert.deepEqual(parseUpstream('10.0.0.1:5353'), { host: '10.0.0.1', port: 5353 });
  assert.deepEqual(parseUpstream('[fd00::1]:53'), { host: 'fd00::1', port: 53 });
  assert.deepEqual(parseUpstream('fd00::1'), { host: 'fd00::1', port: 53 });
  assert.equal(parseUpstream('dns.example.com'), undefined);
  assert.equal(parseUpstream('10.0.0.1:99999'), undefined);
  const conf = '# comment\nsearch example.com\nnameserver 10.255.255.53\nnameserver fe80::1%eth0\noptions ndots:5\nnameserver bogus\n';
  assert.deepEqual(resolvConfServers(conf), [
    { host: '10.255.255.53', port: 53 },
    { host: 'fe80::1', port: 53 },
  ]);
});

test('an out-of-zone name is forwarded: the upstream answer comes back with the client ID and the upstream flags', async () => {
  const up = await fakeUpstream((q) => [answerWith(q, [{ name: 'example.org', type: 'A', ttl: 300, data: '192.0.2.10' }])]);
  const ask = handlerFor([up]);
  const r = await ask(query('Example.org', 'A', 4711));
  assert.equal(r.id, 4711);
  assert.deepEqual([r.flag_aa, r.flag_ra, r.flag_rd], [false, true, true]);
  assert.deepEqual(r.questions, [{ name: 'Example.org', type: 'A', class: 'IN' }]);
  assert.deepEqual(r.answers?.map((a) => [a.name, a.type, 'ttl' in a ? a.ttl : undefined, dataOf(a)]), [['example.org', 'A', 300, '192.0.2.10']]);
  assert.equal(up.asked.length, 1);
  assert.notEqual(up.asked[0]?.id, 4711, 'the upstream sees a fresh ID');
  assert.equal(up.asked[0]?.flag_rd, true);

  // Names the cluster holds never reach the upstream.
  await ask(query('web.default.svc.cluster.local', 'A'));
  await ask(query('20.0.96.10.in-addr.arpa', 'PTR'));
  assert.equal(up.asked.length, 1);
});

test('a reverse name the cluster does not know falls through to the upstream', async () => {
  const up = await fakeUpstream((q) => [answerWith(q, [{ name: q.questions?.[0]?.name ?? '', type: 'PTR', ttl: 60, data: 'host.example.net' }])]);
  const ask = handlerFor([up]);
  const r = await ask(query('9.9.244.10.in-addr.arpa', 'PTR'));
  assert.deepEqual(r.answers?.map(dataOf), ['host.example.net']);
  const local = await ask(query('4.0.244.10.in-addr.arpa', 'PTR'));
  assert.deepEqual(local.answers?.map(dataOf), ['web-0.hdls.default.svc.cluster.local']);
  assert.equal(up.asked.length, 1);
});

test("an ExternalName's target outside the zone is resolved upstream and its records follow the CNAME", async () => {
  const up = await fakeUpstream((q) => [answerWith(q, [{ name: 'www.example.com', type: 'A', ttl: 120, data: '192.0.2.80' }])]);
  const ask = handlerFor([up]);
  const r = await ask(query('ext.default.svc.cluster.local', 'A'));
  assert.equal(r.flag_aa, true);
  assert.deepEqual(r.answers?.map((a) => [a.name, a.type, dataOf(a)]), [
    ['ext.default.svc.cluster.local', 'CNAME', 'www.example.com'],
    ['www.example.com', 'A', '192.0.2.80'],
  ]);
  assert.deepEqual(up.asked.map((q) => q.questions?.[0]?.name), ['www.example.com']);
});

test('replies with the wrong ID or question are ignored; a silent upstream is skipped for the next one', async () => {
  const silent = await fakeUpstream(() => []);
  const noisy = await fakeUpstream((q) => [
    { ...answerWith(q, [{ name: 'example.org', type: 'A', ttl: 1, data: '203.0.113.66' }]), id: ((q.id ?? 0) + 1) & 0xffff },
    answerWith({ ...q, questions: [{ name: 'evil.example', type: 'A' }] }, [{ name: 'evil.example', type: 'A', ttl: 1, data: '203.0.113.66' }]),
    answerWith(q, [{ name: 'example.org', type: 'A', ttl: 300, data: '192.0.2.10' }]),
  ]);
  const ask = handlerFor([silent, noisy], { timeoutMs: 150 });
  const r = await ask(query('example.org', 'A'));
  assert.equal((r.flags ?? 0) & 0xf, 0);
  assert.deepEqual(r.answers?.map(dataOf), ['192.0.2.10']);
  assert.equal(silent.asked.length, 1);
});

test('when no upstream answers the client gets SERVFAIL; beyond the concurrency limit, REFUSED', async () => {
  const silent = await fakeUpstream(() => []);
  const ask = handlerFor([silent], { timeoutMs: 100, maxConcurrent: 1 });
  const [first, second] = await Promise.all([ask(query('a.example', 'A', 1)), ask(query('b.example', 'A', 2))]);
  assert.equal((first.flags ?? 0) & 0xf, 2);
  assert.equal((second.flags ?? 0) & 0xf, 5);
  assert.deepEqual(first.questions, [{ name: 'a.example', type: 'A', class: 'IN' }]);
});

test('forwarded answers are asked for every time, never cached; their records of any type come back intact', async () => {
  const txt = [Buffer.from('v=spf1 -all'), Buffer.from([0xff, 0x00, 0x7f])];
  const up = await fakeUpstream((q) => [
    answerWith(q, [
      { name: 'example.org', type: 'MX', ttl: 300, data: { preference: 10, exchange: 'mail.example.org' } },
      { name: 'example.org', type: 'TXT', ttl: 300, data: txt },
      { name: 'example.org', type: 'CAA', ttl: 300, data: { flags: 0, tag: 'issue', value: 'letsencrypt.org', issuerCritical: false } },
    ]),
  ]);
  const ask = handlerFor([up]);
  for (const id of [1, 2]) {
    const r = await ask(query('example.org', 'MX', id));
    assert.equal(r.id, id);
    assert.deepEqual(
      r.answers?.map((a) => [a.name, a.type, dataOf(a)]),
      [
        ['example.org', 'MX', { preference: 10, exchange: 'mail.example.org' }],
        ['example.org', 'TXT', txt],
        ['example.org', 'CAA', { flags: 0, tag: 'issue', value: 'letsencrypt.org', issuerCritical: false }],
      ],
    );
  }
  assert.equal(up.asked.length, 2);
});
