// The details of iptables-save's text that the golden files rely on, and the one-Service view.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { EndpointSlice, Service } from '../../../emulator/src/api/types';
import { formatDoubleFixed } from '../../../emulator/src/proxy/fixedPoint';
import { ctime, renderIptablesSave, saveRuleArgs, saveString } from '../../../emulator/src/proxy/iptablesSave';
import { computeRules } from '../../../emulator/src/proxy/rules';
import { probability } from '../../../emulator/src/proxy/serviceRules';

test('comments are bare only when every character is a letter, digit, - or _', () => {
  assert.equal(saveString('KUBE-SEP-ABC_1'), 'KUBE-SEP-ABC_1');
  assert.equal(saveString('default/web:http'), '"default/web:http"');
  assert.equal(saveString('default/web:http cluster IP'), '"default/web:http cluster IP"');
  assert.equal(saveString('say "hi"'), '"say \\"hi\\""');
  assert.equal(saveString(''), '""');
});

test('the date is ctime(3) in UTC, the day of the month padded with a space', () => {
  assert.equal(ctime(Date.parse('2026-11-26T08:00:00Z')), 'Thu Nov 26 08:00:00 2026');
  assert.equal(ctime(Date.parse('2026-11-05T17:03:09Z')), 'Thu Nov  5 17:03:09 2026');
});

test('kube-proxy probabilities round like Go %0.10f, ties to even', () => {
  assert.equal(probability(3), '0.3333333333');
  assert.equal(probability(2), '0.5000000000');
  assert.equal(probability(7), '0.1428571429');
  // 1/2048 = 0.00048828125 exactly: the tie goes to the even digit, where toFixed rounds up.
  assert.equal(probability(2048), '0.0004882812');
  assert.equal(formatDoubleFixed(0.125, 2), '0.12');
});

test('iptables-save prints the kernel probability (31-bit fixed point) with 11 decimals', () => {
  const rule = (p: string) => saveRuleArgs({ matches: [{ kind: 'statistic', probability: p }], target: { kind: 'jump', chain: 'KUBE-SEP-X' } });
  assert.equal(rule('0.3333333333'), ' -m statistic --mode random --probability 0.33333333349 -j KUBE-SEP-X');
  assert.equal(rule('0.5000000000'), ' -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-X');
  assert.equal(rule('0.2500000000'), ' -m statistic --mode random --probability 0.25000000000 -j KUBE-SEP-X');
  assert.equal(rule('0.2000000000'), ' -m statistic --mode random --probability 0.20000000019 -j KUBE-SEP-X');
});

test('the IP header comes first, hosts gain /32, and targets read back in kernel form', () => {
  assert.equal(
    saveRuleArgs({
      matches: [
        { kind: 'comment', text: 'ns1/svc1:p80 cluster IP' },
        { kind: 'protocol', protocol: 'tcp' },
        { kind: 'address', dir: 'destination', cidr: '172.30.0.41' },
        { kind: 'dport', port: 80 },
        { kind: 'address', dir: 'source', cidr: '10.0.0.0/8', negate: true },
      ],
      target: { kind: 'jump', chain: 'KUBE-MARK-MASQ' },
    }),
    ' ! -s 10.0.0.0/8 -d 172.30.0.41/32 -p tcp -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ',
  );
  assert.equal(saveRuleArgs({ matches: [], target: { kind: 'MARK', op: 'or', value: 0x4000 } }), ' -j MARK --set-xmark 0x4000/0x4000');
  assert.equal(saveRuleArgs({ matches: [], target: { kind: 'MARK', op: 'xor', value: 0x4000 } }), ' -j MARK --set-xmark 0x4000/0x0');
  assert.equal(saveRuleArgs({ matches: [], target: { kind: 'REJECT' } }), ' -j REJECT --reject-with icmp-port-unreachable');
});

const fixtures = fileURLToPath(new URL('../../fixtures/proxy/', import.meta.url));

function lessonRules() {
  const input = JSON.parse(readFileSync(`${fixtures}lesson-web.json`, 'utf8')) as { services: Service[]; endpointSlices: EndpointSlice[] };
  return computeRules(input.services, input.endpointSlices);
}

