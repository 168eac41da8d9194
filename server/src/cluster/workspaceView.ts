// The cluster as the workspace describes it, for when no cluster is reachable: each workload
// document's pod template stands for its pods (as kube-linter's dangling-service reads them),
// and the workspace's Services and Deployments are what they say. Nothing here is live: there
// are no EndpointSlices, no readiness and no allocations, and the view never reports changes
// of its own (documents changing is the editor's business, not the cluster's).

import type { ClusterChange, ClusterSource, ClusterView } from './clusterView';
import type { WithDefaultNamespace } from './defaultNamespace';
import { podTemplateOf, templatePod } from './podTemplates';
import type { Deployment, EndpointSlice, KubeObject, Pod, Service } from '../validation/kubeTypes';

export interface WorkspaceViewOptions {
  /**
   * The workspace's parsed documents. Called on every query; returning the same array (or
   * the same objects) while nothing changed lets the view reuse what it derived last time.
   */
  workspaceObjects: () => readonly KubeObject[];
  /** The namespace of documents that name none. */
  defaultNamespace?: () => string;
  /** Why the workspace is used, for describe(): `the emulator is not running`. */
  reason?: () => string | undefined;
  log?: (message: string) => void;
}

interface Snapshot {
  input: readonly KubeObject[];
  defaultNamespace: string;
  pods: Map<string, Pod[]>;
  services: Map<string, Service[]>;
  deployments: Map<string, Deployment[]>;
  all: { pods: Pod[]; services: Service[]; deployments: Deployment[] };
}

const EMPTY: readonly never[] = Object.freeze([]);

function record(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export class WorkspaceView implements ClusterView, WithDefaultNamespace {
  readonly source: ClusterSource = { kind: 'workspace' };
  readonly connected = false;
  private readonly listeners = new Set<(change: ClusterChange) => void>();
  private cache: Snapshot | undefined;

  constructor(private readonly opts: WorkspaceViewOptions) {}

  get defaultNamespace(): string {
    return this.opts.defaultNamespace?.() || 'default';
  }

  describe(): string {
    const reason = this.opts.reason?.();
    return reason ? `workspace pod templates (${reason})` : 'workspace pod templates';
  }

  namespaces(): readonly string[] {
    const s = this.snapshot();
    return [...new Set([...s.pods.keys(), ...s.services.keys(), ...s.deployments.keys()])].sort();
  }

  services(namespace?: string): readonly Service[] {
    const s = this.snapshot();
    return namespace === undefined ? s.all.services : (s.services.get(namespace) ?? EMPTY);
  }

  service(namespace: string, name: string): Service | undefined {
    return this.services(namespace).find((svc) => svc.metadata.name === name);
  }

  pods(namespace?: string): readonly Pod[] {
    const s = this.snapshot();
    return namespace === undefined ? s.all.pods : (s.pods.get(namespace) ?? EMPTY);
  }

  endpointSlices(_namespace: string, _serviceName: string): readonly EndpointSlice[] {
    return EMPTY;
  }

  deployments(namespace?: string): readonly Deployment[] {
    const s = this.snapshot();
    return namespace === undefined ? s.all.deployments : (s.deployments.get(namespace) ?? EMPTY);
  }

  onDidChange(listener: (change: ClusterChange) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  dispose(): void {
    this.listeners.clear();
    this.cache = undefined;
  }

  private snapshot(): Snapshot {
    let input: readonly KubeObject[];
    try {
      input = this.opts.workspaceObjects();
    } catch (err) {
      this.opts.log?.(`reading the workspace documents failed: ${err instanceof Error ? err.message : String(err)}`);
      input = EMPTY;
    }
    if (!Array.isArray(input)) input = EMPTY;
    const ns = this.defaultNamespace;
    const cached = this.cache;
    if (cached && cached.defaultNamespace === ns && sameObjects(cached.input, input)) return cached;
    this.cache = derive(input, ns);
    return this.cache;
  }
}

function sameObjects(a: readonly KubeObject[], b: readonly KubeObject[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function derive(input: readonly KubeObject[], defaultNamespace: string): Snapshot {
  const s: Snapshot = {
    input,
    defaultNamespace,
    pods: new Map(),
    services: new Map(),
    deployments: new Map(),
    all: { pods: [], services: [], deployments: [] },
  };
  for (const obj of input) {
    if (!record(obj) || !record(obj.metadata)) continue;
    const template = podTemplateOf(obj, defaultNamespace);
    if (template) {
      const pod = templatePod(template);
      push(s.pods, template.namespace, pod);
      s.all.pods.push(pod);
    }
    const namespace = typeof obj.metadata.namespace === 'string' && obj.metadata.namespace ? obj.metadata.namespace : defaultNamespace;
    if (obj.kind === 'Service' && record(obj['spec'])) {
      const svc = obj as Service;
      push(s.services, namespace, svc);
      s.all.services.push(svc);
    } else if (obj.kind === 'Deployment' && record(obj['spec'])) {
      const dep = obj as Deployment;
      push(s.deployments, namespace, dep);
      s.all.deployments.push(dep);
    }
  }
  // Frozen arrays tell the checks they may cache what they derive from them.
  for (const map of [s.pods, s.services, s.deployments] as Map<string, unknown[]>[]) for (const list of map.values()) Object.freeze(list);
  Object.freeze(s.all.pods);
  Object.freeze(s.all.services);
  Object.freeze(s.all.deployments);
  return s;
}
