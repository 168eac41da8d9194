// The cluster DNS server on a real port, asked by Node's own resolver (c-ares), by dig and by raw
// UDP and TCP clients, and flooded with hostile packets. The cluster behind it runs the real
// controllers on a fake clock, so the records come from Deployments, pods and EndpointSlices
// exactly as in the emulator.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { promises as dnsPromises } from 'node:dns';
import { connect, type Socket } from 'node:net';
import * as packet from 'dns-packet';
import { R } from '../../emulator/src/api/resources';
import type { Service } from '../../emulator/src/api/types';
import { FakeClock } from '../../emulator/src/clock';
import { startDnsServer, type RunningDnsServer } from '../../emulator/src/dns/dnsServer';
import { startEmulator } from '../../emulator/src/emulator';
import { expectsReply, hostilePackets, replyProblem } from '../unit/dns/hostilePackets';
import { deployment, get, podIPs, pods, runningCluster, type Running } from '../unit/controllers/controllerFixtures';

let cluster: Running;
let server: RunningDnsServer;
let resolver: dnsPromises.Resolver;

function svc(name: string, spec: Service['spec']): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec };
}

/** The record data of an answer (OPT records have none). */
function dataOf(a: packet.Answer): unknown {
  return 'data' in a ? a.data : undefined;
}

const httpPort = [{ name: 'http', port: 80, targetPort: 80 }];

before(async () => {
  cluster = runningCluster();
  cluster.client.create(R.deployments, deployment('web', 3));
  cluster.client.create(R.services, svc('web', { selector: { app: 'web' }, ports: httpPort }));
  cluster.client.create(R.services, svc('web-headless', { clusterIP: 'None', selector: { app: 'web' }, ports: httpPort }));
  cluster.client.create(R.services, svc('ext', { type: 'ExternalName', externalName: 'www.example.com' }));
  cluster.client.create(R.deployments, deployment('many', 40));
  cluster.client.create(R.services, svc('many', { clusterIP: 'None', selector: { app: 'many' }, ports: httpPort }));
  cluster.client.create(R.deployments, deployment('ten', 10));
  cluster.client.create(R.services, svc('ten-endpoints', { clusterIP: 'None', selector: { app: 'ten' }, ports: httpPort }));
  cluster.tick(2000);
  server = await startDnsServer({ source: cluster.store, clock: cluster.clock });
  resolver = new dnsPromises.Resolver({ timeout: 2000, tries: 2 });
  resolver.setServers([`${server.host}:${server.port}`]);
});

after(async () => {
  await server?.close();
});

function clusterIPOf(name: string): string {
  return get<Service>(cluster, R.services, name).spec.clusterIP ?? '';
}

function podIPsOf(app: string): string[] {
  return pods(cluster)
    .filter((p) => p.metadata.labels?.app === app)
    .map((p) => p.status?.podIP ?? '')
    .sort();
}

test('the resolver finds a ClusterIP Service, a headless Service and their SRV records', async () => {
  assert.deepEqual(await resolver.resolve4('web.default.svc.cluster.local'), [clusterIPOf('web')]);
  assert.deepEqual((await resolver.resolve4('web-headless.default.svc.cluster.local')).sort(), podIPsOf('web'));
  assert.deepEqual(await resolver.resolveSrv('_http._tcp.web.default.svc.cluster.local'), [
    { name: 'web.default.svc.cluster.local', port: 80, priority: 0, weight: 100 },
  ]);
  const srv = await resolver.resolveSrv('_http._tcp.web-headless.default.svc.cluster.local');
  assert.deepEqual(
    srv.map((s) => [s.name, s.port, s.weight]).sort(),
    podIPsOf('web').map((ip) => [`${ip.replaceAll('.', '-')}.web-headless.default.svc.cluster.local`, 80, 33]),
  );
});

