// The live view of a cluster through its HTTP API: one reflector per resource keeps an indexed
// copy of services, pods, endpointslices, deployments and namespaces in every namespace, and
// bursts of changes reach listeners as one ClusterChange. The view is connected once every
// resource has been listed and while every watch is established; while it is not, the last
// known contents stay readable and the reflectors keep retrying.

import type { ApiConnection, ApiFailure } from './apiRequests';
import { ChangeBatcher } from './changeBatcher';
import { systemClock, type Clock } from './clock';
import type { ClusterChange, ClusterSource, ClusterView } from './clusterView';
import type { WithDefaultNamespace } from './defaultNamespace';
import { ObjectIndex } from './objectIndex';
import { Reflector, type ReflectorState, type ResourceSpec } from './reflector';
import type { Deployment, EndpointSlice, KubeObject, Namespace, Pod, Service } from '../validation/kubeTypes';

export interface KubeApiViewOptions {
  connection: ApiConnection;
  source: ClusterSource;
  /** How users know this cluster: `emulator at https://127.0.0.1:4321`. */
  label: string;
  defaultNamespace: string;
  log: (message: string) => void;
  clock?: Clock;
  rand?: () => number;
  coalesceMs?: number;
}

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

const core = (plural: string, kind: string): ResourceSpec => ({
  name: plural,
  apiVersion: 'v1',
  kind,
  clusterPath: `/api/v1/${plural}`,
  namespacedPath: (ns) => `/api/v1/namespaces/${encodeURIComponent(ns)}/${plural}`,
});

const grouped = (group: string, version: string, plural: string, kind: string): ResourceSpec => ({
  name: plural,
  apiVersion: `${group}/${version}`,
  kind,
  clusterPath: `/apis/${group}/${version}/${plural}`,
  namespacedPath: (ns) => `/apis/${group}/${version}/namespaces/${encodeURIComponent(ns)}/${plural}`,
});

export const WATCHED_RESOURCES = {
  services: core('services', 'Service'),
  pods: core('pods', 'Pod'),
  endpointslices: grouped('discovery.k8s.io', 'v1', 'endpointslices', 'EndpointSlice'),
  deployments: grouped('apps', 'v1', 'deployments', 'Deployment'),
  namespaces: { name: 'namespaces', apiVersion: 'v1', kind: 'Namespace', clusterPath: '/api/v1/namespaces', optional: true },
} satisfies Record<string, ResourceSpec>;

export class KubeApiView implements ClusterView, WithDefaultNamespace {
  readonly source: ClusterSource;
  readonly defaultNamespace: string;
  private readonly label: string;
  private readonly batcher: ChangeBatcher;
  private readonly indexes = {
    services: new ObjectIndex<Service>(),
    pods: new ObjectIndex<Pod>(),
    endpointslices: new ObjectIndex<EndpointSlice>((s) => sliceGroup(s.metadata.namespace ?? '', s.metadata.labels?.[SERVICE_NAME_LABEL])),
    deployments: new ObjectIndex<Deployment>(),
    namespaces: new ObjectIndex<Namespace>(),
  };
  private readonly reflectors = new Map<string, Reflector>();
  private wasConnected = false;
  private disposed = false;

  constructor(opts: KubeApiViewOptions) {
    this.source = opts.source;
    this.label = opts.label;
    this.defaultNamespace = opts.defaultNamespace;
    const clock = opts.clock ?? systemClock;
    this.batcher = new ChangeBatcher(clock, opts.log, opts.coalesceMs);
    for (const [key, spec] of Object.entries(WATCHED_RESOURCES) as [keyof typeof WATCHED_RESOURCES, ResourceSpec][]) {
      const index = this.indexes[key] as ObjectIndex<KubeObject>;
      const changed = (didChange: boolean): void => {
        if (didChange) this.batcher.resourceChanged(spec.name);
      };
      this.reflectors.set(
        key,
        new Reflector({
          connection: opts.connection,
          spec,
          namespace: opts.defaultNamespace,
          clock,
          rand: opts.rand ?? Math.random,
          log: opts.log,
          sink: {
            replace: (objects) => changed(index.replace(objects)),
            upsert: (obj) => changed(index.upsert(obj)),
            remove: (obj) => changed(index.remove(obj)),
          },
          onState: (state) => this.stateChanged(spec.name, state, opts.log),
        }),
      );
    }
  }

