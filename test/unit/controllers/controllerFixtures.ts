// Shared set-up for the controller tests: a test cluster that writes through the real
// strategies (defaulting, generation, validation, ClusterIP allocation), plus builders for the
// objects the lesson uses.

import { buildStrategies, metaValidator } from '../../../emulator/src/registry/strategies/index';
import { Registry } from '../../../emulator/src/registry/registry';
import { LocalClient } from '../../../emulator/src/controllers/clusterClient';
import { startControllers, type RunningControllers } from '../../../emulator/src/controllers/manager';
import { mustResource, R } from '../../../emulator/src/api/resources';
import type { Deployment, Event, KubeObject, Pod, Service } from '../../../emulator/src/api/types';
import { FakeClock } from '../../../emulator/src/clock';
import { Store } from '../../../emulator/src/store/store';
import { seededRand, type TestCluster } from '../helpers/testCluster';

/** A cluster whose writes are defaulted and validated like the apiserver's. */
export function strictCluster(): TestCluster {
  const store = new Store();
  const clock = new FakeClock();
  const rand = seededRand(7);
  const strategies = buildStrategies({ serviceCIDR: '10.96.0.0/12', nodePortBase: 30000, nodePortSize: 2768, rand });
  const registry = new Registry({ store, clock, strategies: strategies.map, rand, metaValidator });
  for (const name of ['default', 'kube-system', 'kube-public']) {
    registry.create(mustResource(R.namespaces), '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  return { store, registry, client: new LocalClient(registry), clock };
}

export interface Running extends TestCluster {
  ctl: RunningControllers;
  /** Advances the fake clock and lets every controller finish what became due. */
  tick(ms: number): void;
}

/** A strict cluster with every controller running synchronously (queues run inside drain). */
export function runningCluster(options: { tunnel?: boolean; readyDelayMs?: number } = {}): Running {
  const c = strictCluster();
  const ctl = startControllers({ client: c.client, registry: c.registry, clock: c.clock, options, schedule: null });
  ctl.drain();
  return {
    ...c,
    ctl,
    tick(ms: number) {
      ctl.drain();
      // Step through time so work that falls due mid-way runs at its own moment.
      const step = 50;
      for (let t = 0; t < ms; t += step) {
        c.clock.advance(Math.min(step, ms - t));
        ctl.drain();
      }
    },
  };
}

export function deployment(name: string, replicas: number, image = 'nginx:1.27', extra: Partial<Deployment['spec']> = {}): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'nginx', image, ports: [{ containerPort: 80, name: 'http' }] }] },
      },
      ...extra,
    },
  };
}

export function service(name: string, selector: Record<string, string> | null, extra: Partial<Service['spec']> = {}): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default', labels: { app: name } },
    spec: { ...(selector ? { selector } : {}), ports: [{ port: 80, targetPort: 80 }], ...extra },
  };
}

export function pods(c: TestCluster, namespace = 'default'): Pod[] {
  return c.client.list<Pod>(R.pods, namespace);
}

export function events(c: TestCluster, namespace = 'default'): Event[] {
  return c.client.list<Event>(R.events, namespace);
}

export function messages(c: TestCluster, reason?: string): string[] {
  return events(c)
    .filter((e) => !reason || e.reason === reason)
    .map((e) => e.message ?? '');
}

export function get<T extends KubeObject>(c: TestCluster, resource: string, name: string, namespace = 'default'): T {
  const obj = c.client.get<T>(resource, namespace, name);
  if (!obj) throw new Error(`${resource} ${namespace}/${name} not found`);
  return obj;
}

/** Sorted pod IPs of running pods. */
export function podIPs(c: TestCluster): string[] {
  return pods(c)
    .map((p) => p.status?.podIP ?? '')
    .filter(Boolean)
    .sort();
}