test('reverse lookups name the Service of a cluster IP and every Service of a pod IP', async () => {
  const ip = clusterIPOf('web');
  assert.deepEqual(await resolver.reverse(ip), ['web.default.svc.cluster.local']);
  const podIP = podIPsOf('web')[0] ?? '';
  const dashed = podIP.replaceAll('.', '-');
  assert.deepEqual((await resolver.reverse(podIP)).sort(), [`${dashed}.web-headless.default.svc.cluster.local`, `${dashed}.web.default.svc.cluster.local`]);
});

test('an ExternalName Service is a CNAME; an unknown name is ENOTFOUND', async () => {
  assert.deepEqual(await resolver.resolveCname('ext.default.svc.cluster.local'), ['www.example.com']);
  await assert.rejects(resolver.resolve4('nope.default.svc.cluster.local'), { code: 'ENOTFOUND' });
  await assert.rejects(resolver.resolve4('web.nope.svc.cluster.local'), { code: 'ENOTFOUND' });
});

test('an answer too large for UDP is truncated and the resolver gets it whole over TCP', async () => {
  const ips = await resolver.resolve4('many.default.svc.cluster.local');
  assert.equal(ips.length, 40);
  assert.deepEqual(ips.sort(), podIPsOf('many'));
});

test('answers follow the cluster: a deleted pod is replaced and the headless answer changes with it', async () => {
  const before = podIPsOf('web');
  const victim = pods(cluster).find((p) => p.status?.podIP === before[0]);
  cluster.client.delete(R.pods, 'default', victim?.metadata.name ?? '');
  cluster.tick(3000);
  const afterIPs = podIPsOf('web');
  assert.notDeepEqual(afterIPs, before);
  assert.deepEqual((await resolver.resolve4('web-headless.default.svc.cluster.local')).sort(), afterIPs);
  assert.ok(podIPs(cluster).length >= 43);
});

/** A TCP connection that collects length-prefixed DNS messages. */
function tcpClient(port: number): Promise<{ socket: Socket; next(): Promise<packet.DecodedPacket>; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    const ready: packet.DecodedPacket[] = [];
    const waiting: ((p: packet.DecodedPacket) => void)[] = [];
    const closed = new Promise<void>((r) => socket.on('close', () => r()));
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const msg = packet.streamDecode(buf) as packet.DecodedPacket;
        buf = buf.subarray(2 + buf.readUInt16BE(0));
        const w = waiting.shift();
        if (w) w(msg);
        else ready.push(msg);
      }
    });
    socket.once('error', reject);
    socket.once('connect', () =>
      resolve({
        socket,
        closed,
        next: () => new Promise((r) => (ready.length > 0 ? r(ready.shift() as packet.DecodedPacket) : waiting.push(r))),
      }),
    );
  });
}

function q(name: string, type: packet.RecordType, id: number): packet.Packet {
  return { type: 'query', id, flags: packet.RECURSION_DESIRED, questions: [{ name, type, class: 'IN' }] };
}

test('TCP: several queries on one connection, pipelined and split across writes, each answered', async () => {
  const c = await tcpClient(server.port);
  const one = packet.streamEncode(q('web.default.svc.cluster.local', 'A', 1));
  const two = packet.streamEncode(q('_http._tcp.web.default.svc.cluster.local', 'SRV', 2));
  const three = packet.streamEncode(q('ext.default.svc.cluster.local', 'CNAME', 3));
  c.socket.write(Buffer.concat([one, two, three.subarray(0, 5)]));
  c.socket.write(three.subarray(5));
  const got = [await c.next(), await c.next(), await c.next()].sort((a, b) => (a.id ?? 0) - (b.id ?? 0));
  assert.deepEqual(
    got.map((m) => [m.id, m.answers?.[0]?.type]),
    [
      [1, 'A'],
      [2, 'SRV'],
      [3, 'CNAME'],
    ],
  );
  assert.deepEqual(got[0]?.answers?.map(dataOf), [clusterIPOf('web')]);
  c.socket.end();
  await c.closed;
});

