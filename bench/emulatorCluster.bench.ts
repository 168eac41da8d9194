// The emulator as kubectl users meet it, in its own process and driven only through its API:
//  1. apply 1,000 Deployments (10 replicas: 10,000 pods) and 1,000 Services the way client-side
//     `kubectl apply` does (GET, then POST with the last-applied annotation), from a few
//     keep-alive connections, and time it until every Service has all its endpoints ready, as
//     seen through an EndpointSlice watch;
//  2. endpoint propagation at that size: delete one pod, time until the watch shows its IP gone
//     from the Service's ready endpoints, then until the DNS answer of a headless Service over
//     the same pods and the Service's proxy rules (GET /ksl/v1/rules) no longer have it;
//  3. list latency with 10,000 Services: the real `kubectl get svc -A` against a raw GET;
//  4. the emulator's memory (VmHWM, VmRSS) along the way.

import type { KubeObject, Service } from '../emulator/src/api/types';
import { ApiError, type ApiClient } from './lib/apiClient';
import { benchMain } from './lib/benchMain';
import { DeadlineError } from './lib/deadline';
import { queryA } from './lib/dnsProbe';
import { startEmulatorProcess, type EmulatorProcess } from './lib/emulatorProcess';
import { EndpointTracker, serviceKey } from './lib/endpointTracker';
import { atMost, figure, MiB, ms, skippedFigure, type Figure } from './lib/figures';
import { Kubectl } from './lib/kubectl';
import { forEachLimited } from './lib/pool';
import { until } from './lib/retry';
import { median, percentile, since } from './lib/stats';
import { asApplied, deploymentManifest, serviceManifest } from './lib/syntheticCluster';
import { findProgram } from './lib/tools';

interface Sizes {
  namespaces: number;
  services: number;
  replicas: number;
  /** Headless Services over the pods of the first Deployments, for the DNS side of propagation. */
  headless: number;
  samples: number;
  listServices: number;
  listRuns: number;
  connections: number;
  readyTimeoutMs: number;
}

const FULL: Sizes = {
  namespaces: 10,
  services: 1000,
  replicas: 10,
  headless: 10,
  samples: 100,
  listServices: 10_000,
  listRuns: 5,
  connections: 8,
  readyTimeoutMs: 10 * 60_000,
};
const QUICK: Sizes = {
  namespaces: 2,
  services: 50,
  replicas: 10,
  headless: 2,
  samples: 10,
  listServices: 500,
  listRuns: 2,
  connections: 8,
  readyTimeoutMs: 60_000,
};

const CSA_QUERY = '?fieldManager=kubectl-client-side-apply&fieldValidation=Strict';
const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const STEP_TIMEOUT_MS = 10_000;
const PROGRESS_EVERY_MS = 5_000;

const namespaceOf = (i: number, sizes: Sizes): string => `bench-${i % sizes.namespaces}`;

function collectionPath(obj: KubeObject): string {
  const ns = obj.metadata.namespace ?? 'default';
  return obj.kind === 'Deployment' ? `/apis/apps/v1/namespaces/${ns}/deployments` : `/api/v1/namespaces/${ns}/services`;
}

/** Client-side `kubectl apply` of a new object: a GET that finds nothing, then a POST. */
async function applyNew(api: ApiClient, manifest: KubeObject): Promise<void> {
  const path = collectionPath(manifest);
  const existing = await api.request('GET', `${path}/${manifest.metadata.name}`);
  if (existing.status !== 404) throw new ApiError(existing.status, `${manifest.kind} ${manifest.metadata.name} already exists (${existing.status})`);
  await api.json('POST', path + CSA_QUERY, { body: asApplied(manifest) });
}

const mib = (bytes: number | undefined): number => Math.round(((bytes ?? NaN) / MiB) * 10) / 10;

