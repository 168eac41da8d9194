// `kubectl apply`'s bookkeeping, client-side: the object as applied is recorded in the
// kubectl.kubernetes.io/last-applied-configuration annotation, as kubectl writes it (Go's
// JSON with sorted keys, the annotation itself left out, a trailing newline), so `kubectl
// apply` of the same file afterwards says "unchanged". A later apply sends a three-way
// merge patch built from that record (the original), the new manifest (modified) and the
// live object (current):
// - a field the manifest dropped since the last apply is deleted (null);
// - a field the manifest sets to something the live object does not have is set;
// - a list is replaced as a whole when the manifest changed it since the last apply, or when
//   the live list does not already contain what the manifest says, item by item (fields the
//   server filled in, like a port's protocol or a container's imagePullPolicy, do not count
//   as a difference, as they do not for kubectl's strategic merge);
// - everything the server owns and the manifest never mentioned (status, clusterIP,
//   nodePorts it allocated) is left alone.
// An empty patch means "unchanged".

import type { KubeObject } from '../validation/kubeTypes';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

export type JsonObject = Record<string, unknown>;

function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A string as Go's encoding/json writes it: HTML-sensitive characters and line separators escaped. */
function goString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Go's json.Marshal of an unstructured object: map keys sorted, no spaces. */
export function goJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => goJson(v ?? null)).join(',')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${goString(k)}:${goJson(value[k])}`).join(',')}}`;
  }
  if (typeof value === 'string') return goString(value);
  if (value === undefined) return 'null';
  return JSON.stringify(value);
}

/**
 * The manifest as `kubectl apply` sends it: its annotations with the last-applied record of
 * itself. kubectl records the object with an empty annotations map when it has none, and so
 * does this.
 */
export function withLastApplied(manifest: KubeObject): KubeObject {
  const copy = JSON.parse(JSON.stringify(manifest)) as KubeObject;
  const annotations: Record<string, string> = { ...(copy.metadata.annotations ?? {}) };
  delete annotations[LAST_APPLIED];
  copy.metadata.annotations = annotations;
  const record = goJson(copy) + '\n';
  copy.metadata.annotations = { ...annotations, [LAST_APPLIED]: record };
  return copy;
}

/** The object recorded in the live object's annotation, or undefined when there is none (or it is not JSON). */
export function recordedOriginal(current: KubeObject): JsonObject | undefined {
  const text = current.metadata?.annotations?.[LAST_APPLIED];
  if (typeof text !== 'string') return undefined;
  try {
    const parsed = JSON.parse(text) as unknown;
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && equal(a[k], b[k]));
  }
  return false;
}

/** Whether everything `wanted` says is already so in `actual` (which may say more, in objects). */
function contained(wanted: unknown, actual: unknown): boolean {
  if (Array.isArray(wanted)) return Array.isArray(actual) && wanted.length === actual.length && wanted.every((w, i) => contained(w, actual[i]));
  if (isObject(wanted)) return isObject(actual) && Object.keys(wanted).every((k) => contained(wanted[k], actual[k]));
  return equal(wanted, actual);
}

/** The JSON merge patch that takes `current` to what `modified` asks, given what `original` asked before. */
export function threeWayMergePatch(original: JsonObject | undefined, modified: JsonObject, current: JsonObject): JsonObject {
  const patch: JsonObject = {};
  for (const [key, m] of Object.entries(modified)) {
    const o = original?.[key];
    const c = current[key];
    if (isObject(m)) {
      if (!isObject(c)) patch[key] = m;
      else {
        const sub = threeWayMergePatch(isObject(o) ? o : undefined, m, c);
        if (Object.keys(sub).length > 0) patch[key] = sub;
      }
    } else if (Array.isArray(m)) {
      const unchangedSinceLastApply = o === undefined || equal(o, m);
      if (!(unchangedSinceLastApply && contained(m, c))) patch[key] = m;
    } else if (!equal(m, c)) {
      patch[key] = m;
    }
  }
  if (original) {
    for (const key of Object.keys(original)) {
      if (!Object.hasOwn(modified, key) && Object.hasOwn(current, key) && current[key] !== null) patch[key] = null;
    }
  }
  return patch;
}
