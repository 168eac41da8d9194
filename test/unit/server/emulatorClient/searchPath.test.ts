// The candidates a pod's resolver tries (ndots 5 and the ClusterFirst search list) and the
// search loop both front ends share, with each one's rule for which failure to report.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveThroughSearchPath, searchCandidates, type CandidateLookup } from '../../../../server/src/emulatorClient/searchPath';

test('a short name is tried with each search domain first and as given last', () => {
  assert.deepEqual(searchCandidates('web', 'shop'), ['web.shop.svc.cluster.local', 'web.svc.cluster.local', 'web.cluster.local', 'web']);
  assert.deepEqual(searchCandidates('web.default', 'shop', 'lab.internal'), ['web.default.shop.svc.lab.internal', 'web.default.svc.lab.internal', 'web.default.lab.internal', 'web.default']);
});

test('a name with ndots dots is tried as given first; a trailing dot means only as given', () => {
  assert.equal(searchCandidates('a.b.c.d.e.f', 'shop')[0], 'a.b.c.d.e.f');
  assert.equal(searchCandidates('web.default.svc.cluster.local', 'shop')[0], 'web.default.svc.cluster.local.shop.svc.cluster.local', 'four dots are fewer than five');
  assert.equal(searchCandidates('web.default.svc.cluster.local', 'shop', 'cluster.local', 4)[0], 'web.default.svc.cluster.local');
  assert.deepEqual(searchCandidates('example.com.', 'shop'), ['example.com']);
});

/** A lookup that answers from a table of name -> address or failure, and records what it was asked. */
function tableLookup(table: Record<string, CandidateLookup>): { asked: string[]; lookup(name: string): Promise<CandidateLookup> } {
  const asked: string[] = [];
  return {
    asked,
    lookup: (name) => {
      asked.push(name);
      return Promise.resolve(table[name] ?? { failure: 'NXDOMAIN' });
    },
  };
}

test('the first candidate with an address answers, and the later ones are not asked', async () => {
  const t = tableLookup({ 'web.svc.cluster.local': { address: '10.96.0.7' } });
  const r = await resolveThroughSearchPath('web', { namespace: 'shop', domain: 'cluster.local', lookup: t.lookup, firstFailure: 'NXDOMAIN' });
  assert.deepEqual(r, { ok: true, name: 'web.svc.cluster.local', address: '10.96.0.7', tried: ['web.shop.svc.cluster.local', 'web.svc.cluster.local'] });
  assert.deepEqual(t.asked, r.tried);
});

test('an IP address stands for itself without a lookup', async () => {
  const t = tableLookup({});
  assert.deepEqual(await resolveThroughSearchPath('10.96.0.7', { namespace: 'default', domain: 'cluster.local', lookup: t.lookup, firstFailure: 'NXDOMAIN' }), {
    ok: true,
    name: '10.96.0.7',
    address: '10.96.0.7',
    tried: [],
  });
  assert.deepEqual(t.asked, []);
});

test('without a rule the last failure is reported; a rule can keep an earlier one', async () => {
  const t = tableLookup({ web: { failure: 'REFUSED' } });
  const base = { namespace: 'default', domain: 'cluster.local', lookup: t.lookup, firstFailure: 'NXDOMAIN' };
  const last = await resolveThroughSearchPath('web', base);
  assert.deepEqual(last, { ok: false, tried: ['web.default.svc.cluster.local', 'web.svc.cluster.local', 'web.cluster.local', 'web'], failure: 'REFUSED' });
  const kept = await resolveThroughSearchPath('web', { ...base, keepFailure: (reported, next) => (next === 'REFUSED' && reported === 'NXDOMAIN' ? reported : next) });
  assert.equal(kept.ok ? 'resolved' : kept.failure, 'NXDOMAIN');
});

test('a lookup that throws ends the resolution with its error', async () => {
  const lookup = (): Promise<CandidateLookup> => Promise.reject(new Error('the DNS server does not answer'));
  await assert.rejects(resolveThroughSearchPath('web', { namespace: 'default', domain: 'cluster.local', lookup, firstFailure: 'NXDOMAIN' }), /does not answer/);
});