test('hostile packets over UDP and TCP get FORMERR or nothing, and the server keeps answering', async () => {
  const udp = createSocket('udp4');
  const replies: packet.DecodedPacket[] = [];
  const gotFour = new Promise<void>((resolve) =>
    udp.on('message', (m) => {
      replies.push(packet.decode(m));
      if (replies.length === 4) resolve();
    }),
  );
  await new Promise<void>((r) => udp.bind(0, '127.0.0.1', () => r()));
  const header = (id: number, counts: number[], flags = 0x0100) => {
    const b = Buffer.alloc(12);
    b.writeUInt16BE(id, 0);
    b.writeUInt16BE(flags, 2);
    counts.forEach((c, i) => b.writeUInt16BE(c, 4 + 2 * i));
    return b;
  };
  const hostile = [
    Buffer.from('garbage'),
    Buffer.concat([header(11, [1, 0, 0, 0]), Buffer.from([0xc0, 12, 0, 1, 0, 1])]),
    Buffer.concat([header(12, [65535, 0, 0, 0]), Buffer.from([0, 0, 1, 0, 1])]),
    packet.encode({ type: 'response', id: 13, questions: [{ name: 'web.default.svc.cluster.local', type: 'A' }] }),
    Buffer.concat([header(14, [1, 0, 0, 0]), Buffer.from([40, 0x61])]),
    header(15, [0, 0, 0, 0], 5 << 11),
  ];
  for (const h of hostile) udp.send(h, server.port, '127.0.0.1');
  await gotFour;
  udp.close();
  assert.deepEqual(
    replies.map((r) => [r.id, (r.flags ?? 0) & 0xf]).sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0)),
    [
      [11, 1],
      [12, 1],
      [14, 1],
      [15, 4],
    ],
  );

  const c = await tcpClient(server.port);
  const frame = (body: Buffer) => Buffer.concat([Buffer.from([body.length >> 8, body.length & 0xff]), body]);
  c.socket.write(frame(Buffer.from('not dns')));
  c.socket.write(frame(Buffer.alloc(0)));
  c.socket.write(frame(Buffer.concat([header(21, [1, 0, 0, 0]), Buffer.from([0xc0, 12, 0, 1, 0, 1])])));
  c.socket.write(packet.streamEncode(q('web.default.svc.cluster.local', 'A', 22)));
  const formerr = await c.next();
  const good = await c.next();
  assert.deepEqual([formerr.id, (formerr.flags ?? 0) & 0xf], [21, 1]);
  assert.deepEqual([good.id, good.answers?.map(dataOf)], [22, [clusterIPOf('web')]]);
  c.socket.destroy();

  assert.deepEqual(await resolver.resolve4('web.default.svc.cluster.local'), [clusterIPOf('web')]);
});

test('a TCP connection that goes silent after a query is closed when the idle timeout passes on the clock', async () => {
  const clock = new FakeClock();
  const quick = await startDnsServer({ source: cluster.store, clock, tcpIdleTimeoutMs: 8000 });
  try {
    const c = await tcpClient(quick.port);
    c.socket.write(packet.streamEncode(q('web.default.svc.cluster.local', 'A', 9)));
    assert.equal((await c.next()).id, 9);
    c.socket.write(Buffer.from([0x01])); // half of a length prefix, then nothing
    clock.advance(8000);
    await c.closed;
    assert.equal(c.socket.destroyed, true);
  } finally {
    await quick.close();
  }
});

/** dig's output for a question, or undefined when dig is not installed. */
function dig(port: number, args: string[]): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    execFile('dig', ['@127.0.0.1', '-p', String(port), '+tries=1', '+time=5', ...args], (err, stdout) => {
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') resolve(undefined);
      else if (err) reject(err);
      else resolve(stdout);
    });
  });
}

test('dig gets a 10-endpoint headless answer whole over plain UDP: compressed names make it fit 512 bytes', async (t) => {
  const out = await dig(server.port, ['ten-endpoints.default.svc.cluster.local', 'A', '+noedns', '+ignore']);
  if (out === undefined) {
    t.skip('dig is not installed');
    return;
  }
  assert.match(out, /;; flags: qr aa rd; QUERY: 1, ANSWER: 10, AUTHORITY: 0, ADDITIONAL: 0/);
  const size = Number(/MSG SIZE\s+rcvd: (\d+)/.exec(out)?.[1]);
  assert.ok(size <= 512, `${size} bytes`);
  const answers = [...out.matchAll(/^ten-endpoints\.default\.svc\.cluster\.local\.\s+30\s+IN\s+A\s+(\S+)$/gm)].map((m) => m[1]);
  assert.deepEqual(answers.sort(), podIPsOf('ten'));
});

