// An in-memory ClusterView for the cluster tests: objects are set directly, changes are
// announced by hand, and nothing touches a network or a clock.

import type { ClusterChange, ClusterSource, ClusterView } from '../../../../server/src/cluster/clusterView';
import type { Deployment, EndpointSlice, Pod, Service } from '../../../../server/src/validation/kubeTypes';

export interface FakeClusterContents {
  source?: ClusterSource;
  connected?: boolean;
  defaultNamespace?: string;
  pods?: Pod[];
  services?: Service[];
  endpointSlices?: EndpointSlice[];
  deployments?: Deployment[];
  label?: string;
}

const byNamespace = <T extends { metadata: { namespace?: string } }>(items: T[], ns?: string): T[] =>
  ns === undefined ? items : items.filter((i) => (i.metadata.namespace ?? 'default') === ns);

export class FakeClusterView implements ClusterView {
  source: ClusterSource;
  connected: boolean;
  defaultNamespace: string | undefined;
  label: string;
  podList: Pod[];
  serviceList: Service[];
  sliceList: EndpointSlice[];
  deploymentList: Deployment[];
  disposed = false;
  private readonly listeners = new Set<(change: ClusterChange) => void>();

  constructor(contents: FakeClusterContents = {}) {
    this.source = contents.source ?? { kind: 'emulator', stateDir: '/state', url: 'https://127.0.0.1:4321' };
    this.connected = contents.connected ?? true;
    this.defaultNamespace = contents.defaultNamespace;
    this.label = contents.label ?? 'fake cluster';
    this.podList = contents.pods ?? [];
    this.serviceList = contents.services ?? [];
    this.sliceList = contents.endpointSlices ?? [];
    this.deploymentList = contents.deployments ?? [];
  }

  describe(): string {
    return this.connected ? this.label : `${this.label}: connecting`;
  }

  namespaces(): readonly string[] {
    return [...new Set([...this.podList, ...this.serviceList].map((o) => o.metadata.namespace ?? 'default'))].sort();
  }

  services(namespace?: string): readonly Service[] {
    return byNamespace(this.serviceList, namespace);
  }

  service(namespace: string, name: string): Service | undefined {
    return this.services(namespace).find((s) => s.metadata.name === name);
  }

  pods(namespace?: string): readonly Pod[] {
    return byNamespace(this.podList, namespace);
  }

  endpointSlices(namespace: string, serviceName: string): readonly EndpointSlice[] {
    return byNamespace(this.sliceList, namespace).filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === serviceName);
  }

  deployments(namespace?: string): readonly Deployment[] {
    return byNamespace(this.deploymentList, namespace);
  }

  onDidChange(listener: (change: ClusterChange) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** Announces a change the way a live view would after a burst of events. */
  emit(change: Partial<ClusterChange> = {}): void {
    const full: ClusterChange = { resources: change.resources ?? new Set(['pods']), connectionChanged: change.connectionChanged ?? false };
    for (const l of [...this.listeners]) l(full);
  }

  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
  }
}

export interface PodShape {
  namespace?: string;
  labels?: Record<string, string>;
  ready?: boolean;
  phase?: string;
  waiting?: string;
  deleting?: boolean;
  ports?: { containerPort: number; name?: string; protocol?: string }[];
}

/** A pod as the cluster reports it: Running and Ready unless told otherwise. */
export function pod(name: string, shape: PodShape = {}): Pod {
  const ready = shape.ready ?? true;
  const p: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: shape.namespace ?? 'default', labels: shape.labels ?? { app: 'web' } },
    spec: { containers: [{ name: 'main', image: 'nginx:1.27', ports: shape.ports ?? [{ containerPort: 80, name: 'http', protocol: 'TCP' }] }] },
    status: {
      phase: shape.phase ?? (ready ? 'Running' : 'Pending'),
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
    },
  };
  if (shape.deleting) p.metadata.deletionTimestamp = '2026-11-26T08:00:00Z';
  if (shape.waiting) {
    p.status!.containerStatuses = [{ name: 'main', ready: false, restartCount: 0, state: { waiting: { reason: shape.waiting } } }];
  }
  return p;
}

/** Three ready nginx pods labelled app=web (plus the hash label a ReplicaSet adds), as the lesson makes. */
export function webPods(n = 3, shape: PodShape = {}): Pod[] {
  return Array.from({ length: n }, (_, i) => pod(`web-7d4b9-${'abcde'[i] ?? i}`, { labels: { app: 'web', 'pod-template-hash': '7d4b9' }, ...shape }));
}
