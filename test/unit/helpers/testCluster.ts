// A whole in-memory cluster for unit tests: store, registry, in-process client and a fake
// clock, with the namespaces every cluster starts with. No disk, no network.

import { FakeClock } from '../../../emulator/src/clock';
import { LocalClient } from '../../../emulator/src/controllers/clusterClient';
import { Registry } from '../../../emulator/src/registry/registry';
import type { Strategy } from '../../../emulator/src/registry/strategy';
import { Store } from '../../../emulator/src/store/store';

export interface TestCluster {
  store: Store;
  registry: Registry;
  client: LocalClient;
  clock: FakeClock;
}

/** A seeded random source, so generated names are stable across runs. */
export function seededRand(seed = 42): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function testCluster(strategies: ReadonlyMap<string, Strategy> = new Map()): TestCluster {
  const store = new Store();
  const clock = new FakeClock();
  const registry = new Registry({ store, clock, strategies, rand: seededRand() });
  for (const name of ['default', 'kube-system', 'kube-public']) {
    store.create('namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, uid: `ns-${name}`, creationTimestamp: '2026-11-26T08:00:00Z' },
      status: { phase: 'Active' },
    });
  }
  return { store, registry, client: new LocalClient(registry), clock };
}
