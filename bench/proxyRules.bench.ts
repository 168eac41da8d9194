// kube-proxy's rules at scale, in this process: 10,000 Services × 10 endpoints (100,000
// endpoints) in a store.
//  1. From nothing to the whole iptables-save text, the way the emulator does it: KubeProxy's
//     start-up full sync from the store, then the first full render (what `ksl rules` and
//     GET /ksl/v1/rules serve). The same with the pure functions the golden tests use
//     (computeRules, renderIptablesSave), which build the whole model and sort every chain.
//  2. Incremental updates: one EndpointSlice changed at a time (an endpoint replaced, as when a
//     pod is deleted and its replacement is ready). Timed from the store write to: the rules
//     written and the packet evaluator routing to the new endpoint; the changed Service's
//     rules as text; the whole iptables-save text put together again.
// A step of the code under test that throws is reported as a failed figure; the steps that do
// not depend on it are still measured.

import { R } from '../emulator/src/api/resources';
import type { EndpointSlice, Service } from '../emulator/src/api/types';
import { systemClock } from '../emulator/src/clock';
import { renderIptablesSave } from '../emulator/src/proxy/iptablesSave';
import { KubeProxy } from '../emulator/src/proxy/kubeProxy';
import { computeRules } from '../emulator/src/proxy/rules';
import { Store } from '../emulator/src/store/store';
import { benchMain } from './lib/benchMain';
import { atMost, failedFigure, figure, ms, type Figure } from './lib/figures';
import { median, percentile, since } from './lib/stats';
import { addressAt, clusterIPAt, podIPAt, SERVICE_PORT, storedService, storedSlice } from './lib/syntheticCluster';

interface Sizes {
  namespaces: number;
  services: number;
  endpointsPerService: number;
  /** Full computations are repeated up to this many times, while they take under REPEAT_BUDGET_MS in all. */
  fullRuns: number;
  /** Single changes made first and not counted, so that what is timed is warm code, as in a running emulator. */
  warmup: number;
  updates: number;
}

const FULL: Sizes = { namespaces: 10, services: 10_000, endpointsPerService: 10, fullRuns: 5, warmup: 20, updates: 200 };
const QUICK: Sizes = { namespaces: 2, services: 1_000, endpointsPerService: 10, fullRuns: 2, warmup: 5, updates: 20 };
const REPEAT_BUDGET_MS = 30_000;

const CLUSTER = { clusterCIDR: '10.244.0.0/16', nodeIPs: ['127.0.0.1'], nodeName: 'ksl' };
const TARGET_PORT = 8080;

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

/** Repeats a measurement up to `runs` times while the runs so far took under the budget. */
function repeated(runs: number, measure: (run: number) => void): void {
  const start = performance.now();
  for (let run = 0; run < runs && (run === 0 || since(start) < REPEAT_BUDGET_MS); run++) measure(run);
}

