// Connections walked through the rules the golden files show, the way netfilter walks them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { EndpointSlice, Service } from '../../../emulator/src/api/types';
import { FakeClock } from '../../../emulator/src/clock';
import { renderIptablesSave } from '../../../emulator/src/proxy/iptablesSave';
import { evaluateConnection, RecentTables, type NewConnection, type Verdict } from '../../../emulator/src/proxy/ruleEvaluator';
import { computeRules, type ProxyRules } from '../../../emulator/src/proxy/rules';
import { seededRandom as mulberry32 } from '../helpers/seededRandom';

const fixtures = fileURLToPath(new URL('../../fixtures/proxy/', import.meta.url));

function fixtureRules(name: string): ProxyRules {
  const input = JSON.parse(readFileSync(`${fixtures}${name}.json`, 'utf8')) as { services: Service[]; endpointSlices: EndpointSlice[] };
  return computeRules(input.services, input.endpointSlices);
}

interface Node {
  route(conn: Partial<NewConnection> & { dstIP: string; dstPort: number }): Verdict;
  clock: FakeClock;
  setRand(r: () => number): void;
}

/** A node with the given rules, its own recent lists, a fake clock and a swappable random source. */
function node(rules: ProxyRules, nodeIPs: string[] = ['127.0.0.1'], rand: () => number = mulberry32(1)): Node {
  const recent = new RecentTables();
  const clock = new FakeClock();
  let source = rand;
  return {
    clock,
    setRand: (r) => void (source = r),
    route: (conn) =>
      evaluateConnection(
        rules,
        { srcIP: '127.0.0.1', protocol: 'TCP', dstIsLocal: false, ...conn },
        { rand: () => source(), now: clock.now(), recent, nodeIPs },
      ),
  };
}

function dnatTarget(v: Verdict): string {
  assert.equal(v.kind, 'dnat', `expected dnat, got ${JSON.stringify(v)}`);
  return v.kind === 'dnat' ? `${v.ip}:${v.port}` : '';
}

