// The emulator's memory with 100,000 pods: Deployments of 1,000 replicas each are created
// through the API of an emulator in its own process, and its resident set (VmRSS, VmHWM from
// /proc) is read once every pod is ready. Making that many pods takes the emulator a while, so
// the run has a time budget; when the budget runs out first, the figures say how far it got,
// at what rate, and what the memory per pod seen so far projects to.

import type { ReplicaSet } from '../emulator/src/api/types';
import { benchMain } from './lib/benchMain';
import { DeadlineError } from './lib/deadline';
import { startEmulatorProcess } from './lib/emulatorProcess';
import { atMost, figure, MiB, skippedFigure, type Figure } from './lib/figures';
import { forEachLimited } from './lib/pool';
import { deploymentManifest } from './lib/syntheticCluster';

interface Sizes {
  namespaces: number;
  deployments: number;
  replicas: number;
  budgetMs: number;
}

const FULL: Sizes = { namespaces: 10, deployments: 100, replicas: 1000, budgetMs: 20 * 60_000 };
const QUICK: Sizes = { namespaces: 2, deployments: 10, replicas: 200, budgetMs: 40_000 };
const PROGRESS_EVERY_MS = 10_000;
const CONNECTIONS = 8;
const TARGET_MIB = 1024;

const mib = (bytes: number): number => Math.round((bytes / MiB) * 10) / 10;

