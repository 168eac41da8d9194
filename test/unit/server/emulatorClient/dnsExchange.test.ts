// One DNS exchange against a fake server on loopback (UDP and TCP on one port) under the two
// policies in use: dig's, which reports the first failure, and a stub resolver's, which keeps
// trying (silence over UDP goes to TCP, a truncated answer stands when TCP gives nothing).

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { createServer, type Server, type Socket as TcpSocket } from 'node:net';
import * as packet from 'dns-packet';
import { DnsExchangeError, exchange, type DnsFailure, type ExchangePolicy } from '../../../../server/src/emulatorClient/dnsExchange';

const report: ExchangePolicy = { timeoutMs: 100, udpTries: 2, tcpTimeoutMs: 200, ednsUdpSize: 1232, persist: false };
const persist: ExchangePolicy = { timeoutMs: 100, udpTries: 2, tcpTimeoutMs: 200, persist: true };

/** What the fake answers one query with: a raw message, or nothing (silence over UDP, a close over TCP). */
type Reply = (q: packet.DecodedPacket) => Buffer | undefined;

interface FakeDns {
  host: string;
  port: number;
  udpQueries: packet.DecodedPacket[];
  tcpQueries: packet.DecodedPacket[];
}

const closers: (() => void)[] = [];
after(() => {
  for (const close of closers) close();
});

function answer(q: packet.DecodedPacket, address: string, truncated = false): Buffer {
  return packet.encode({
    type: 'response',
    id: q.id,
    flags: packet.AUTHORITATIVE_ANSWER | (truncated ? packet.TRUNCATED_RESPONSE : 0),
    questions: q.questions,
    answers: [{ type: 'A', name: q.questions![0]!.name, ttl: 30, data: address }],
  });
}

/** A TCP DNS server (length-prefixed messages) that answers the first query on each connection. */
function tcpServer(reply: Reply, queries: packet.DecodedPacket[]): Server {
  return createServer((sock: TcpSocket) => {
    sock.on('error', () => sock.destroy());
    sock.once('data', (chunk: Buffer) => {
      const q = packet.decode(chunk.subarray(2));
      queries.push(q);
      const raw = reply(q);
      if (!raw) return void sock.end();
      const len = Buffer.alloc(2);
      len.writeUInt16BE(raw.length);
      sock.end(Buffer.concat([len, raw]));
    });
  });
}

/** A DNS server on one loopback port; `tcp: false` leaves TCP closed on that port. */
async function fakeDns(udp: Reply, tcp: Reply | false): Promise<FakeDns> {
  const udpQueries: packet.DecodedPacket[] = [];
  const tcpQueries: packet.DecodedPacket[] = [];
  // UDP takes a free port; TCP, when wanted, takes the same number, which a few tries find.
  for (let attempt = 0; attempt < 5; attempt++) {
    const sock = createSocket('udp4');
    sock.on('message', (msg, rinfo) => {
      const q = packet.decode(msg);
      udpQueries.push(q);
      const raw = udp(q);
      if (raw) sock.send(raw, rinfo.port, rinfo.address);
    });
    await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', resolve));
    const port = sock.address().port;
    if (tcp === false) {
      closers.push(() => sock.close());
      return { host: '127.0.0.1', port, udpQueries, tcpQueries };
    }
    const server = tcpServer(tcp, tcpQueries);
    const listening = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (listening) {
      closers.push(() => {
        sock.close();
        server.close();
      });
      return { host: '127.0.0.1', port, udpQueries, tcpQueries };
    }
    sock.close();
  }
  throw new Error('no loopback port was free for both UDP and TCP');
}

function failure(expected: DnsFailure) {
  return (err: unknown): boolean => {
    assert.ok(err instanceof DnsExchangeError, String(err));
    assert.equal(err.failure, expected);
    return true;
  };
}

test('an answer over UDP is decoded with its size; dig asks with EDNS, the resolver without', async () => {
  const dns = await fakeDns((q) => answer(q, '10.96.0.7'), false);
  const dig = await exchange(dns, 'web.default.svc.cluster.local', 'A', report, { id: 4242 });
  assert.equal(dig.response.id, 4242);
  assert.deepEqual(dig.response.answers?.map((a) => a.type === 'A' && a.data), ['10.96.0.7']);
  assert.equal(dig.size, answer(dns.udpQueries[0]!, '10.96.0.7').length);
  assert.deepEqual(dns.udpQueries[0]!.additionals?.map((a) => a.type), ['OPT']);
  await exchange(dns, 'web.default.svc.cluster.local', 'A', persist);
  assert.deepEqual(dns.udpQueries[1]!.additionals, []);
});

test('a truncated UDP answer is asked again over TCP', async () => {
  const dns = await fakeDns((q) => answer(q, '10.96.0.7', true), (q) => answer(q, '10.96.0.8'));
  const got = await exchange(dns, 'web', 'A', report);
  assert.equal(got.response.flag_tc, false);
  assert.deepEqual(got.response.answers?.map((a) => a.type === 'A' && a.data), ['10.96.0.8']);
  assert.equal(dns.tcpQueries.length, 1);
});

test('when TCP gives nothing after truncation, the resolver keeps the truncated answer and dig fails', async () => {
  const dns = await fakeDns((q) => answer(q, '10.96.0.7', true), () => undefined);
  const kept = await exchange(dns, 'web', 'A', persist);
  assert.equal(kept.response.flag_tc, true);
  await assert.rejects(exchange(dns, 'web', 'A', report), failure('silent'));
});

test('silence over UDP: dig gives up after its tries, the resolver asks over TCP', async () => {
  const silentUdp = await fakeDns(() => undefined, (q) => answer(q, '10.96.0.8'));
  await assert.rejects(exchange(silentUdp, 'web', 'A', report), failure('silent'));
  assert.equal(silentUdp.udpQueries.length, 2);
  assert.equal(silentUdp.tcpQueries.length, 0);
  const got = await exchange(silentUdp, 'web', 'A', persist);
  assert.deepEqual(got.response.answers?.map((a) => a.type === 'A' && a.data), ['10.96.0.8']);
});

test('a refused TCP connection is a socket error for dig and silence for the resolver', async () => {
  const noTcp = await fakeDns(() => undefined, false);
  await assert.rejects(exchange(noTcp, 'web', 'A', report, { tcp: true }), (err: unknown) => {
    failure('socket')(err);
    assert.match((err as DnsExchangeError).detail, /ECONNREFUSED/);
    return true;
  });
  await assert.rejects(exchange(noTcp, 'web', 'A', persist), failure('silent'));
});

test('an answer that is not a DNS message fails with its size', async () => {
  const dns = await fakeDns((q) => Buffer.concat([Buffer.from([q.id! >> 8, q.id! & 0xff]), Buffer.from([0x81])]), false);
  await assert.rejects(exchange(dns, 'web', 'A', persist), (err: unknown) => {
    failure('malformed')(err);
    assert.equal((err as DnsExchangeError).size, 3);
    return true;
  });
});

test('a port out of range is a socket error, not a crash', async () => {
  await assert.rejects(exchange({ host: '127.0.0.1', port: 70000 }, 'web', 'A', report), failure('socket'));
});
