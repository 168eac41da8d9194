// The per-Service rule store against the whole-model functions: for every golden case, rules
// kept Service by Service (added in any order, replaced, removed and added back) print the
// same iptables-save text as the golden file, and route every connection exactly as a walk
// over the whole model does.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EndpointSlice, Service } from '../../../emulator/src/api/types';
import { renderIptablesSave } from '../../../emulator/src/proxy/iptablesSave';
import { LiveRules } from '../../../emulator/src/proxy/liveRules';
import { evaluateConnection, RecentTables, type NewConnection, type RuleLookup } from '../../../emulator/src/proxy/ruleEvaluator';
import {
  computeRules,
  isLargeCluster,
  proxyConfig,
  serviceKey,
  slicesByService,
  sortServices,
  type ProxyConfig,
  type ProxyRules,
} from '../../../emulator/src/proxy/rules';
import { prepareService, serviceRules, type ServiceRules } from '../../../emulator/src/proxy/serviceRules';
import { seededRandom as mulberry32 } from '../helpers/seededRandom';

const FIXTURES = fileURLToPath(new URL('../../fixtures/proxy/', import.meta.url));
const NOW = Date.parse('2026-11-26T08:00:00Z');

interface GoldenCase {
  config?: Partial<ProxyConfig>;
  services: Service[];
  endpointSlices: EndpointSlice[];
}

const cases = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -'.json'.length))
  .sort();

function load(name: string): GoldenCase {
  return JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as GoldenCase;
}

/** Each Service's rules as a full sync writes them, by key. */
function fragments(input: GoldenCase, config: ProxyConfig): Map<string, ServiceRules> {
  const grouped = slicesByService(input.endpointSlices);
  const prepared = sortServices(input.services).map((svc) =>
    prepareService(svc, grouped.get(serviceKey(svc.metadata.namespace ?? '', svc.metadata.name ?? '')) ?? [], config.nodeName),
  );
  const large = isLargeCluster(prepared.reduce((n, p) => n + p.endpointCount, 0));
  return new Map(prepared.map((p) => [serviceKey(p.namespace, p.name), serviceRules(p, config, large)]));
}

/** Connections to every address and port the Services expose, from the node, a pod and outside. */
function connections(input: GoldenCase, config: ProxyConfig): NewConnection[] {
  const sources = [config.nodeIPs[0], '10.0.0.99', '10.244.0.99', '203.0.113.9'];
  const out: NewConnection[] = [];
  const add = (dstIP: string, dstPort: number, protocol: 'TCP' | 'UDP' | 'SCTP', dstIsLocal: boolean) => {
    for (const srcIP of sources) out.push({ srcIP, dstIP, dstPort, protocol, dstIsLocal });
  };
  for (const svc of input.services) {
    for (const p of svc?.spec?.ports ?? []) {
      const protocol = (p.protocol ?? 'TCP') as 'TCP' | 'UDP' | 'SCTP';
      if (svc.spec.clusterIP && svc.spec.clusterIP !== 'None') add(svc.spec.clusterIP, p.port, protocol, false);
      for (const ip of svc.spec.externalIPs ?? []) add(ip, p.port, protocol, false);
      for (const ing of svc.status?.loadBalancer?.ingress ?? []) if (ing.ip) add(ing.ip, p.port, protocol, false);
      if (p.nodePort) {
        add(config.nodeIPs[0], p.nodePort, protocol, true);
        add('127.0.0.1', p.nodePort, protocol, true);
      }
      if (svc.spec.healthCheckNodePort) add(config.nodeIPs[0], svc.spec.healthCheckNodePort, 'TCP', true);
    }
  }
  add('10.96.99.99', 80, 'TCP', false);
  add(config.nodeIPs[0], 31999, 'TCP', true);
  return out;
}

/** Runs every connection three times through each rule source with the same random draws and clock. */
function assertSameRouting(live: RuleLookup, model: ProxyRules, conns: readonly NewConnection[], config: ProxyConfig, label: string): void {
  const a = { rand: mulberry32(11), recent: new RecentTables() };
  const b = { rand: mulberry32(11), recent: new RecentTables() };
  for (let round = 0; round < 3; round++) {
    for (const conn of conns) {
      const now = NOW + round * 1000;
      const fromLive = evaluateConnection(live, conn, { rand: a.rand, now, recent: a.recent, nodeIPs: config.nodeIPs });
      const fromModel = evaluateConnection(model, conn, { rand: b.rand, now, recent: b.recent, nodeIPs: config.nodeIPs });
      assert.deepEqual(fromLive, fromModel, `${label}: ${JSON.stringify(conn)}`);
    }
  }
}

for (const name of cases) {
  test(`rules kept per Service print and route like the whole model: ${name}`, () => {
    const input = load(name);
    const config = proxyConfig(input.config);
    const golden = readFileSync(join(FIXTURES, `${name}.rules`), 'utf8');
    const byKey = fragments(input, config);
    const live = new LiveRules(config);
    const keys = [...byKey.keys()].reverse();
    // An empty node first, then the Services in reverse order; then one of them loses its
    // endpoints, goes away and comes back.
    assert.equal(live.render(NOW), renderIptablesSave(computeRules([], [], input.config), { now: NOW }));
    for (const key of keys) live.set(key, byKey.get(key));
    const first = input.services.find((s) => s?.metadata && serviceKey(s.metadata.namespace ?? '', s.metadata.name ?? '') === keys[0]);
    if (first) {
      live.render(NOW);
      live.set(keys[0], serviceRules(prepareService(first, [], config.nodeName), config, false));
      live.render(NOW);
      live.set(keys[0], undefined);
      live.set(keys[0], byKey.get(keys[0]));
    }
    assert.equal(live.render(NOW), golden);
    assert.equal(renderIptablesSave(live.rules(), { now: NOW }), golden);
    const model = computeRules(input.services, input.endpointSlices, input.config);
    assertSameRouting(live, model, connections(input, config), config, name);
  });
}

test('the one-Service view of kept rules is the one-Service view of the whole model', () => {
  const input = load('lesson-web');
  const config = proxyConfig(input.config);
  const live = new LiveRules(config);
  for (const [key, rules] of fragments(input, config)) live.set(key, rules);
  const model = computeRules(input.services, input.endpointSlices, input.config);
  for (const svc of input.services) {
    const ref = { namespace: svc.metadata.namespace ?? '', name: svc.metadata.name ?? '' };
    assert.equal(live.renderService(ref, NOW), renderIptablesSave(model, { now: NOW, only: ref }), ref.name);
  }
  assert.equal(live.renderService({ namespace: 'default', name: 'nope' }, NOW), '');
});

test('a Service taken out leaves no line behind, and its affinity lists are reported gone', () => {
  const input = load('session-affinity');
  const config = proxyConfig(input.config);
  const live = new LiveRules(config);
  const byKey = fragments(input, config);
  for (const [key, rules] of byKey) live.set(key, rules);
  const before = live.render(NOW);
  const forgotten: string[] = [];
  for (const key of byKey.keys()) forgotten.push(...live.set(key, undefined));
  assert.ok(forgotten.length > 0, 'ClientIP affinity names recent lists');
  for (const list of forgotten) assert.match(before, new RegExp(`--name ${list} `));
  assert.equal(live.render(NOW), renderIptablesSave(computeRules([], [], input.config), { now: NOW }));
});
