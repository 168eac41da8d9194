// The answer cache, seen through the query handler: a cached answer is byte for byte the
// answer a fresh handler gives (ID, question case, flags, EDNS, truncation, the loadbalance
// shuffle drawn from the same random sequence), it follows the cluster as soon as the cluster
// changes, and it stays within its budget.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as packet from 'dns-packet';
import { R } from '../../../emulator/src/api/resources';
import type { Pod } from '../../../emulator/src/api/types';
import { AnswerCache, type CachedAnswer } from '../../../emulator/src/dns/answerCache';
import { readPlainQuery } from '../../../emulator/src/dns/plainQuery';
import { createQueryHandler, type QueryHandler } from '../../../emulator/src/dns/queryHandler';
import { seededRand } from '../helpers/testCluster';
import { clusterIP, dnsWorld, endpoint, headless, namespace, seedCluster, slice } from './dnsFixtures';

const world = dnsWorld((store) => {
  seedCluster(store);
  store.create(R.services, headless('default', 'big', [{ name: 'http', port: 80, protocol: 'TCP' }]));
  const eps = Array.from({ length: 50 }, (_, i) => endpoint(`10.244.1.${i + 1}`));
  store.create(R.endpointslices, slice('default', 'big-x', 'big', eps, [{ name: 'http', port: 80, protocol: 'TCP' }]));
});

interface Shape {
  id: number;
  name: string;
  type: packet.RecordType;
  flags: number;
  edns?: number;
  dnssecOk?: boolean;
}

function query(s: Shape): Buffer {
  const additionals: packet.Answer[] =
    s.edns === undefined
      ? []
      : [
          {
            type: 'OPT',
            name: '.',
            udpPayloadSize: s.edns,
            extendedRcode: 0,
            ednsVersion: 0,
            flags: s.dnssecOk ? packet.DNSSEC_OK : 0,
            flag_do: !!s.dnssecOk,
            options: [],
          },
        ];
  return packet.encode({ type: 'query', id: s.id, flags: s.flags, questions: [{ name: s.name, type: s.type, class: 'IN' }], additionals });
}

async function bytesOf(handle: QueryHandler, q: Buffer, transport: 'udp' | 'tcp' = 'udp'): Promise<Buffer> {
  const out = await handle(q, transport);
  assert.ok(out);
  return out;
}

const names = [
  'web.default.svc.cluster.local',
  'hdls.default.svc.cluster.local',
  'big.default.svc.cluster.local',
  '_http._tcp.hdls.default.svc.cluster.local',
  '_http._tcp.big.default.svc.cluster.local',
  'ext-in.default.svc.cluster.local',
  'nope.default.svc.cluster.local',
  'dns-version.cluster.local',
  'cluster.local',
  '2.0.244.10.in-addr.arpa',
  'example.com',
];

/**
 * Queries that differ from one another in one thing at a time (the name's spelling, type, RD
 * and CD, EDNS size and DO), so that a key missing any of them would hand one the other's answer.
 */
const pool: Shape[] = [];
for (const name of [...names, 'Web.Default.svc.cluster.local', 'HDLS.default.svc.cluster.local']) {
  for (const type of ['A', 'SRV', 'TXT'] as const) {
    for (const flags of [0, packet.RECURSION_DESIRED, packet.RECURSION_DESIRED | packet.CHECKING_DISABLED]) {
      for (const edns of [undefined, 512, 4096]) {
        pool.push({ id: 0, name, type, flags, edns });
        if (edns === 4096) pool.push({ id: 0, name, type, flags, edns, dnssecOk: true });
      }
    }
  }
}

test('a cached answer is byte for byte what a fresh handler answers, shuffles included', async () => {
  const seed = 99;
  const cached = createQueryHandler({ data: world.index, rand: seededRand(seed) });
  const picks = fc.tuple(fc.nat(pool.length - 1), fc.integer({ min: 0, max: 0xffff }), fc.constantFrom<'udp' | 'tcp'>('udp', 'tcp'));
  const sequence = fc.sample(picks, { numRuns: 4000, seed: 5 });
  // The fresh side gets a new handler (and so an empty cache) for every query, all drawing
  // from one random sequence, as the cached handler does.
  const rand = seededRand(seed);
  for (const [index, id, transport] of sequence) {
    const shape = { ...(pool[index] as Shape), id };
    const q = query(shape);
    const fresh = createQueryHandler({ data: world.index, rand });
    assert.equal(
      (await bytesOf(cached, q, transport)).toString('hex'),
      (await bytesOf(fresh, q, transport)).toString('hex'),
      JSON.stringify({ shape, transport }),
    );
  }
});

test('the question comes back as it was spelled, though the name was cached in another spelling', async () => {
  const handle = createQueryHandler({ data: world.index, loadBalance: false });
  await bytesOf(handle, query({ id: 1, name: 'web.default.svc.cluster.local', type: 'A', flags: 0 }));
  const r = packet.decode(await bytesOf(handle, query({ id: 2, name: 'WEB.Default.svc.cluster.local', type: 'A', flags: 0 })));
  assert.equal(r.id, 2);
  assert.deepEqual(
    r.questions?.map((q) => q.name),
    ['WEB.Default.svc.cluster.local'],
  );
  assert.deepEqual(
    r.answers?.map((a) => a.name),
    ['WEB.Default.svc.cluster.local'],
  );
});