/** Reading a string forces V8 to lay out a text that was put together from pieces. */
function read(text: string): number {
  return Buffer.byteLength(text);
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
    const count = endpoints.toLocaleString('en-US');
    log(`${services.length} Services, ${slices.length} EndpointSlices, ${endpoints} endpoints`);
    const figures: Figure[] = [];

    // 1a. The emulator's way: a full sync from the store, then the whole text.
    const syncMs: number[] = [];
    const renderMs: number[] = [];
    const readMs: number[] = [];
    const cpuMs: number[] = [];
    let lines = 0;
    let startError: unknown;
    repeated(sizes.fullRuns, (run) => {
      if (startError !== undefined) return;
      const cpuAt = process.cpuUsage();
      const started = timed(() => new KubeProxy({ source: store, clock: systemClock, ...CLUSTER }));
      if (!started.ok) {
        startError = started.error;
        return;
      }
      const rendered = timed(() => started.value.render());
      started.value.stop();
      if (!rendered.ok) {
        startError = rendered.error;
        return;
      }
      const cpu = process.cpuUsage(cpuAt);
      cpuMs.push((cpu.user + cpu.system) / 1000);
      const readAt = performance.now();
      read(rendered.value);
      readMs.push(since(readAt));
      syncMs.push(started.ms);
      renderMs.push(rendered.ms);
      lines = rendered.value.split('\n').length - 1;
      log(`full run ${run + 1}: full sync ${started.ms.toFixed(0)} ms, render ${rendered.ms.toFixed(0)} ms, ${lines} lines`);
    });
    const emulatorName = `full iptables-save for ${count} endpoints (KubeProxy full sync + render)`;
    if (startError !== undefined) {
      figures.push(failedFigure(emulatorName, 'ms', startError, atMost(1000)));
    } else {
      figures.push(
        figure(emulatorName, ms(median(syncMs.map((s, i) => s + renderMs[i]))), 'ms', atMost(1000)),
        figure('  of which the full sync (rules for every Service, evaluator index)', ms(median(syncMs)), 'ms'),
        figure('  of which the render (text of every chain, sorted)', ms(median(renderMs)), 'ms'),
        figure('  then reading the text once (V8 lays out the pieces)', ms(median(readMs)), 'ms'),
        figure('  CPU time of full sync + render (this process, all threads)', ms(median(cpuMs)), 'ms'),
        figure('iptables-save lines', lines, 'lines'),
      );
    }

    // 1b. The pure functions: the whole model, then its text.
    const computeMs: number[] = [];
    const pureRenderMs: number[] = [];
    let pureError: unknown;
    repeated(sizes.fullRuns, (run) => {
      if (pureError !== undefined) return;
      const computed = timed(() => computeRules(services, slices, CLUSTER));
      if (!computed.ok) {
        pureError = computed.error;
        return;
      }
      const rendered = timed(() => read(renderIptablesSave(computed.value, { now: Date.now() })));
      if (!rendered.ok) {
        pureError = rendered.error;
        return;
      }
      computeMs.push(computed.ms);
      pureRenderMs.push(rendered.ms);
      log(`pure run ${run + 1}: computeRules ${computed.ms.toFixed(0)} ms, renderIptablesSave ${rendered.ms.toFixed(0)} ms`);
    });
    const pureName = `full rules for ${count} endpoints (computeRules + renderIptablesSave)`;
    if (pureError !== undefined) {
      figures.push(failedFigure(pureName, 'ms', pureError, atMost(1000)));
    } else {
      figures.push(
        figure(pureName, ms(median(computeMs.map((c, i) => c + pureRenderMs[i]))), 'ms', atMost(1000)),
        figure('  of which computeRules', ms(median(computeMs)), 'ms'),
        figure('  of which renderIptablesSave', ms(median(pureRenderMs)), 'ms'),
      );
    }

    // 2. Incremental updates against one running KubeProxy whose text has been read once.
    // Every random draw lands above every rung of the ladder, so a connection goes to the last
    // endpoint in `IP:port` order: the new one, whose 10.250.0.0/16 address sorts after every
    // pod address (the pods of 100,000 endpoints reach into 10.245.0.0/16).
    const proxy = new KubeProxy({ source: store, clock: systemClock, rand: () => 0.999999, ...CLUSTER });
    read(proxy.render());
    const rand = sequence(42);
    const rulesMs: number[] = [];
    const serviceMs: number[] = [];
    const fullMs: number[] = [];
    let fullError: unknown;
    for (let u = 0; u < sizes.warmup + sizes.updates; u++) {
      const counted = u >= sizes.warmup;
      const slice = slices[Math.floor(rand() * slices.length)];
      const ns = slice.metadata.namespace ?? '';
      const current = store.get(R.endpointslices, ns, slice.metadata.name ?? '') as EndpointSlice;
      const newIP = addressAt('10.250.0.0', u);
      const destination = `--to-destination ${newIP}:${TARGET_PORT}`;
      const changed: EndpointSlice = { ...current, endpoints: current.endpoints.map((ep, k) => (k === 0 ? { ...ep, addresses: [newIP] } : ep)) };
      const name = current.metadata.labels?.['kubernetes.io/service-name'] ?? '';
      const ref = { namespace: ns, name };
      const clusterIP = (store.get(R.services, ns, name) as Service).spec.clusterIP ?? '';

      const start = performance.now();
      store.update(R.endpointslices, changed);
      const verdict = proxy.route({ srcIP: '10.244.255.1', dstIP: clusterIP, dstPort: SERVICE_PORT, protocol: 'TCP', dstIsLocal: false });
      const applied = performance.now();
      if (verdict.kind !== 'dnat' || verdict.ip !== newIP) {
        throw new Error(`after the change a connection to ${clusterIP} did not reach ${newIP}: ${JSON.stringify(verdict)}`);
      }
      const partial = timed(() => proxy.render(ref));
      if (!partial.ok) throw partial.error;
      if (!partial.value.includes(destination)) throw new Error(`the Service's rules do not show ${newIP} after the change`);
      if (counted) {
        rulesMs.push(applied - start);
        serviceMs.push(applied - start + partial.ms);
      }
      if (fullError !== undefined) continue;
      const full = timed(() => proxy.render());
      if (!full.ok) {
        fullError = full.error;
        continue;
      }
      if (counted) fullMs.push(applied - start + full.ms);
      // Searching the text lays out all of it (tens of megabytes at full size), and that
      // garbage would land in the next samples' timings: check every tenth text, and the last.
      const last = u === sizes.warmup + sizes.updates - 1;
      if ((u % 10 === 0 || last) && !full.value.includes(destination)) throw new Error(`the rules do not show ${newIP} after the change`);
    }
    proxy.stop();

    figures.push(
      figure('incremental update p50 (slice change → rules written, connection routed)', ms(median(rulesMs)), 'ms'),
      figure('incremental update p99 (slice change → rules written, connection routed)', ms(percentile(rulesMs, 99)), 'ms', atMost(10)),
      figure("incremental update p50 (slice change → changed Service's rules as text)", ms(median(serviceMs)), 'ms'),
      figure("incremental update p99 (slice change → changed Service's rules as text)", ms(percentile(serviceMs, 99)), 'ms', atMost(10)),
    );
    const fullName = 'incremental update p99 (slice change → whole iptables-save text)';
    if (fullError !== undefined) {
      figures.push(failedFigure(fullName, 'ms', fullError, atMost(10)));
    } else {
      figures.push(
        figure('incremental update p50 (slice change → whole iptables-save text)', ms(median(fullMs)), 'ms'),
        figure(fullName, ms(percentile(fullMs, 99)), 'ms', atMost(10)),
      );
    }
    return {
      figures,
      notes: [
        `${sizes.services} Services in ${sizes.namespaces} namespaces, one EndpointSlice of ${sizes.endpointsPerService} ready endpoints each; full: median of ${syncMs.length} emulator run(s) and ${computeMs.length} pure run(s); incremental: ${sizes.updates} single-endpoint changes after ${sizes.warmup} uncounted ones`,
        'the whole text is a V8 rope of per-chain pieces; the "reading the text once" figure is what laying it out costs its first reader (an HTTP response, a file write)',
      ],
    };
  },
});
