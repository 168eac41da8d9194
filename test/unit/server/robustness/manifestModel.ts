// Wrong values for every field of a kind, generated from the project's model of the kind (the
// structural schema the decoder uses) rather than written by hand, so a field added to the
// schema is tried without touching the tests. A field is reached through a valid object (the
// lesson's Service or Deployment), its first list item, or a map entry named `k`.

import fc from 'fast-check';
import { stringify } from 'yaml';
import { schemaFor, type FieldSchema } from '../../../../server/src/validation/fields';

export type FieldPath = (string | number)[];

export interface ModelField {
  path: FieldPath;
  schema: FieldSchema;
}

export interface ModelledKind {
  apiVersion: string;
  kind: string;
  /** A valid object of the kind, as the lesson writes it. */
  base: () => Record<string, unknown>;
}

export const service: ModelledKind = {
  apiVersion: 'v1',
  kind: 'Service',
  base: () => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 80, nodePort: 30080, protocol: 'TCP' }] },
  }),
};

export const deployment: ModelledKind = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  base: () => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80, name: 'http' }] }] },
      },
    },
  }),
};

/** Schemas are trees of plain data; this depth is far beyond any Kubernetes field. */
const MAX_FIELD_DEPTH = 30;

/** Every field of the kind's schema, parents before children, the document root excluded. */
export function modelFields(kind: ModelledKind): ModelField[] {
  const root = schemaFor(kind.apiVersion, kind.kind);
  if (!root) throw new Error(`no schema for ${kind.apiVersion}/${kind.kind}`);
  const out: ModelField[] = [];
  const walk = (schema: FieldSchema, path: FieldPath): void => {
    if (path.length > MAX_FIELD_DEPTH) throw new Error(`the ${kind.kind} schema nests deeper than ${MAX_FIELD_DEPTH} at ${path.join('.')}`);
    if (path.length > 0) out.push({ path, schema });
    if (schema.kind === 'object') for (const [name, field] of Object.entries(schema.fields)) walk(field, [...path, name]);
    else if (schema.kind === 'array') walk(schema.items, [...path, 0]);
    else if (schema.kind === 'map') walk(schema.values, [...path, 'k']);
  };
  walk(root, []);
  return out;
}

export interface WrongValue {
  name: string;
  value: unknown;
}

/** One value of every JSON shape, with the edges that break naive code: huge, negative, fractional, empty, nested. */
export const wrongValues: readonly WrongValue[] = [
  { name: 'a word', value: 'eighty' },
  { name: 'a numeric string', value: '80' },
  { name: 'an empty string', value: '' },
  { name: 'an integer', value: 80 },
  { name: 'a negative integer', value: -1 },
  { name: 'a float', value: 1.5 },
  { name: 'a huge number', value: 1e30 },
  { name: 'a number beyond int64', value: 2 ** 64 },
  { name: 'a boolean', value: true },
  { name: 'null', value: null },
  { name: 'an empty list', value: [] },
  { name: 'a list', value: ['a', 1, null] },
  { name: 'an empty map', value: {} },
  { name: 'a nested map', value: { a: { b: [1, { c: null }] } } },
];

const INT_RANGE: Record<32 | 64, [number, number]> = { 32: [-(2 ** 31), 2 ** 31 - 1], 64: [-(2 ** 63), 2 ** 63 - 1] };

function isPlainObject(v: unknown): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * False when the value's JSON type cannot decode into the field's Go type, so the apiserver
 * answers with a decoding error for that field. True when it decodes, or when telling would
 * need more than the JSON type (a string that must parse as a time or a quantity).
 */
export function decodesInto(schema: FieldSchema, value: unknown): boolean {
  if (value === null) return true;
  switch (schema.kind) {
    case 'string':
    case 'time':
    case 'bytes':
      return typeof value === 'string';
    case 'integer': {
      const [min, max] = INT_RANGE[schema.bits];
      return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
    }
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'intOrString':
      return typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value) && value >= INT_RANGE[32][0] && value <= INT_RANGE[32][1]);
    case 'quantity':
      return typeof value === 'string' || typeof value === 'number';
    case 'object':
    case 'map':
      return isPlainObject(value);
    case 'array':
      return Array.isArray(value);
    case 'open':
      return schema.raw === true || isPlainObject(value);
  }
}

/** A copy of `object` with `value` at `path`, creating the list items and maps on the way. */
export function withValueAt(object: Record<string, unknown>, path: FieldPath, value: unknown): Record<string, unknown> {
  const copy = structuredClone(object);
  let cur: Record<string | number, unknown> = copy;
  for (let i = 0; i < path.length - 1; i++) {
    const seg = path[i]!;
    const next = path[i + 1]!;
    const existing = cur[seg];
    const fits = typeof next === 'number' ? Array.isArray(existing) && existing.length > next : isPlainObject(existing);
    if (!fits) cur[seg] = typeof next === 'number' ? [{}] : {};
    cur = cur[seg] as Record<string | number, unknown>;
  }
  cur[path[path.length - 1]!] = value;
  return copy;
}

/**
 * YAML as a user writes it, in kubectl's YAML 1.1 dialect: strings that 1.1 would read as
 * something else (`yes`, `0755`, `80`) come out quoted, so each value means what the model says.
 */
export function toYaml(object: unknown): string {
  return stringify(object, { version: '1.1', schema: 'yaml-1.1' });
}

export interface WrongField {
  field: ModelField;
  wrong: WrongValue;
}

/** A field of the kind, with a wrong value for it. */
export function wrongField(fields: readonly ModelField[]): fc.Arbitrary<WrongField> {
  return fc.record({ field: fc.constantFrom(...fields), wrong: fc.constantFrom(...wrongValues) });
}
