// The file against the Service of the same name in the cluster: what `kubectl apply` would
// change. Only the fields the file writes are compared (a field the file leaves out is not
// the file's opinion), each after the apiserver's defaulting, so `targetPort` left out still
// means "the port" and `protocol` left out means TCP. Fields the server fills in (clusterIP,
// nodePorts, status, uid...) are compared only when the file sets them itself.

import type { Finding } from '../features/finding';
import { defaultService } from '../validation/serviceDefaults';
import { record } from './serviceDocument';
import type { KubeObject, Service, ServicePort } from '../validation/kubeTypes';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const MAX_LISTED = 5;

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const r = record(v);
  if (r) return `{${Object.keys(r).sort().map((k) => `${JSON.stringify(k)}:${canonical(r[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'undefined';
}

function sameValue(a: unknown, b: unknown): boolean {
  // The same value or object reads the same; only unequal ones need spelling out.
  return a === b || canonical(a ?? null) === canonical(b ?? null);
}

function show(v: unknown): string {
  if (v === undefined || v === null) return 'unset';
  if (typeof v === 'string') return v === '' ? '""' : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`;
  return canonical(v);
}

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, value] of Object.entries(record(v) ?? {})) if (typeof value === 'string') out[k] = value;
  return out;
}

/** `selector has app=web there, app=wbe here`: the pairs each side has that the other lacks. */
function mapDifference(name: string, here: Record<string, string>, there: Record<string, string>): string | undefined {
  const onlyThere = Object.keys(there).sort().filter((k) => here[k] !== there[k]).map((k) => `${k}=${there[k]}`);
  const onlyHere = Object.keys(here).sort().filter((k) => here[k] !== there[k]).map((k) => `${k}=${here[k]}`);
  const verb = name === 'selector' ? 'has' : 'have';
  if (onlyThere.length && onlyHere.length) return `${name} ${verb} ${onlyThere.join(',')} there, ${onlyHere.join(',')} here`;
  if (onlyThere.length) return `${name} ${verb} ${onlyThere.join(',')} there`;
  if (onlyHere.length) return `${name} ${verb} ${onlyHere.join(',')} only here`;
  return undefined;
}

function portLabel(p: ServicePort): string {
  return `${p.name ? `${p.name} ` : ''}${show(p.port)}/${p.protocol ?? 'TCP'}`;
}

function portDifferences(written: unknown[], here: ServicePort[], there: ServicePort[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < Math.max(here.length, there.length); i++) {
    const h = here[i];
    const t = there[i];
    if (!t) out.push(`ports[${i}] (${portLabel(h)}) is only here`);
    else if (!h) out.push(`ports[${i}] (${portLabel(t)}) is only there`);
    else {
      const w = record(written[i]) ?? {};
      const fields: (keyof ServicePort)[] = ['name', 'protocol', 'port', 'targetPort'];
      if (typeof w['nodePort'] === 'number' && w['nodePort'] > 0) fields.push('nodePort');
      if ('appProtocol' in w) fields.push('appProtocol');
      for (const f of fields) {
        if (!sameValue(h[f] || undefined, t[f] || undefined)) out.push(`ports[${i}].${f} is ${show(t[f])} there, ${show(h[f])} here`);
      }
    }
  }
  return out;
}

/**
 * The file's Service after defaulting, by the file's object. The documents' objects are
 * memoised per text and never changed, so a cluster change compares against the same copy
 * instead of defaulting every Service of every open file again.
 */
const defaultedFiles = new WeakMap<object, Service>();

/** The differences between the file (defaulted) and the live Service, one phrase each. */
export function serviceDifferences(file: KubeObject, live: Service): string[] {
  const doc = record(file);
  const spec = record(doc?.['spec']) ?? {};
  // Defaulting walks spec.ports as a list of objects; anything else is validation's to report.
  if (spec['ports'] !== undefined && (!Array.isArray(spec['ports']) || !spec['ports'].every((p) => record(p)))) return [];
  let defaulted = defaultedFiles.get(file);
  if (!defaulted) {
    defaulted = defaultService({ ...(doc as Service), spec: spec as Service['spec'] });
    defaultedFiles.set(file, defaulted);
  }
  const liveSpec = record(live.spec) ?? {};
  const out: string[] = [];
  const meta = record(doc?.['metadata']) ?? {};
  if ('labels' in meta) {
    const d = mapDifference('labels', stringMap(meta['labels']), stringMap(live.metadata?.labels));
    if (d) out.push(d);
  }
  if ('annotations' in meta) {
    const there = stringMap(live.metadata?.annotations);
    delete there[LAST_APPLIED];
    const here = stringMap(meta['annotations']);
    delete here[LAST_APPLIED];
    const d = mapDifference('annotations', here, there);
    if (d) out.push(d);
  }
  const dspec = defaulted.spec as Record<string, unknown>;
  for (const key of Object.keys(spec)) {
    if (key === 'selector') {
      const d = mapDifference('selector', stringMap(dspec['selector']), stringMap(liveSpec['selector']));
      if (d) out.push(d);
    } else if (key === 'ports') {
      const here = (dspec['ports'] as ServicePort[] | undefined) ?? [];
      const there = Array.isArray(liveSpec['ports']) ? (liveSpec['ports'] as ServicePort[]) : [];
      out.push(...portDifferences(spec['ports'] as unknown[], here, there));
    } else {
      const value = dspec[key];
      // An empty clusterIP or a zero port asks the server to choose; whatever it chose is fine.
      if (value === '' || value === 0 || value === undefined) continue;
      if (!sameValue(value, liveSpec[key])) out.push(`${key} is ${show(liveSpec[key])} there, ${show(value)} here`);
    }
  }
  return out;
}

/** Information on metadata.name when the cluster's copy of this Service differs from the file. */
export function driftFindings(file: KubeObject, live: Service): Finding[] {
  const diffs = serviceDifferences(file, live);
  if (diffs.length === 0) return [];
  const listed = diffs.slice(0, MAX_LISTED).join('; ');
  const more = diffs.length > MAX_LISTED ? `; and ${diffs.length - MAX_LISTED} more` : '';
  return [
    {
      path: ['metadata', 'name'],
      on: 'value',
      severity: 'information',
      code: 'ksl/differs-from-cluster',
      message: `the Service in the cluster differs: ${listed}${more}`,
      data: { differences: diffs },
    },
  ];
}