test('the emulator never forwards unless told to: an out-of-zone name is REFUSED, an unknown reverse name NXDOMAIN', async () => {
  const emulator = await startEmulator({ hostPorts: false, log: () => undefined });
  try {
    const ask = (name: string, type: packet.RecordType) =>
      new Promise<packet.DecodedPacket>((resolve, reject) => {
        const socket = createSocket('udp4');
        socket.once('error', reject);
        socket.once('message', (m) => {
          socket.close();
          resolve(packet.decode(m));
        });
        socket.send(packet.encode(q(name, type, 77)), emulator.dns.port, emulator.dns.host);
      });
    const out = await ask('example.com', 'A');
    assert.deepEqual([(out.flags ?? 0) & 0xf, out.flag_aa, out.answers], [5, false, []]);
    const reverse = await ask('8.8.8.8.in-addr.arpa', 'PTR');
    assert.deepEqual([(reverse.flags ?? 0) & 0xf, reverse.authorities?.[0]?.type], [3, 'SOA']);
  } finally {
    await emulator.stop();
  }
});

interface FloodRun {
  problems: string[];
  replies: number;
  realSent: number;
  realAnswered: number;
}

/** The ID a real query carries: above the IDs a burst gives its hostile packets. */
const REAL_ID = 0xfff0;

/**
 * Sends `packets` in bursts, each followed by a real query, and reads the replies up to the
 * real one: the server answers in order, so by then every hostile packet of the burst has had
 * its reply, or none. UDP bursts stay small enough for the socket buffers, so nothing is lost.
 */
async function flood(port: number, transport: 'udp' | 'tcp', packets: Buffer[], real: Buffer, realIPs: string[]): Promise<FloodRun> {
  const run: FloodRun = { problems: [], replies: 0, realSent: 0, realAnswered: 0 };
  const burst = transport === 'udp' ? 20 : 200;
  const judge = (sent: Buffer[], replies: Buffer[]) => {
    const byId = new Map<number, Buffer>();
    for (const r of replies) {
      const id = r.length >= 2 ? r.readUInt16BE(0) : -1;
      if (id === REAL_ID) {
        const answer = packet.decode(r);
        run.realAnswered++;
        if (JSON.stringify(answer.answers?.map(dataOf)) !== JSON.stringify(realIPs)) run.problems.push(`real query answered ${JSON.stringify(answer.answers)}`);
        continue;
      }
      if (byId.has(id)) run.problems.push(`two replies with ID ${id}`);
      byId.set(id, r);
    }
    sent.forEach((bytes, id) => {
      const reply = byId.get(id);
      run.replies += reply ? 1 : 0;
      if (!reply && expectsReply(bytes)) run.problems.push(`no reply to ${bytes.toString('hex')}`);
      const problem = reply && replyProblem(bytes, reply);
      if (problem) run.problems.push(`${problem}: ${bytes.toString('hex')} -> ${reply?.toString('hex')}`);
    });
  };
  const withIds = (chunk: Buffer[]) => chunk.map((b, id) => (b.length >= 2 ? Buffer.concat([Buffer.from([id >> 8, id & 0xff]), b.subarray(2)]) : b));

  if (transport === 'udp') {
    const socket = createSocket('udp4');
    await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
    let replies: Buffer[] = [];
    let realArrived: () => void = () => undefined;
    socket.on('message', (m) => {
      replies.push(m);
      if (m.length >= 2 && m.readUInt16BE(0) === REAL_ID) realArrived();
    });
    for (let i = 0; i < packets.length; i += burst) {
      const sent = withIds(packets.slice(i, i + burst));
      const arrived = new Promise<void>((r) => (realArrived = r));
      for (const b of sent) socket.send(b, port, '127.0.0.1');
      socket.send(real, port, '127.0.0.1');
      run.realSent++;
      await arrived;
      judge(sent, replies);
      replies = [];
    }
    socket.close();
    return run;
  }

  for (let i = 0; i < packets.length; i += burst) {
    const sent = withIds(packets.slice(i, i + burst));
    const c = await tcpConnection(port);
    const frame = (b: Buffer) => Buffer.concat([Buffer.from([b.length >> 8, b.length & 0xff]), b]);
    c.socket.write(Buffer.concat([...sent.map(frame), frame(real)]));
    run.realSent++;
    const replies: Buffer[] = [];
    for (;;) {
      const m = await c.nextRaw();
      replies.push(m);
      if (m.length >= 2 && m.readUInt16BE(0) === REAL_ID) break;
    }
    c.socket.end();
    await c.closed;
    judge(sent, replies);
  }
  return run;
}