test('the one-Service view keeps its shared-chain lines and the chains they lead to, nothing else', () => {
  const text = renderIptablesSave(lessonRules(), { now: Date.parse('2026-11-26T08:00:00Z'), only: { namespace: 'default', name: 'web-np' } });
  const lines = text.split('\n').filter((l) => l.startsWith('-A') || l.startsWith(':') || l.startsWith('*'));
  assert.deepEqual(lines, [
    '*nat',
    ':KUBE-EXT-2262UYG6EQJDKK3I - [0:0]',
    ':KUBE-SEP-W35BF6WDQZLTSYNQ - [0:0]',
    ':KUBE-SVC-2262UYG6EQJDKK3I - [0:0]',
    '-A KUBE-EXT-2262UYG6EQJDKK3I -m comment --comment "masquerade traffic for default/web-np:http external destinations" -j KUBE-MARK-MASQ',
    '-A KUBE-EXT-2262UYG6EQJDKK3I -j KUBE-SVC-2262UYG6EQJDKK3I',
    '-A KUBE-NODEPORTS -d 127.0.0.0/8 -p tcp -m comment --comment "default/web-np:http" -m tcp --dport 30080 -m nfacct --nfacct-name  localhost_nps_accepted_pkts -j KUBE-EXT-2262UYG6EQJDKK3I',
    '-A KUBE-NODEPORTS -p tcp -m comment --comment "default/web-np:http" -m tcp --dport 30080 -j KUBE-EXT-2262UYG6EQJDKK3I',
    '-A KUBE-SEP-W35BF6WDQZLTSYNQ -s 10.244.0.8/32 -m comment --comment "default/web-np:http" -j KUBE-MARK-MASQ',
    '-A KUBE-SEP-W35BF6WDQZLTSYNQ -p tcp -m comment --comment "default/web-np:http" -m tcp -j DNAT --to-destination 10.244.0.8:80',
    '-A KUBE-SERVICES -d 10.96.45.3/32 -p tcp -m comment --comment "default/web-np:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-2262UYG6EQJDKK3I',
    '-A KUBE-SVC-2262UYG6EQJDKK3I ! -s 10.244.0.0/16 -d 10.96.45.3/32 -p tcp -m comment --comment "default/web-np:http cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ',
    '-A KUBE-SVC-2262UYG6EQJDKK3I -m comment --comment "default/web-np:http -> 10.244.0.8:80" -j KUBE-SEP-W35BF6WDQZLTSYNQ',
  ]);
});

test('the one-Service view of a Service without endpoints shows its REJECT in the filter table', () => {
  const input = JSON.parse(readFileSync(`${fixtures}no-endpoints.json`, 'utf8')) as { services: Service[]; endpointSlices: EndpointSlice[] };
  const text = renderIptablesSave(computeRules(input.services, input.endpointSlices), { now: 0, only: { namespace: 'default', name: 'db' } });
  assert.deepEqual(
    text.split('\n').filter((l) => !l.startsWith('#') && l !== ''),
    [
      '*filter',
      '-A KUBE-SERVICES -d 10.96.200.1/32 -p tcp -m comment --comment "default/db has no endpoints" -m tcp --dport 5432 -j REJECT --reject-with icmp-port-unreachable',
      'COMMIT',
    ],
  );
});

test('a Service kube-proxy ignores has an empty one-Service view', () => {
  assert.equal(renderIptablesSave(lessonRules(), { now: 0, only: { namespace: 'default', name: 'nope' } }), '');
});

test('bad input gives rules, not an exception', () => {
  const junk = [
    { metadata: { name: 'x', namespace: 'default' }, spec: { clusterIP: 'not-an-ip', ports: [{ port: 80 }] } },
    { metadata: { name: 'y', namespace: 'default' }, spec: { clusterIP: '10.96.0.9', ports: [{ port: 99999 }, { port: 80, protocol: 'ICMP' }] } },
    { metadata: { name: 'z', namespace: 'default' }, spec: { clusterIP: '10.96.0.8', ports: null, loadBalancerSourceRanges: ['nonsense'] } },
    null,
  ] as unknown as Service[];
  const slices = [
    { metadata: { name: 's', namespace: 'default', labels: { 'kubernetes.io/service-name': 'y' } }, addressType: 'IPv4', endpoints: [{ addresses: [] }, null], ports: [{ port: 0 }] },
    null,
  ] as unknown as EndpointSlice[];
  const text = renderIptablesSave(computeRules(junk, slices), { now: 0 });
  assert.match(text, /\*nat/);
  assert.doesNotMatch(text, /not-an-ip|ICMP|99999/);
});