test('the statistic ladder spreads connections as the rendered probabilities say', () => {
  const rules = fixtureRules('lesson-web');
  const text = renderIptablesSave(rules, { now: 0 });
  const ladder = text
    .split('\n')
    .filter((l) => l.startsWith('-A KUBE-SVC-CDGGSHYLG3RE2FKL') && l.includes(' -> '))
    .map((l) => ({ ep: /-> ([\d.:]+)"/.exec(l)?.[1] ?? '', p: Number(/--probability ([\d.]+)/.exec(l)?.[1] ?? '1') }));
  assert.deepEqual(
    ladder.map((r) => r.ep),
    ['10.244.0.5:80', '10.244.0.6:80', '10.244.0.7:80'],
  );
  // The share each rule receives: its probability times what the rules above it left over.
  let left = 1;
  const expected = new Map<string, number>();
  for (const { ep, p } of ladder) {
    expected.set(ep, left * p);
    left *= 1 - p;
  }
  for (const share of expected.values()) assert.ok(Math.abs(share - 1 / 3) < 1e-6);

  const n = node(rules, ['127.0.0.1'], mulberry32(20261126));
  const draws = 30000;
  const counts = new Map<string, number>();
  for (let i = 0; i < draws; i++) {
    const v = n.route({ srcIP: '10.244.0.50', dstIP: '10.96.120.15', dstPort: 80 });
    const ep = dnatTarget(v);
    counts.set(ep, (counts.get(ep) ?? 0) + 1);
  }
  assert.deepEqual([...counts.keys()].sort(), [...expected.keys()].sort());
  // One standard deviation is about 0.27% of the draws; a ladder of 1/3, 1/3 would be 11% off.
  for (const [ep, share] of expected) {
    const got = (counts.get(ep) ?? 0) / draws;
    assert.ok(Math.abs(got - share) < 0.015, `${ep}: ${got} of connections, expected ${share}`);
  }
});

test('a connection to the ClusterIP names the chains it went through', () => {
  const v = node(fixtureRules('lesson-web'), ['127.0.0.1'], () => 0.99).route({ dstIP: '10.96.120.15', dstPort: 80 });
  assert.equal(v.kind, 'dnat');
  if (v.kind !== 'dnat') return;
  assert.equal(`${v.ip}:${v.port}`, '10.244.0.7:80');
  assert.equal(v.serviceChain, 'KUBE-SVC-CDGGSHYLG3RE2FKL');
  assert.equal(v.endpointChain, 'KUBE-SEP-YOT3ONP457TQH7II');
  assert.deepEqual(v.trace.slice(0, 6), [
    'nat/OUTPUT',
    'nat/KUBE-SERVICES',
    'nat/KUBE-SVC-CDGGSHYLG3RE2FKL',
    'nat/KUBE-MARK-MASQ',
    'nat/KUBE-SEP-YOT3ONP457TQH7II',
    'filter/OUTPUT',
  ]);
});

test('ClientIP affinity keeps a client on one endpoint until the timeout passes', () => {
  const n = node(fixtureRules('session-affinity'));
  const client = { srcIP: '10.244.0.99', dstIP: '10.96.10.11', dstPort: 80 };
  n.setRand(() => 0.1);
  assert.equal(dnatTarget(n.route(client)), '10.244.0.14:8080');
  n.setRand(() => 0.9);
  for (let i = 0; i < 20; i++) assert.equal(dnatTarget(n.route(client)), '10.244.0.14:8080');
  assert.equal(dnatTarget(n.route({ ...client, srcIP: '10.244.0.98' })), '10.244.0.15:8080', 'another client is balanced on its own');

  n.clock.advance(60_000);
  assert.equal(dnatTarget(n.route(client)), '10.244.0.14:8080', 'seen exactly 60 s ago still counts (--seconds 60)');
  n.clock.advance(60_001);
  assert.equal(dnatTarget(n.route(client)), '10.244.0.15:8080', 'after the timeout the ladder decides again');
  assert.equal(dnatTarget(n.route(client)), '10.244.0.15:8080', 'and the client sticks to the new endpoint');
});

test('the default affinity timeout is 10800 seconds', () => {
  const n = node(fixtureRules('session-affinity'));
  const client = { srcIP: '10.244.0.99', dstIP: '10.96.10.10', dstPort: 80 };
  n.setRand(() => 0.1);
  const first = dnatTarget(n.route(client));
  n.setRand(() => 0.99);
  n.clock.advance(10_799_000);
  assert.equal(dnatTarget(n.route(client)), first);
  n.clock.advance(10_801_000);
  assert.notEqual(dnatTarget(n.route(client)), first);
});

test('a Service without endpoints REJECTs on its ClusterIP and its NodePort', () => {
  const n = node(fixtureRules('no-endpoints'));
  const v = n.route({ dstIP: '10.96.200.1', dstPort: 5432 });
  assert.equal(v.kind, 'reject');
  if (v.kind !== 'reject') return;
  assert.equal(v.reason, 'default/db has no endpoints');
  assert.deepEqual(v.trace.slice(-3), ['filter/OUTPUT', 'filter/KUBE-PROXY-FIREWALL', 'filter/KUBE-SERVICES']);

  const np = n.route({ dstIP: '127.0.0.1', dstPort: 31234, dstIsLocal: true });
  assert.equal(np.kind, 'reject');
  assert.ok(np.trace.includes('filter/KUBE-EXTERNAL-SERVICES'), np.trace.join(' '));
});

test('a NodePort on the node reaches the Service through KUBE-NODEPORTS and KUBE-EXT', () => {
  const v = node(fixtureRules('lesson-web')).route({ dstIP: '127.0.0.1', dstPort: 30080, dstIsLocal: true });
  assert.equal(dnatTarget(v), '10.244.0.8:80');
  if (v.kind !== 'dnat') return;
  assert.equal(v.serviceChain, 'KUBE-SVC-2262UYG6EQJDKK3I');
  assert.equal(v.endpointChain, 'KUBE-SEP-W35BF6WDQZLTSYNQ');
  assert.ok(v.trace.includes('nat/KUBE-NODEPORTS') && v.trace.includes('nat/KUBE-EXT-2262UYG6EQJDKK3I'), v.trace.join(' '));
});

test('a port the Service does not have is left alone', () => {
  const n = node(fixtureRules('lesson-web'));
  const v = n.route({ dstIP: '10.96.120.15', dstPort: 8080 });
  assert.equal(v.kind, 'accept');
  assert.ok(v.trace.includes('nat/KUBE-SERVICES'));
  assert.equal(n.route({ dstIP: '10.96.120.15', dstPort: 80, protocol: 'UDP' }).kind, 'accept');
});

test('externalTrafficPolicy Local: outside clients meet DROP where no endpoint is local; pods and the node are short-circuited', () => {
  const n = node(fixtureRules('external-local'), ['192.168.49.2']);
  const outside = { srcIP: '203.0.113.7', dstIP: '192.168.49.2', dstIsLocal: true };
  const v = n.route({ ...outside, dstPort: 30101 });
  assert.equal(v.kind, 'drop');
  if (v.kind === 'drop') assert.equal(v.reason, 'default/edge-remote:http has no local endpoints');

  assert.equal(dnatTarget(n.route({ ...outside, srcIP: '10.244.0.99', dstPort: 30101 })), '10.244.1.41:80');
  assert.equal(dnatTarget(n.route({ ...outside, srcIP: '192.168.49.2', dstPort: 30101 })), '10.244.1.41:80');

  // With a local endpoint, outside traffic only ever goes there (KUBE-SVL), keeping its source.
  for (let i = 0; i < 50; i++) {
    const local = n.route({ ...outside, dstPort: 30100 });
    assert.equal(dnatTarget(local), '10.244.0.40:80');
    if (local.kind === 'dnat') assert.equal(local.serviceChain, 'KUBE-SVL-IYL3DV2YHJIYW6RN');
  }
});

test('internalTrafficPolicy Local: the ClusterIP DROPs without a local endpoint and stays on the node with one', () => {
  const n = node(fixtureRules('internal-local'));
  const v = n.route({ srcIP: '10.244.0.99', dstIP: '10.96.40.2', dstPort: 6379 });
  assert.equal(v.kind, 'drop');
  if (v.kind === 'drop') assert.equal(v.reason, 'default/cache-remote:redis has no local endpoints');
  for (let i = 0; i < 50; i++) assert.equal(dnatTarget(n.route({ srcIP: '10.244.0.99', dstIP: '10.96.40.1', dstPort: 6379 })), '10.244.0.50:6379');
});

test('the LoadBalancer ingress IP 127.0.0.1 reaches the endpoints', () => {
  const v = node(fixtureRules('loadbalancer')).route({ dstIP: '127.0.0.1', dstPort: 80, dstIsLocal: true });
  assert.ok(['10.244.0.80:80', '10.244.0.81:80'].includes(dnatTarget(v)));
  assert.ok(v.trace.includes('nat/KUBE-EXT-JR7PZPMGEHYLHTEW'));
});

test('only serving endpoints are used when none is ready', () => {
  const n = node(fixtureRules('terminating'));
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) seen.add(dnatTarget(n.route({ dstIP: '10.96.90.1', dstPort: 80 })));
  assert.deepEqual([...seen].sort(), ['10.244.0.90:80', '10.244.0.91:80']);
});

test('UDP and TCP on the same port go to their own chains', () => {
  const n = node(fixtureRules('udp-dns'));
  const udp = n.route({ srcIP: '10.244.0.99', dstIP: '10.96.0.10', dstPort: 53, protocol: 'UDP' });
  const tcp = n.route({ srcIP: '10.244.0.99', dstIP: '10.96.0.10', dstPort: 53, protocol: 'TCP' });
  assert.equal(udp.kind === 'dnat' && udp.serviceChain, 'KUBE-SVC-TCOU7JCQXEZGVUNU');
  assert.equal(tcp.kind === 'dnat' && tcp.serviceChain, 'KUBE-SVC-ERIFXISQEP7F7OF4');
  assert.equal(n.route({ srcIP: '10.244.0.99', dstIP: '10.96.0.10', dstPort: 53, protocol: 'SCTP' }).kind, 'accept');
});

test('nonsense connections get a verdict, not an exception', () => {
  const n = node(fixtureRules('lesson-web'));
  const junk = { srcIP: 'x', dstIP: '', dstPort: Number.NaN, protocol: 'BOGUS' } as unknown as NewConnection;
  assert.equal(n.route(junk).kind, 'accept');
});
