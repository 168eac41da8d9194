// A manifest document turned into the object the apiserver's validation sees: decoded into
// the kind's Go type (unknown fields dropped, `null` meaning "absent" for fields and the zero
// value for list items), placed in kubectl's namespace when it names none, and defaulted the
// way the v1 scheme defaults it. Validation functions expect well-typed input, so this is only
// built for a document whose values all fit their Go types.

import type { ManifestDocument } from '../manifest/manifestDocument';
import { defaultService } from '../validation/serviceDefaults';
import type { KubeObject, Service } from '../validation/kubeTypes';
import { fieldAt, pruneUnknownFields, schemaFor, type FieldSchema } from '../validation/fields';
import { isNamespaced } from './builtinKinds';

/** The namespace kubectl puts an object in when its manifest names none and the context sets none. */
export const DEFAULT_NAMESPACE = 'default';

function zeroValue(schema: FieldSchema | undefined): unknown {
  switch (schema?.kind) {
    case 'string':
    case 'time':
    case 'bytes':
      return '';
    case 'integer':
    case 'number':
    case 'intOrString':
      return 0;
    case 'boolean':
      return false;
    case 'array':
      return [];
    default:
      return {};
  }
}

/** Go's decoding of null: a field set to null stays unset; a null list item becomes the item type's zero value. */
function withoutNulls(value: unknown, schema: FieldSchema | undefined): unknown {
  if (Array.isArray(value)) {
    const items = schema?.kind === 'array' ? schema.items : undefined;
    return value.map((item) => (item === null ? zeroValue(items) : withoutNulls(item, items)));
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === null) continue;
      // Only a nested object or list can hold a null that needs the field's schema.
      out[k] = typeof v === 'object' ? withoutNulls(v, schema ? fieldAt(schema, [k]) : undefined) : v;
    }
    return out;
  }
  return value;
}

/**
 * The decoded, namespaced and (for Services) defaulted object of a readable document whose
 * values fit their types, or undefined for anything that is not an object. Pass false for
 * `hasUnknownFields` when decoding found none, to skip looking for them again.
 */
export function apiserverObject(doc: ManifestDocument, hasUnknownFields = true): KubeObject | undefined {
  const source = doc.object;
  if (!source || doc.unreadable) return undefined;
  const schema = doc.apiVersion !== undefined && doc.kind !== undefined ? schemaFor(doc.apiVersion, doc.kind) : undefined;
  let obj = withoutNulls(source, schema) as Record<string, unknown>;
  if (schema && hasUnknownFields) obj = pruneUnknownFields(doc.apiVersion!, doc.kind!, obj);
  const metadata = obj['metadata'] !== null && typeof obj['metadata'] === 'object' && !Array.isArray(obj['metadata']) ? { ...(obj['metadata'] as object) } : {};
  const object = { ...obj, metadata } as KubeObject;
  if (isNamespaced(doc.kind) && !object.metadata.namespace) object.metadata.namespace = DEFAULT_NAMESPACE;
  if (doc.apiVersion === 'v1' && doc.kind === 'Service') {
    const svc = object as Service;
    if (svc.spec === null || typeof svc.spec !== 'object' || Array.isArray(svc.spec)) svc.spec = {};
    return defaultService(svc);
  }
  return object;
}