/** A TCP connection that collects length-prefixed messages as raw bytes. */
function tcpConnection(port: number): Promise<{ socket: Socket; nextRaw(): Promise<Buffer>; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    const ready: Buffer[] = [];
    const waiting: ((m: Buffer) => void)[] = [];
    const closed = new Promise<void>((r) => socket.on('close', () => r()));
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const m = buf.subarray(2, 2 + buf.readUInt16BE(0));
        buf = buf.subarray(2 + m.length);
        const w = waiting.shift();
        if (w) w(m);
        else ready.push(m);
      }
    });
    socket.once('error', reject);
    socket.once('connect', () =>
      resolve({
        socket,
        closed,
        nextRaw: () => new Promise((r) => (ready.length > 0 ? r(ready.shift() as Buffer) : waiting.push(r))),
      }),
    );
  });
}

test('a flood of hostile packets over UDP and TCP, mixed with real queries: each gets its due and every real query its answer', { timeout: 300_000 }, async (t) => {
  const udpPackets = hostilePackets(10_000, 1);
  const tcpPackets = hostilePackets(10_000, 2);
  const webIP = clusterIPOf('web');
  const real = packet.encode(q('web.default.svc.cluster.local', 'A', REAL_ID));
  const udpRun = await flood(server.port, 'udp', udpPackets, real, [webIP]);
  const tcpRun = await flood(server.port, 'tcp', tcpPackets, real, [webIP]);
  for (const run of [udpRun, tcpRun]) {
    assert.deepEqual(run.problems.slice(0, 5), []);
    assert.equal(run.realAnswered, run.realSent);
  }
  // Connections that break the framing: random bytes, or a length promising more than comes.
  for (const junk of [Buffer.from([0xff, 0xff, 1, 2, 3]), ...hostilePackets(50, 3)]) {
    const c = await tcpClient(server.port);
    c.socket.end(junk);
    await c.closed;
  }
  assert.deepEqual(await resolver.resolve4('web.default.svc.cluster.local'), [webIP]);
  const total = udpPackets.length + tcpPackets.length;
  t.diagnostic(`${total} hostile packets (${udpPackets.length} UDP, ${tcpPackets.length} TCP), ${udpRun.realSent + tcpRun.realSent} real queries interleaved, ${udpRun.replies + tcpRun.replies} replies checked`);
});

test('UDP and TCP share the port, and close() releases both', async () => {
  const s = await startDnsServer({ source: cluster.store });
  const port = s.port;
  await s.close();
  const again = await startDnsServer({ source: cluster.store, port });
  try {
    assert.equal(again.port, port);
    const r = new dnsPromises.Resolver({ timeout: 1000, tries: 1 });
    r.setServers([`127.0.0.1:${port}`]);
    assert.deepEqual(await r.resolve4('web.default.svc.cluster.local'), [clusterIPOf('web')]);
    const c = await tcpClient(port);
    c.socket.write(packet.streamEncode(q('web.default.svc.cluster.local', 'A', 5)));
    assert.equal((await c.next()).id, 5);
    c.socket.destroy();
  } finally {
    await again.close();
  }
});
