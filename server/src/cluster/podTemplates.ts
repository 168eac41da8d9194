// Where a workload document keeps the pods it will create: the objects kube-linter's
// dangling-service looks at (a Pod itself, anything with spec.template, a CronJob's job
// template). Workspace documents may be half-written or wrongly typed, so everything read here
// is checked; what is not a label or a port is left out rather than trusted.

import type { Container, ContainerPort, KubeObject, Pod } from '../validation/kubeTypes';

const TEMPLATE_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicationController']);

export interface PodTemplateSource {
  kind: string;
  name: string;
  namespace: string;
  labels: Record<string, string>;
  containers: Container[];
}

function record(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function labelsOf(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, value] of Object.entries(record(v) ?? {})) if (typeof value === 'string') out[k] = value;
  return out;
}

function portsOf(v: unknown): ContainerPort[] {
  if (!Array.isArray(v)) return [];
  const out: ContainerPort[] = [];
  for (const item of v) {
    const p = record(item);
    if (!p || typeof p['containerPort'] !== 'number') continue;
    const port: ContainerPort = { containerPort: p['containerPort'] };
    if (typeof p['name'] === 'string') port.name = p['name'];
    if (typeof p['protocol'] === 'string') port.protocol = p['protocol'];
    out.push(port);
  }
  return out;
}

function containersOf(v: unknown): Container[] {
  if (!Array.isArray(v)) return [];
  const out: Container[] = [];
  v.forEach((item, i) => {
    const c = record(item);
    if (!c) return;
    const container: Container = { name: typeof c['name'] === 'string' ? c['name'] : `container-${i}`, ports: portsOf(c['ports']) };
    if (typeof c['image'] === 'string') container.image = c['image'];
    out.push(container);
  });
  return out;
}

/** The pod template of a workload document, or undefined for kinds that have none. */
export function podTemplateOf(obj: KubeObject, defaultNamespace: string): PodTemplateSource | undefined {
  const kind = typeof obj.kind === 'string' ? obj.kind : '';
  const meta = record(obj.metadata);
  const name = typeof meta?.['name'] === 'string' ? meta['name'] : '';
  const namespace = typeof meta?.['namespace'] === 'string' && meta['namespace'] ? meta['namespace'] : defaultNamespace;
  let template: Record<string, unknown> | undefined;
  if (kind === 'Pod') template = { metadata: meta, spec: obj['spec'] };
  else if (TEMPLATE_KINDS.has(kind)) template = record(record(obj['spec'])?.['template']);
  else if (kind === 'CronJob') template = record(record(record(record(obj['spec'])?.['jobTemplate'])?.['spec'])?.['template']);
  if (!template) return undefined;
  return {
    kind,
    name,
    namespace,
    labels: labelsOf(record(template['metadata'])?.['labels']),
    containers: containersOf(record(template['spec'])?.['containers']),
  };
}

/**
 * The pod a template stands for: named `<workload>-template` (a Pod document keeps its own
 * name), with the template's labels and containers, owned by its workload, in phase `Template`
 * so nothing mistakes it for a running pod.
 */
export function templatePod(t: PodTemplateSource): Pod {
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: t.kind === 'Pod' ? t.name : `${t.name}-template`,
      namespace: t.namespace,
      labels: t.labels,
    },
    spec: { containers: t.containers },
    status: { phase: 'Template' },
  };
  if (t.kind !== 'Pod') {
    pod.metadata.ownerReferences = [{ apiVersion: apiVersionOf(t.kind), kind: t.kind, name: t.name, uid: '', controller: true }];
  }
  return pod;
}

function apiVersionOf(kind: string): string {
  if (kind === 'Job' || kind === 'CronJob') return 'batch/v1';
  if (kind === 'ReplicationController') return 'v1';
  return 'apps/v1';
}

/** The kind of workload a template pod stands for (`Deployment`), or `Pod` for a Pod document. */
export function templateKindOf(pod: Pod): string {
  return pod.metadata.ownerReferences?.find((o) => o.controller)?.kind ?? 'Pod';
}
