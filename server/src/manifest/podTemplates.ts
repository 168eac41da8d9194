// Where each workload kind keeps the pods it makes. A Pod is its own template; controllers
// keep one under spec.template, a CronJob one level further down, under its job template.
// These are what a Service's selector is matched against when no cluster is reachable.

import type { FieldPathSegment } from '../features/finding';
import type { PodTemplateSpec } from '../validation/kubeTypes';

export interface PodTemplateRef {
  /** Path from the document root to the template (empty for a Pod). */
  path: FieldPathSegment[];
  template: PodTemplateSpec;
}

const templatePaths: Readonly<Record<string, readonly string[]>> = {
  Deployment: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The kinds whose objects carry a pod template. */
export function hasPodTemplate(kind: string | undefined): boolean {
  return kind === 'Pod' || (kind !== undefined && Object.hasOwn(templatePaths, kind));
}

/**
 * The pod template of a workload object, or undefined for other kinds and for objects without
 * one. The template is typed as the object's: pass a decoded object (features/apiserverObject)
 * when the types must hold.
 */
export function podTemplateOf(object: unknown): PodTemplateRef | undefined {
  if (!isRecord(object)) return undefined;
  const kind = object['kind'];
  if (kind === 'Pod') {
    const metadata = isRecord(object['metadata']) ? object['metadata'] : {};
    const spec = isRecord(object['spec']) ? object['spec'] : { containers: [] };
    return { path: [], template: { metadata, spec } as unknown as PodTemplateSpec };
  }
  if (typeof kind !== 'string' || !Object.hasOwn(templatePaths, kind)) return undefined;
  let cur: unknown = object;
  for (const seg of templatePaths[kind]!) {
    if (!isRecord(cur)) return undefined;
    cur = cur[seg];
  }
  if (!isRecord(cur)) return undefined;
  return { path: [...templatePaths[kind]!], template: cur as unknown as PodTemplateSpec };
}