  get connected(): boolean {
    if (this.disposed) return false;
    for (const r of this.reflectors.values()) {
      const phase = r.current.phase;
      if (phase !== 'synced' && phase !== 'unavailable') return false;
    }
    return true;
  }

  describe(): string {
    if (this.disposed) return `${this.label}: closed`;
    if (this.connected) return this.label;
    const failure = this.firstFailure();
    return failure ? `${this.label}: ${failureText(failure)}, retrying` : `${this.label}: connecting`;
  }

  namespaces(): readonly string[] {
    const names = new Set<string>();
    if (this.reflectors.get('namespaces')?.current.phase === 'unavailable') {
      // Without the right to list namespaces, the ones that hold something are what is known.
      names.add(this.defaultNamespace);
      for (const key of ['services', 'pods', 'deployments'] as const) for (const ns of this.indexes[key].groupKeys()) names.add(ns);
    } else {
      for (const ns of this.indexes.namespaces.list()) if (ns.metadata.name) names.add(ns.metadata.name);
    }
    return [...names].sort();
  }

  services(namespace?: string): readonly Service[] {
    return this.indexes.services.list(namespace);
  }

  service(namespace: string, name: string): Service | undefined {
    return this.indexes.services.get(namespace, name);
  }

  pods(namespace?: string): readonly Pod[] {
    return this.indexes.pods.list(namespace);
  }

  endpointSlices(namespace: string, serviceName: string): readonly EndpointSlice[] {
    return this.indexes.endpointslices.list(sliceGroup(namespace, serviceName));
  }

  deployments(namespace?: string): readonly Deployment[] {
    return this.indexes.deployments.list(namespace);
  }

  onDidChange(listener: (change: ClusterChange) => void): () => void {
    return this.batcher.subscribe(listener);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const r of this.reflectors.values()) r.dispose();
    this.batcher.dispose();
  }

  /** Resolves once every reflector's loop has ended (after dispose). */
  async closed(): Promise<void> {
    await Promise.all([...this.reflectors.values()].map((r) => r.done));
  }

  private firstFailure(): ApiFailure | undefined {
    for (const r of this.reflectors.values()) {
      const state = r.current;
      if (state.phase === 'failed') return state.failure;
    }
    return undefined;
  }

  private stateChanged(resource: string, state: ReflectorState, log: (message: string) => void): void {
    if (state.phase === 'failed') log(`${this.label}: ${resource}: ${failureText(state.failure)}`);
    if (state.phase === 'unavailable') log(`${this.label}: ${resource} are not readable (${state.failure.message}); working without them`);
    const now = this.connected;
    if (now === this.wasConnected) return;
    this.wasConnected = now;
    log(now ? `${this.label}: connected` : `${this.label}: connection lost`);
    this.batcher.connectionChanged();
  }
}

function sliceGroup(namespace: string, serviceName: string | undefined): string {
  return `${namespace}/${serviceName ?? ''}`;
}

/** What went wrong, in words that say what to do about it. */
export function failureText(failure: ApiFailure): string {
  switch (failure.kind) {
    case 'unreachable':
      return `unreachable (${failure.message})`;
    case 'unauthorized':
      return `the server refused the credentials (${failure.message})`;
    case 'forbidden':
      return `access denied (${failure.message})`;
    case 'credentials':
      return failure.message;
    default:
      return `the API answered unexpectedly (${failure.message})`;
  }
}