benchMain({
  name: 'emulator-memory',
  timeoutMs: { full: 30 * 60_000, quick: 90_000 },
  async run({ quick, resources, log }) {
    const sizes = quick ? QUICK : FULL;
    const pods = sizes.deployments * sizes.replicas;
    // A /14 holds 262,142 pod addresses; the CLI's default /24 holds 253.
    const emu = await startEmulatorProcess(resources, { podCIDR: '10.244.0.0/14', connections: CONNECTIONS });
    const api = emu.api;
    const baseline = emu.memory()?.rssBytes ?? 0;

    // Pods per ReplicaSet, created and ready, from a list and a watch of ReplicaSets: their
    // status follows each sync of the ReplicaSet controller, and the stream stays small
    // whatever the pod count.
    const counts = new Map<string, { created: number; ready: number }>();
    let createdTotal = 0;
    let readyTotal = 0;
    let onReadyChange: () => void = () => undefined;
    const list = await api.json<{ metadata: { resourceVersion: string } }>('GET', '/apis/apps/v1/replicasets');
    const watch = api.watch<ReplicaSet>(`/apis/apps/v1/replicasets?watch=true&resourceVersion=${list.metadata.resourceVersion}`, (e) => {
      // Only ours: kube-system has the cluster DNS.
      if (!e.object.metadata.namespace?.startsWith('mem-')) return;
      const key = `${e.object.metadata.namespace}/${e.object.metadata.name}`;
      const before = counts.get(key) ?? { created: 0, ready: 0 };
      const now = e.type === 'DELETED' ? { created: 0, ready: 0 } : { created: e.object.status?.replicas ?? 0, ready: e.object.status?.readyReplicas ?? 0 };
      createdTotal += now.created - before.created;
      readyTotal += now.ready - before.ready;
      counts.set(key, now);
      onReadyChange();
    });
    resources.defer(() => watch.close());

    const start = performance.now();
    const elapsed = (): number => (performance.now() - start) / 1000;
    const progress = setInterval(() => {
      log(`${createdTotal} pods created, ${readyTotal}/${pods} ready after ${elapsed().toFixed(0)} s, RSS ${mib(emu.memory()?.rssBytes ?? 0)} MiB`);
    }, PROGRESS_EVERY_MS);
    resources.defer(() => clearInterval(progress));

    for (let n = 0; n < sizes.namespaces; n++) {
      await api.json('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `mem-${n}` } } });
    }
    const deployments = Array.from({ length: sizes.deployments }, (_, i) => deploymentManifest(`mem-${i % sizes.namespaces}`, `mem-${i}`, sizes.replicas));
    await forEachLimited(deployments, CONNECTIONS, async (d) => {
      await api.json('POST', `/apis/apps/v1/namespaces/${d.metadata.namespace}/deployments`, { body: d });
    });

    let reached = true;
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new DeadlineError('budget')), Math.max(0, sizes.budgetMs - (performance.now() - start)));
        onReadyChange = () => {
          if (readyTotal >= pods) {
            clearTimeout(timer);
            resolve();
          }
        };
        void watch.ended.then((err) => {
          clearTimeout(timer);
          reject(err ?? new Error('the ReplicaSet watch ended'));
        });
        onReadyChange();
      });
    } catch (err) {
      if (!(err instanceof DeadlineError)) throw err;
      reached = false;
    }
    clearInterval(progress);
    const seconds = elapsed();
    const readyPods = readyTotal;
    const createdPods = createdTotal;
    const memory = emu.memory();
    if (!memory) {
      return { figures: [skippedFigure(`emulator RSS at ${pods} pods`, 'MiB', 'no /proc/<pid>/status on this platform', atMost(TARGET_MIB))] };
    }
    const rate = readyPods / seconds;
    const figures: Figure[] = [
      figure('pods created', createdPods, 'pods'),
      figure('pods ready', readyPods, 'pods'),
      figure(reached ? `time until ${pods} pods ready` : 'time spent (budget)', Math.round(seconds * 10) / 10, 's'),
      figure('pods made ready per second', Math.round(rate * 10) / 10, 'pods/s'),
      figure(`emulator RSS at the end (${createdPods} pods, ${readyPods} ready)`, mib(memory.rssBytes), 'MiB'),
    ];
    const peakName = `emulator peak RSS (VmHWM) at ${pods} pods`;
    if (reached) {
      figures.push(
        figure('memory per pod (RSS growth / pods)', Math.round(((memory.rssBytes - baseline) / pods / 1024) * 10) / 10, 'KiB'),
        figure(peakName, mib(memory.peakRssBytes), 'MiB', atMost(TARGET_MIB)),
      );
    } else {
      const etaMin = rate > 0 ? Math.round((pods - readyPods) / rate / 60) : Infinity;
      // Pods created but not yet ready already hold memory, so scaling the growth by ready pods
      // overestimates: an upper bound, where the RSS measured now is a lower one.
      const projected = readyPods > 0 ? baseline + ((memory.rssBytes - baseline) * pods) / readyPods : NaN;
      figures.push(
        figure(`emulator peak RSS (VmHWM) at the end`, mib(memory.peakRssBytes), 'MiB'),
        skippedFigure(peakName, 'MiB', `only ${readyPods} of ${pods} pods ready within the ${sizes.budgetMs / 1000} s budget; ~${etaMin} more min at ${rate.toFixed(1)} pods/s`, atMost(TARGET_MIB)),
        figure(`projected RSS at ${pods} ready pods (upper bound, linear in ready pods)`, mib(projected), 'MiB', atMost(TARGET_MIB)),
      );
    }
    // A stalled count can mean a cluster that no longer accepts writes; one more write tells.
    let probeNote: string[] = [];
    try {
      const probe = await api.request('POST', '/api/v1/namespaces', {
        body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'mem-probe' } },
        timeoutMs: 30_000,
      });
      if (probe.status >= 300) probeNote = [`a write after the run failed: ${probe.status} ${probe.text.slice(0, 300)}`];
    } catch (err) {
      probeNote = [`a write after the run got no answer: ${(err as Error).message}`];
    }
    const stderr = emu.stderrNote();
    return {
      figures,
      notes: [
        ...probeNote,
        ...(stderr ? [stderr] : []),
        `${sizes.deployments} Deployments × ${sizes.replicas} replicas in ${sizes.namespaces} namespaces, no Services; baseline RSS ${mib(baseline)} MiB; emulator: ${emu.commandLine}`,
      ],
    };
  },
});
