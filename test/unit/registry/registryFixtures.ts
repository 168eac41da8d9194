// A cluster for the registry tests: the real strategies and metadata validation, the
// ServiceStrategy kept at hand so tests can see which ClusterIPs and NodePorts are held, a
// recorder of store events, and an assertion for the Status an ApiError carries.

import assert from 'node:assert/strict';
import { ApiError, type Status } from '../../../emulator/src/api/errors';
import { mustResource, R, type ResourceType } from '../../../emulator/src/api/resources';
import type { KubeObject, Service } from '../../../emulator/src/api/types';
import { FakeClock } from '../../../emulator/src/clock';
import { LocalClient } from '../../../emulator/src/controllers/clusterClient';
import { Registry } from '../../../emulator/src/registry/registry';
import { buildStrategies, metaValidator } from '../../../emulator/src/registry/strategies/index';
import type { ServiceStrategy } from '../../../emulator/src/registry/strategies/services';
import { Store, type StoreEvent } from '../../../emulator/src/store/store';
import { seededRand, type TestCluster } from '../helpers/testCluster';

export interface RegistryCluster extends TestCluster {
  /** The Service strategy, whose allocators say which ClusterIPs and NodePorts are taken. */
  services: ServiceStrategy;
}

export interface ClusterShape {
  serviceCIDR?: string;
  nodePortBase?: number;
  nodePortSize?: number;
  seed?: number;
}

/** A store and registry wired like `startEmulator` wires them, with the usual namespaces. */
export function registryCluster(shape: ClusterShape = {}): RegistryCluster {
  const store = new Store();
  const clock = new FakeClock();
  const rand = seededRand(shape.seed ?? 11);
  const strategies = buildStrategies({
    serviceCIDR: shape.serviceCIDR ?? '10.96.0.0/12',
    nodePortBase: shape.nodePortBase ?? 30000,
    nodePortSize: shape.nodePortSize ?? 2768,
    rand,
  });
  const registry = new Registry({ store, clock, strategies: strategies.map, rand, metaValidator });
  for (const name of ['default', 'kube-system', 'kube-public']) {
    registry.create(rt(R.namespaces), '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  return { store, clock, registry, client: new LocalClient(registry), services: strategies.services };
}

export function rt(key: string): ResourceType {
  return mustResource(key);
}

/** A Service manifest as a user writes it: no ClusterIP unless `spec` asks for one. */
export function serviceManifest(name: string, spec: Partial<Service['spec']> = {}, namespace = 'default'): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace },
    spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }], ...spec },
  };
}

/** Every store event from now on, for asserting that a call wrote nothing. */
export function recordEvents(c: TestCluster): { events: StoreEvent[]; stop(): void } {
  const events: StoreEvent[] = [];
  const stop = c.store.subscribe((e) => events.push(e));
  return { events, stop };
}

/** Runs `fn`, which must throw an ApiError, and returns the Status that error would send. */
export function statusOf(fn: () => unknown): Status {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return err.toStatus();
    throw err;
  }
  assert.fail('expected an ApiError, but the call succeeded');
}

/** The ClusterIP and NodePorts a stored Service holds. */
export function allocationsOf(obj: KubeObject): { clusterIP: string; nodePorts: number[] } {
  const svc = obj as Service;
  return {
    clusterIP: svc.spec.clusterIP ?? '',
    nodePorts: (svc.spec.ports ?? []).map((p) => p.nodePort ?? 0).filter((p) => p > 0),
  };
}
