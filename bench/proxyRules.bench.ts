// kube-proxy's rules at scale, in this process: 10,000 Services × 10 endpoints (100,000
// endpoints) in a store, rendered in full as iptables-save text, then one EndpointSlice changed
// at a time and the rules rendered again, as the emulator's KubeProxy does on every change.
// A step of the code under test that throws is reported as a failed figure; the steps that do
// not depend on it are still measured.

import { R } from '../emulator/src/api/resources';
import type { EndpointSlice, Service } from '../emulator/src/api/types';
import { systemClock } from '../emulator/src/clock';
import { renderIptablesSave } from '../emulator/src/proxy/iptablesSave';
import { KubeProxy } from '../emulator/src/proxy/kubeProxy';
import { computeRules, type ProxyRules } from '../emulator/src/proxy/rules';
import { Store } from '../emulator/src/store/store';
import { benchMain } from './lib/benchMain';
import { atMost, failedFigure, figure, ms, type Figure } from './lib/figures';
import { median, percentile, since } from './lib/stats';
import { addressAt, clusterIPAt, podIPAt, storedService, storedSlice } from './lib/syntheticCluster';

interface Sizes {
  namespaces: number;
  services: number;
  endpointsPerService: number;
  /** Full computations are repeated up to this many times, while they take under REPEAT_BUDGET_MS in all. */
  fullRuns: number;
  updates: number;
}

const FULL: Sizes = { namespaces: 10, services: 10_000, endpointsPerService: 10, fullRuns: 5, updates: 200 };
const QUICK: Sizes = { namespaces: 2, services: 1_000, endpointsPerService: 10, fullRuns: 2, updates: 20 };
const REPEAT_BUDGET_MS = 30_000;

const CLUSTER = { clusterCIDR: '10.244.0.0/16', nodeIPs: ['127.0.0.1'], nodeName: 'ksl' };

function fill(sizes: Sizes): Store {
  const store = new Store();
  for (let i = 0; i < sizes.services; i++) {
    const ns = `bench-${i % sizes.namespaces}`;
    const name = `svc-${i}`;
    store.create(R.services, storedService(ns, name, clusterIPAt(i)));
    const ips = Array.from({ length: sizes.endpointsPerService }, (_, k) => podIPAt(i * sizes.endpointsPerService + k));
    store.create(R.endpointslices, storedSlice(ns, name, ips));
  }
  return store;
}