test('the loadbalance order changes from reply to reply while the answer is cached, whole or truncated', async () => {
  const handle = createQueryHandler({ data: world.index, rand: seededRand(3) });
  const firsts = new Set<string>();
  for (let i = 0; i < 30; i++) {
    const r = packet.decode(await bytesOf(handle, query({ id: i, name: 'hdls.default.svc.cluster.local', type: 'A', flags: 0 })));
    const ips = (r.answers ?? []).map((a) => (a.type === 'A' ? a.data : ''));
    assert.deepEqual([...ips].sort(), ['10.244.0.2', '10.244.0.3', '10.244.0.4']);
    firsts.add(ips[0] ?? '');
  }
  assert.equal(firsts.size, 3);

  // 50 addresses do not fit 512 bytes even compressed: each reply is a different random subset.
  const subsets = new Set<string>();
  for (let i = 0; i < 5; i++) {
    const r = packet.decode(await bytesOf(handle, query({ id: i, name: 'big.default.svc.cluster.local', type: 'A', flags: 0 })));
    assert.equal(r.flag_tc, true);
    const ips = (r.answers ?? []).map((a) => (a.type === 'A' ? a.data : ''));
    assert.equal(new Set(ips).size, ips.length);
    subsets.add([...ips].sort().join());
  }
  assert.equal(subsets.size, 5);

  // SRV answers keep their order; their glue records in the additional section are shuffled.
  const glueOrders = new Set<string>();
  for (let i = 0; i < 20; i++) {
    const r = packet.decode(await bytesOf(handle, query({ id: i, name: '_http._tcp.hdls.default.svc.cluster.local', type: 'SRV', flags: 0, edns: 1232 })));
    glueOrders.add((r.additionals ?? []).map((a) => a.name).join());
  }
  assert.ok(glueOrders.size > 1);
});

test('answers follow the cluster: a new Service, a deleted endpoint, a new namespace are seen at the next query', async () => {
  const w = dnsWorld();
  const handle = createQueryHandler({ data: w.index, loadBalance: false });
  const ask = async (name: string) => {
    const r = packet.decode(await bytesOf(handle, query({ id: 7, name, type: 'A', flags: 0 })));
    return [(r.flags ?? 0) & 0xf, ...(r.answers ?? []).map((a) => (a.type === 'A' ? a.data : a.type))];
  };
  assert.deepEqual(await ask('late.default.svc.cluster.local'), [3]);
  w.store.create(R.services, clusterIP('default', 'late', ['10.96.0.77'], [{ name: 'http', port: 80, protocol: 'TCP' }]));
  assert.deepEqual(await ask('late.default.svc.cluster.local'), [0, '10.96.0.77']);

  assert.deepEqual((await ask('hdls.default.svc.cluster.local')).length, 4);
  w.store.delete(R.endpointslices, 'default', 'hdls-v4');
  assert.deepEqual(await ask('hdls.default.svc.cluster.local'), [0]);

  assert.deepEqual(await ask('fresh.svc.cluster.local'), [3]);
  w.store.create(R.namespaces, namespace('fresh'));
  assert.deepEqual(await ask('fresh.svc.cluster.local'), [0]);
});

test('in verified pod mode, a pod that goes away takes its name with it at once', async () => {
  const w = dnsWorld();
  const handle = createQueryHandler({ data: w.index, loadBalance: false, lookup: { podMode: 'verified' } });
  const rcode = async () =>
    (packet.decode(await bytesOf(handle, query({ id: 1, name: '10-244-0-4.default.pod.cluster.local', type: 'A', flags: 0 }))).flags ?? 0) & 0xf;
  assert.equal(await rcode(), 0);
  const pod = w.store.get(R.pods, 'default', 'web-0') as Pod;
  w.store.update(R.pods, { ...pod, metadata: { ...pod.metadata, deletionTimestamp: '2026-11-26T08:00:05Z' } });
  assert.equal(await rcode(), 3);
});

test('the cache keeps at most its number of entries and its bytes, dropping the oldest first', () => {
  const cache = new AnswerCache(3, 1000);
  const answer = (size: number): CachedAnswer => ({ kind: 'fixed', bytes: Buffer.alloc(size) });
  const q = (n: number) => query({ id: 1, name: `n${n}.cluster.local`, type: 'A', flags: 0 });
  const key = (n: number) => readPlainQuery(q(n), 0) ?? assert.fail('not a plain query');
  for (let n = 0; n < 5; n++) cache.set(q(n), key(n), answer(10), 1);
  assert.equal(cache.size, 3);
  assert.equal(cache.get(q(0), key(0), 1), undefined);
  assert.ok(cache.get(q(4), key(4), 1));
  cache.set(q(5), key(5), answer(960), 1);
  assert.equal(cache.size, 1, 'a large answer pushes out older ones to stay within the bytes');
  cache.set(q(6), key(6), answer(5000), 1);
  assert.equal(cache.get(q(6), key(6), 1), undefined, 'an answer larger than the whole budget is not kept');
  assert.equal(cache.get(q(5), key(5), 2), undefined, 'a new generation empties the cache');
  assert.equal(cache.size, 0);
});
