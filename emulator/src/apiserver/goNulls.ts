// JSON nulls in a decoded body, as Go's decoder reads them into the k8s.io/api structs: a null
// struct field keeps its zero value, which the encoder then leaves out (the fields are
// `omitempty` or pointers); a null map value or slice element becomes the zero value of its
// type (`labels: {team: null}` stores the label `team=""`). The validation code downstream was
// written for what the Go structs can hold, so it never sees a null where Go has none.

import { schemaFor, type FieldSchema } from '../../../server/src/validation/fields';
import { isPlainObject } from '../api/objects';

/** The zero value Go stores for a null map value or slice element of this schema. */
function zeroOf(schema: FieldSchema): unknown {
  switch (schema.kind) {
    case 'string':
    case 'bytes':
      return '';
    case 'integer':
    case 'number':
    case 'intOrString':
      return 0;
    case 'boolean':
      return false;
    case 'quantity':
      return '0';
    case 'object':
    case 'map':
      return {};
    default:
      return null;
  }
}

function replaceNulls(schema: FieldSchema, value: unknown): unknown {
  if (Array.isArray(value)) {
    if (schema.kind !== 'array') return value;
    return value.map((item) => (item === null ? zeroOf(schema.items) : replaceNulls(schema.items, item)));
  }
  if (!isPlainObject(value)) return value;
  if (schema.kind === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) {
      if (field === null) continue;
      const fieldSchema = Object.hasOwn(schema.fields, key) ? schema.fields[key] : undefined;
      out[key] = fieldSchema ? replaceNulls(fieldSchema, field) : field;
    }
    return out;
  }
  if (schema.kind === 'map') {
    const out: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value)) {
      const zero = entry === null ? zeroOf(schema.values) : undefined;
      if (entry === null && zero === null) continue;
      out[key] = entry === null ? zero : replaceNulls(schema.values, entry);
    }
    return out;
  }
  return value;
}

/** `obj` with every null read the way Go's decoder reads it for `apiVersion`/`kind`. */
export function withGoNulls<T>(apiVersion: string, kind: string, obj: T): T {
  const schema = schemaFor(apiVersion, kind);
  return (schema ? replaceNulls(schema, obj) : obj) as T;
}