/** A deterministic sequence in [0, 1), so two runs change the same slices. */
function sequence(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

type Outcome<T> = { ok: true; value: T; ms: number } | { ok: false; error: unknown };

function timed<T>(fn: () => T): Outcome<T> {
  const t = performance.now();
  try {
    const value = fn();
    return { ok: true, value, ms: since(t) };
  } catch (error) {
    return { ok: false, error };
  }
}

benchMain({
  name: 'proxy-rules',
  timeoutMs: { full: 20 * 60_000, quick: 60_000 },
  async run({ quick, log }) {
    const sizes = quick ? QUICK : FULL;
    const endpoints = sizes.services * sizes.endpointsPerService;
    const store = fill(sizes);
    const services = store.list(R.services) as Service[];
    const slices = store.list(R.endpointslices) as EndpointSlice[];
    log(`${services.length} Services, ${slices.length} EndpointSlices, ${endpoints} endpoints`);
    const figures: Figure[] = [];
    const fullRulesName = `full rules for ${endpoints.toLocaleString('en-US')} endpoints (compute + render)`;

    // Full rules from scratch, as one complete kube-proxy sync: the model, then its text.
    const computeMs: number[] = [];
    const renderMs: number[] = [];
    let renderError: unknown;
    let lines = 0;
    const repeatStart = performance.now();
    for (let run = 0; run < sizes.fullRuns && (run === 0 || since(repeatStart) < REPEAT_BUDGET_MS); run++) {
      const computed: Outcome<ProxyRules> = timed(() => computeRules(services, slices, CLUSTER));
      if (!computed.ok) throw computed.error;
      computeMs.push(computed.ms);
      const rendered = timed(() => renderIptablesSave(computed.value, { now: Date.now() }));
      if (!rendered.ok) {
        renderError = rendered.error;
        log(`full run ${run + 1}: compute ${computed.ms.toFixed(0)} ms, render failed: ${String(rendered.error)}`);
        continue;
      }
      renderMs.push(rendered.ms);
      lines = rendered.value.split('\n').length - 1;
      log(`full run ${run + 1}: compute ${computed.ms.toFixed(0)} ms, render ${rendered.ms.toFixed(0)} ms, ${lines} lines`);
    }
    if (renderError !== undefined) figures.push(failedFigure(fullRulesName, 'ms', renderError, atMost(1000)));
    else figures.push(figure(fullRulesName, ms(median(computeMs.map((c, i) => c + renderMs[i]))), 'ms', atMost(1000)));
    figures.push(figure('  of which computeRules', ms(median(computeMs)), 'ms'));
    if (renderError === undefined) {
      figures.push(figure('  of which renderIptablesSave', ms(median(renderMs)), 'ms'), figure('iptables-save lines', lines, 'lines'));
    }

    // The emulator's KubeProxy: its start-up sync, then single changes, each followed by a
    // render of the changed Service's rules and a full render (what GET /ksl/v1/rules serves).
    let t = performance.now();
    const proxy = new KubeProxy({ source: store, clock: systemClock, ...CLUSTER });
    figures.push(figure('KubeProxy start-up sync', ms(since(t)), 'ms'));
    t = performance.now();
    proxy.rules();
    figures.push(figure('KubeProxy first rule model', ms(since(t)), 'ms'));
    log(`KubeProxy ready after ${figures.at(-2)?.value} + ${figures.at(-1)?.value} ms`);

    const rand = sequence(42);
    const eventMs: number[] = [];
    const modelMs: number[] = [];
    const partialMs: number[] = [];
    const fullMs: number[] = [];
    let fullRenderError: unknown;
    for (let u = 0; u < sizes.updates; u++) {
      const slice = slices[Math.floor(rand() * slices.length)];
      const ns = slice.metadata.namespace ?? '';
      const current = store.get(R.endpointslices, ns, slice.metadata.name ?? '') as EndpointSlice;
      const newIP = addressAt('10.245.0.0', u);
      const destination = `--to-destination ${newIP}:8080`;
      const changed: EndpointSlice = { ...current, endpoints: current.endpoints.map((ep, k) => (k === 0 ? { ...ep, addresses: [newIP] } : ep)) };
      const ref = { namespace: ns, name: current.metadata.labels?.['kubernetes.io/service-name'] ?? '' };
      const start = performance.now();
      store.update(R.endpointslices, changed);
      const afterEvent = performance.now();
      proxy.rules();
      const afterModel = performance.now();
      eventMs.push(afterEvent - start);
      modelMs.push(afterModel - start);
      // The changed Service's chains only, as a partial kube-proxy sync restores them (and as
      // `ksl rules svc/<name>` shows them); then the whole table, from the same model.
      const partial = timed(() => proxy.render(ref));
      if (!partial.ok) throw partial.error;
      partialMs.push(afterModel - start + partial.ms);
      if (!partial.value.includes(destination)) throw new Error(`the Service's rules do not show ${newIP} after the change`);
      if (fullRenderError === undefined) {
        const full = timed(() => proxy.render());
        if (full.ok) {
          fullMs.push(afterModel - start + full.ms);
          if (!full.value.includes(destination)) throw new Error(`the rules do not show ${newIP} after the change`);
        } else {
          fullRenderError = full.error;
        }
      }
    }
    proxy.stop();

    figures.push(
      figure('incremental update p50 (slice change → changed Service\'s rules)', ms(median(partialMs)), 'ms'),
      figure('incremental update p99 (slice change → changed Service\'s rules)', ms(percentile(partialMs, 99)), 'ms', atMost(10)),
    );
    const fullName = 'incremental update p99 (slice change → full iptables-save)';
    if (fullRenderError !== undefined) {
      figures.push(failedFigure(fullName, 'ms', fullRenderError, atMost(10)));
    } else {
      figures.push(figure('incremental update p50 (slice change → full iptables-save)', ms(median(fullMs)), 'ms'), figure(fullName, ms(percentile(fullMs, 99)), 'ms', atMost(10)));
    }
    figures.push(
      figure('  of which the store event (KubeProxy.onEvent) p50', ms(median(eventMs)), 'ms'),
      figure('  of which event + rule model rebuilt p50', ms(median(modelMs)), 'ms'),
    );
    return {
      figures,
      notes: [
        `${sizes.services} Services in ${sizes.namespaces} namespaces, one EndpointSlice of ${sizes.endpointsPerService} ready endpoints each; full: median of ${computeMs.length} run(s); incremental: ${sizes.updates} single-endpoint changes`,
      ],
    };
  },
});
