// Applies manifest files to the emulator from inside its own process, the way `kubectl apply`
// would: new objects are created with kubectl's last-applied-configuration annotation (so a
// later `kubectl apply` of the same files says "unchanged"), existing ones are updated only
// when the manifest changed.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ApiError } from '../api/errors';
import { clone, isPlainObject } from '../api/objects';
import { resourceByKind } from '../api/resources';
import type { KubeObject } from '../api/types';
import type { Registry } from '../registry/registry';

export interface ApplyOutcome {
  /** `service/web created`, in kubectl's words. */
  line: string;
  ok: boolean;
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function manifestFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((n) => ['.yaml', '.yml', '.json'].includes(extname(n)))
    .sort()
    .map((n) => join(path, n));
}

/** Go's json.Marshal of an unstructured object: map keys sorted, no spaces. */
function goJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(goJson).join(',')}]`;
  if (isPlainObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => value[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${goJson(value[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

function lastApplied(obj: KubeObject): string {
  const copy = clone(obj);
  copy.metadata.annotations = { ...(copy.metadata.annotations ?? {}) };
  delete copy.metadata.annotations[LAST_APPLIED];
  return goJson(copy) + '\n';
}

export function applyManifests(registry: Registry, path: string, namespace = 'default'): ApplyOutcome[] {
  const out: ApplyOutcome[] = [];
  for (const file of manifestFiles(path)) {
    for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
      if ('errors' in doc && doc.errors.length) {
        out.push({ line: `error: error parsing ${file}: ${doc.errors[0].message}`, ok: false });
        continue;
      }
      const obj = doc.toJS() as unknown;
      if (obj === null || obj === undefined) continue;
      if (!isPlainObject(obj) || typeof obj.kind !== 'string' || typeof obj.apiVersion !== 'string') {
        out.push({ line: `error: ${file}: a document is not a Kubernetes object (apiVersion and kind are required)`, ok: false });
        continue;
      }
      out.push(applyOne(registry, obj as KubeObject, namespace));
    }
  }
  return out;
}

function applyOne(registry: Registry, manifest: KubeObject, namespace: string): ApplyOutcome {
  const rt = resourceByKind(manifest.apiVersion ?? '', manifest.kind ?? '');
  const label = `${(manifest.kind ?? '').toLowerCase()}${rt?.group ? '.' + rt.group : ''}/${manifest.metadata?.name ?? ''}`;
  if (!rt) return { line: `error: the emulator has no resource of kind ${manifest.kind} in ${manifest.apiVersion}`, ok: false };
  const obj = clone(manifest);
  obj.metadata = obj.metadata ?? {};
  if (rt.namespaced) obj.metadata.namespace = obj.metadata.namespace ?? namespace;
  const applied = lastApplied({ ...obj, metadata: { ...obj.metadata, annotations: { ...(obj.metadata.annotations ?? {}) } } });
  obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), [LAST_APPLIED]: applied };
  try {
    const current = registry.store.get(rt.key, rt.namespaced ? obj.metadata.namespace ?? '' : '', obj.metadata.name ?? '');
    if (!current) {
      registry.create(rt, obj.metadata.namespace ?? '', obj);
      return { line: `${label} created`, ok: true };
    }
    if (current.metadata.annotations?.[LAST_APPLIED] === applied) return { line: `${label} unchanged`, ok: true };
    const next = { ...clone(current), ...obj, status: current.status };
    const result = registry.update(rt, obj.metadata.namespace ?? '', obj.metadata.name ?? '', next as KubeObject);
    return { line: `${label} ${result.changed ? 'configured' : 'unchanged'}`, ok: true };
  } catch (err) {
    if (err instanceof ApiError) {
      const msg = err.code === 422 ? `The ${err.message}` : `Error from server (${err.reason}): ${err.message}`;
      return { line: msg, ok: false };
    }
    throw err;
  }
}