function memoryFigures(emu: EmulatorProcess, when: string): Figure[] {
  const m = emu.memory();
  if (!m) return [skippedFigure(`emulator memory ${when}`, 'MiB', 'no /proc/<pid>/status on this platform')];
  return [figure(`emulator RSS ${when}`, mib(m.rssBytes), 'MiB'), figure(`emulator peak RSS (VmHWM) ${when}`, mib(m.peakRssBytes), 'MiB')];
}

benchMain({
  name: 'emulator-cluster',
  timeoutMs: { full: 40 * 60_000, quick: 100_000 },
  async run({ quick, resources, log }) {
    const sizes = quick ? QUICK : FULL;
    const figures: Figure[] = [];
    const notes: string[] = [];
    const emu = await startEmulatorProcess(resources, { podCIDR: '10.244.0.0/16', connections: sizes.connections });
    const api = emu.api;
    notes.push(`emulator: ${emu.commandLine}; client: ${sizes.connections} keep-alive connections`);
    log(`emulator pid ${emu.pid} at ${emu.target.url}, DNS ${emu.dns.host}:${emu.dns.port}`);

    // 1. Apply until every endpoint is ready.
    const pods = sizes.services * sizes.replicas;
    const manifests: KubeObject[] = [];
    const expected = new Map<string, number>();
    for (let i = 0; i < sizes.services; i++) {
      const ns = namespaceOf(i, sizes);
      manifests.push(deploymentManifest(ns, `svc-${i}`, sizes.replicas), serviceManifest(ns, `svc-${i}`, `svc-${i}`));
      expected.set(serviceKey(ns, `svc-${i}`), sizes.replicas);
    }
    for (let j = 0; j < sizes.headless; j++) {
      const ns = namespaceOf(j, sizes);
      manifests.push(serviceManifest(ns, `headless-${j}`, `svc-${j}`, true));
      expected.set(serviceKey(ns, `headless-${j}`), sizes.replicas);
    }
    const tracker = await EndpointTracker.start(api);
    resources.defer(() => tracker.close());
    const satisfied = new Set<string>();
    // When the event that made the last Service whole arrived.
    let allReadyAt: number | undefined;
    tracker.onChange((service) => {
      const want = expected.get(service);
      if (want === undefined) return;
      if (tracker.readyCount(service) >= want) satisfied.add(service);
      else satisfied.delete(service);
      if (allReadyAt === undefined && satisfied.size === expected.size) allReadyAt = tracker.lastEventAt;
    });
    let applied = 0;
    const progress = setInterval(() => {
      log(`${applied}/${manifests.length} objects applied, ${satisfied.size}/${expected.size} Services ready, RSS ${mib(emu.memory()?.rssBytes)} MiB`);
    }, PROGRESS_EVERY_MS);
    resources.defer(() => clearInterval(progress));

    const applyStart = performance.now();
    const namespaces = Array.from({ length: sizes.namespaces }, (_, n) => `bench-${n}`);
    await forEachLimited(namespaces, sizes.connections, async (name) => {
      await api.json('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } });
    });
    await forEachLimited(manifests, sizes.connections, async (m) => {
      await applyNew(api, m);
      applied++;
    });
    const requestsMs = since(applyStart);
    log(`all ${manifests.length} objects applied in ${(requestsMs / 1000).toFixed(1)} s; waiting for endpoints`);
    let allReady = true;
    let readyAt: number;
    try {
      await tracker.waitFor(() => allReadyAt !== undefined, sizes.readyTimeoutMs, 'every endpoint ready');
      readyAt = allReadyAt ?? performance.now();
    } catch (err) {
      if (!(err instanceof DeadlineError)) throw err;
      allReady = false;
      readyAt = performance.now();
      notes.push(`only ${satisfied.size} of ${expected.size} Services had all endpoints ready after ${sizes.readyTimeoutMs / 1000} s`);
    }
    clearInterval(progress);
    const applyMs = readyAt - applyStart;
    const applyName = `apply ${sizes.services} Services + ${pods} pods until all endpoints ready`;
    figures.push(figure(applyName, ms(applyMs / 1000), 's', atMost(20)));
    if (!allReady) figures[figures.length - 1].met = false;
    figures.push(figure('  of which the API requests (GET + POST per object)', ms(requestsMs / 1000), 's'));
    figures.push(figure('  apply rate', Math.round((manifests.length * 2) / (requestsMs / 1000)), 'requests/s'));
    figures.push(...memoryFigures(emu, `at ${pods} pods`));
    log(`apply: ${(applyMs / 1000).toFixed(1)} s (${allReady ? 'all ready' : 'NOT all ready'})`);

    // 2. Endpoint propagation: pods behind the headless Services, one deletion at a time.
    const propagation = { endpoints: [] as number[], dns: [] as number[], rules: [] as number[], chain: [] as number[] };
    let retries = 0;
    for (let k = 0; k < sizes.samples; k++) {
      const j = k % sizes.headless;
      const ns = namespaceOf(j, sizes);
      const svc = serviceKey(ns, `svc-${j}`);
      const headlessName = `headless-${j}.${ns}.svc.cluster.local`;
      try {
        // The previous deletion's replacement must be serving again, so each sample starts from a full Service.
        await tracker.waitFor(() => tracker.readyCount(svc) >= sizes.replicas, 30_000, `${svc} ready again`);
      } catch (err) {
        if (!(err instanceof DeadlineError)) throw err;
        notes.push(`propagation stopped after ${k} samples: ${err.message}`);
        break;
      }
      const [ip, pod] = [...tracker.ready(svc)].sort()[k % sizes.replicas];
      const destination = `--to-destination ${ip}:8080`;
      const rulesPath = `/ksl/v1/rules?namespace=${ns}&name=svc-${j}`;
      // The checks below must be able to fail: before the deletion both reads show the pod.
      const dnsBefore = await queryA(emu.dns.host, emu.dns.port, headlessName, 2000);
      const rulesBefore = await api.request('GET', rulesPath);
      if (!dnsBefore.includes(ip) || !rulesBefore.text.includes(destination)) {
        throw new Error(`before deleting ${pod}: DNS ${dnsBefore.includes(ip) ? 'has' : 'lacks'} ${ip}, rules ${rulesBefore.text.includes(destination) ? 'have' : 'lack'} it`);
      }
      const gone = tracker.waitFor(() => !tracker.ready(svc).has(ip), STEP_TIMEOUT_MS, `${ip} leaving ${svc}`);
      const start = performance.now();
      const deleted = api.json('DELETE', `/api/v1/namespaces/${ns}/pods/${pod}`);
      const endpointsAt = await gone;
      await deleted;
      // One after the other: the emulator answers both on one thread, so asking at once would
      // make each wait for the other.
      const dnsDone = await until(async () => !(await queryA(emu.dns.host, emu.dns.port, headlessName, 2000)).includes(ip), STEP_TIMEOUT_MS, `DNS dropping ${ip}`);
      const rulesDone = await until(async () => !(await api.request('GET', rulesPath)).text.includes(destination), STEP_TIMEOUT_MS, `rules dropping ${ip}`);
      retries += dnsDone.attempts - 1 + rulesDone.attempts - 1;
      propagation.endpoints.push(endpointsAt - start);
      propagation.dns.push(dnsDone.at - start);
      propagation.rules.push(rulesDone.at - start);
      propagation.chain.push(rulesDone.at - start);
    }
    const n = propagation.chain.length;
    if (n > 0) {
      const p = (xs: number[], q: number): number => ms(percentile(xs, q));
      figures.push(
        figure(`propagation p50 (pod delete → endpoints, DNS, rules updated) at ${pods} pods`, p(propagation.chain, 50), 'ms'),
        figure(`propagation p99 (pod delete → endpoints, DNS, rules updated) at ${pods} pods`, p(propagation.chain, 99), 'ms', atMost(50)),
        figure('  delete → EndpointSlice watch event p50', p(propagation.endpoints, 50), 'ms'),
        figure('  delete → EndpointSlice watch event p99', p(propagation.endpoints, 99), 'ms'),
        figure('  delete → DNS answer without the pod p99', p(propagation.dns, 99), 'ms'),
        figure('  delete → proxy rules without the pod p99', p(propagation.rules, 99), 'ms'),
      );
      notes.push(
        `propagation: ${n} samples; after the watch event, DNS is asked, then the rules are read (re-read ${retries} times in all when still stale); the chain ends with the rules`,
      );
    } else {
      figures.push(skippedFigure('propagation p99 (pod delete → endpoints, DNS, rules updated)', 'ms', 'no sample could be taken', atMost(50)));
    }

    // 3. List latency with 10,000 Services.
    const extra = Math.max(0, sizes.listServices - sizes.services - sizes.headless);
    const extraServices: Service[] = Array.from({ length: extra }, (_, i) => serviceManifest(namespaceOf(i, sizes), `list-${i}`, `list-${i}`));
    const createStart = performance.now();
    await forEachLimited(extraServices, sizes.connections, async (s) => {
      await api.json('POST', collectionPath(s) + CSA_QUERY, { body: asApplied(s) });
    });
    log(`${extra} more Services created in ${(since(createStart) / 1000).toFixed(1)} s`);
    const total = (await api.json<{ items: unknown[] }>('GET', '/api/v1/services')).items.length;
    const rawMs: number[] = [];
    const tableMs: number[] = [];
    for (let r = 0; r < sizes.listRuns; r++) {
      let t = performance.now();
      const res = await api.request('GET', '/api/v1/services');
      rawMs.push(since(t));
      if (res.status !== 200) throw new Error(`GET /api/v1/services: ${res.status}`);
      t = performance.now();
      const table = await api.request('GET', '/api/v1/services?limit=500', { accept: TABLE_ACCEPT });
      tableMs.push(since(t));
      if (table.status !== 200) throw new Error(`GET /api/v1/services as Table: ${table.status}`);
    }
    figures.push(
      figure(`raw GET /api/v1/services (${total} Services, JSON)`, ms(median(rawMs)), 'ms'),
      figure('raw GET /api/v1/services?limit=500 as Table (what kubectl asks)', ms(median(tableMs)), 'ms'),
    );
    const kubectlPath = findProgram('kubectl');
    if (!kubectlPath) {
      figures.push(skippedFigure(`kubectl get svc -A (${total} Services)`, 'ms', 'kubectl is not installed'));
    } else {
      const kubectl = new Kubectl(resources, kubectlPath, emu.kubeconfig);
      // The first run fills kubectl's discovery cache, as any earlier command of the user would have.
      await kubectl.timed(['get', 'namespaces'], 60_000);
      const getMs: number[] = [];
      const baseMs: number[] = [];
      let lines = 0;
      for (let r = 0; r < sizes.listRuns; r++) {
        const run = await kubectl.timed(['get', 'svc', '-A'], 120_000);
        getMs.push(run.ms);
        lines = run.stdout.trimEnd().split('\n').length - 1;
        baseMs.push((await kubectl.timed(['get', 'namespaces'], 60_000)).ms);
      }
      if (lines !== total) throw new Error(`kubectl get svc -A printed ${lines} Services, the API holds ${total}`);
      figures.push(
        figure(`kubectl get svc -A (${total} Services)`, ms(median(getMs)), 'ms'),
        figure('kubectl get namespaces (kubectl\'s own fixed cost)', ms(median(baseMs)), 'ms'),
      );
    }
    figures.push(...memoryFigures(emu, `at ${pods} pods + ${total} Services`));
    notes.push(`list: median of ${sizes.listRuns} runs; the emulator ignores limit=500 and answers all items at once`);
    const stderr = emu.stderrNote();
    if (stderr) notes.push(stderr);
    tracker.close();
    return { figures, notes };
  },
});
