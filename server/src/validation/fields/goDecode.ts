// A model of how kube-apiserver decodes a JSON body into a typed object with
// sigs.k8s.io/json UnmarshalStrict (internal/golang/encoding/json/decode.go and
// kubernetes_patch.go), run against the structural schema instead of Go reflection.
//
// What it reproduces, and why each rule holds:
// 1. Keys match struct fields case-sensitively. A key with no field is an unknown field;
//    its value is skipped unread, so nothing inside it is reported.
// 2. A struct field or map key seen twice in one object is a duplicate field. A repeated
//    unknown key is reported once, as unknown, not as a duplicate.
// 3. Strict paths join keys with "." (map keys too) and write array indices as `[i]`;
//    identical strict errors are reported once, and at most 100 are kept.
// 4. A JSON value of the wrong type is an UnmarshalTypeError naming the innermost struct,
//    the dotted JSON field names from the root (array indices and map keys left out) and
//    the Go type. Go saves the first one and keeps decoding; the first error raised by a
//    type with its own UnmarshalJSON (IntOrString, Quantity, Time) aborts decoding and wins
//    over a saved one. Either way, strict errors are then not reported at all.
// 5. null is accepted everywhere: it clears pointers, maps and slices and leaves scalars.

import { base64DecodeError, goTrimSpace, quantityParseError } from './goScalars';
import type { JsonNode } from './jsonTree';
import { goTypeOf, int32, type FieldSchema, type IntegerSchema, type ObjectSchema } from './schemaTypes';

export type StrictErrorType = 'unknown field' | 'duplicate field';

export interface StrictFieldError {
  type: StrictErrorType;
  /** The path in sigs.k8s.io/json's rendering: `spec.ports[0].tragetPort`. */
  path: string;
}

/** The JSON type of a value, as a user would name it. */
export type JsonValueType = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';

export interface FieldTypeError {
  /** Where the bad value is, as keys and indices (for mapping back to a YAML node). */
  path: (string | number)[];
  /** The same path in strict rendering, `spec.ports[0].port`. */
  field: string;
  /** The Go type the field needs, as the decoder names it: `int32`, `[]v1.ServicePort`. */
  expected: string;
  actual: JsonValueType;
  /** The decoder's error text, e.g. `json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32`. */
  message: string;
  /** True when the error comes from a type's own UnmarshalJSON, which stops decoding. */
  fatal: boolean;
}

export interface DecodeReport {
  strictErrors: StrictFieldError[];
  typeErrors: FieldTypeError[];
}

/** Go keeps at most this many strict errors (saveStrictError in kubernetes_patch.go). */
const maxStrictErrors = 100;

interface Context {
  path: (string | number)[];
  /** Go's errorContext: the struct whose field is being decoded and the JSON names so far. */
  structName: string | undefined;
  fieldStack: string[];
}

export function renderStrictPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : '.' + segment;
  }
  return out;
}

function jsonType(node: JsonNode): JsonValueType {
  return node.type;
}

/** The Value part of Go's UnmarshalTypeError for a literal or container that does not fit. */
function goValueName(node: JsonNode): string {
  return node.type === 'boolean' ? 'bool' : node.type;
}

function shortStructName(goType: string): string {
  return goType.slice(goType.lastIndexOf('.') + 1);
}

function fitsInteger(text: string, schema: IntegerSchema): boolean {
  if (!/^-?\d+$/.test(text)) return false;
  const n = BigInt(text);
  const limit = 2n ** BigInt(schema.bits - 1);
  return n >= -limit && n < limit;
}

function fitsUint8(text: string): boolean {
  return /^\d+$/.test(text) && BigInt(text) <= 255n;
}

function fitsFloat64(text: string): boolean {
  return Number.isFinite(Number(text));
}

export function decodeAgainstSchema(schema: ObjectSchema, root: JsonNode): DecodeReport {
  const strictErrors: StrictFieldError[] = [];
  const seenStrict = new Set<string>();
  const typeErrors: FieldTypeError[] = [];

  const strict = (type: StrictErrorType, path: (string | number)[]): void => {
    if (strictErrors.length >= maxStrictErrors) return;
    const rendered = renderStrictPath(path);
    const key = `${type} ${rendered}`;
    if (seenStrict.has(key)) return;
    seenStrict.add(key);
    strictErrors.push({ type, path: rendered });
  };

  const typeError = (ctx: Context, node: JsonNode, value: string, expected: string, fatal: boolean): void => {
    const hasContext = ctx.structName !== undefined || ctx.fieldStack.length > 0;
    const message = hasContext
      ? `json: cannot unmarshal ${value} into Go struct field ${ctx.structName ?? ''}.${ctx.fieldStack.join('.')} of type ${expected}`
      : `json: cannot unmarshal ${value} into Go value of type ${expected}`;
    typeErrors.push({ path: ctx.path, field: renderStrictPath(ctx.path), expected, actual: jsonType(node), message, fatal });
  };

  /** An error that is not an UnmarshalTypeError carries no field context (Quantity, base64). */
  const plainError = (ctx: Context, node: JsonNode, expected: string, message: string, fatal: boolean): void => {
    typeErrors.push({ path: ctx.path, field: renderStrictPath(ctx.path), expected, actual: jsonType(node), message, fatal });
  };

  /** Duplicate keys anywhere below a value the schema does not describe. */
  const duplicatesOnly = (node: JsonNode, path: (string | number)[]): void => {
    if (node.type === 'object') {
      const seen = new Set<string>();
      for (const { key, value } of node.entries) {
        if (seen.has(key)) strict('duplicate field', [...path, key]);
        seen.add(key);
        duplicatesOnly(value, [...path, key]);
      }
    } else if (node.type === 'array') {
      node.items.forEach((item, i) => duplicatesOnly(item, [...path, i]));
    }
  };

  const decodeObject = (schema: ObjectSchema, node: Extract<JsonNode, { type: 'object' }>, ctx: Context): void => {
    const seen = new Set<string>();
    const structName = shortStructName(schema.goType);
    for (const { key, value } of node.entries) {
      const path = [...ctx.path, key];
      if (!Object.hasOwn(schema.fields, key)) {
        strict('unknown field', path);
        continue;
      }
      if (seen.has(key)) strict('duplicate field', path);
      seen.add(key);
      decode(schema.fields[key], value, { path, structName, fieldStack: [...ctx.fieldStack, key] });
    }
  };

  const decode = (schema: FieldSchema, node: JsonNode, ctx: Context): void => {
    if (node.type === 'null') return;
    const expected = goTypeOf(schema);
    switch (schema.kind) {
      case 'object':
        if (node.type === 'object') decodeObject(schema, node, ctx);
        else typeError(ctx, node, goValueName(node), expected, false);
        return;
      case 'map':
        if (node.type !== 'object') {
          typeError(ctx, node, goValueName(node), expected, false);
          return;
        }
        {
          const seen = new Set<string>();
          for (const { key, value } of node.entries) {
            const path = [...ctx.path, key];
            if (seen.has(key)) strict('duplicate field', path);
            seen.add(key);
            decode(schema.values, value, { ...ctx, path });
          }
        }
        return;
      case 'array':
        if (node.type === 'array') node.items.forEach((item, i) => decode(schema.items, item, { ...ctx, path: [...ctx.path, i] }));
        else typeError(ctx, node, goValueName(node), expected, false);
        return;
      case 'string':
        if (node.type !== 'string') typeError(ctx, node, goValueName(node), expected, false);
        return;
      case 'integer':
        if (node.type === 'number') {
          if (!fitsInteger(node.text, schema)) typeError(ctx, node, 'number ' + node.text, expected, false);
        } else typeError(ctx, node, goValueName(node), expected, false);
        return;
      case 'number':
        if (node.type === 'number') {
          if (!fitsFloat64(node.text)) typeError(ctx, node, 'number ' + node.text, expected, false);
        } else typeError(ctx, node, goValueName(node), expected, false);
        return;
      case 'boolean':
        if (node.type !== 'boolean') typeError(ctx, node, goValueName(node), expected, false);
        return;
      case 'intOrString':
        // IntOrString.UnmarshalJSON hands anything but a string to json.Unmarshal into its
        // int32; that error comes back through the outer decoder, which adds the field.
        if (node.type === 'string') return;
        if (node.type === 'number') {
          if (!fitsInteger(node.text, int32)) typeError(ctx, node, 'number ' + node.text, 'int32', true);
        } else typeError(ctx, node, goValueName(node), 'int32', true);
        return;
      case 'quantity': {
        // Quantity.UnmarshalJSON strips one pair of quotes from the raw bytes, trims spaces
        // and parses the rest; objects, arrays and booleans fail the format check.
        const text = node.type === 'string' ? goTrimSpace(node.raw) : node.type === 'number' ? node.text : rawText(node);
        const err = quantityParseError(text);
        if (err !== undefined) plainError(ctx, node, expected, err, true);
        return;
      }
      case 'time':
        // Time.UnmarshalJSON unmarshals into a Go string first.
        if (node.type !== 'string') typeError(ctx, node, goValueName(node), 'string', true);
        return;
      case 'bytes':
        if (node.type === 'string') {
          const err = base64DecodeError(node.value);
          if (err !== undefined) plainError(ctx, node, expected, err, false);
        } else if (node.type === 'array') {
          node.items.forEach((item, i) => {
            const itemCtx = { ...ctx, path: [...ctx.path, i] };
            if (item.type === 'null') return;
            if (item.type !== 'number') typeError(itemCtx, item, goValueName(item), 'uint8', false);
            else if (!fitsUint8(item.text)) typeError(itemCtx, item, 'number ' + item.text, 'uint8', false);
          });
        } else typeError(ctx, node, goValueName(node), expected, false);
        return;
      case 'open':
        if (schema.raw) return;
        if (node.type === 'object') duplicatesOnly(node, ctx.path);
        else typeError(ctx, node, goValueName(node), expected, false);
        return;
    }
  };

  if (root.type === 'object') decodeObject(schema, root, { path: [], structName: undefined, fieldStack: [] });
  else if (root.type !== 'null') typeError({ path: [], structName: undefined, fieldStack: [] }, root, goValueName(root), schema.goType, false);
  return { strictErrors, typeErrors };
}

/** Compact JSON text of a node, the bytes a custom UnmarshalJSON would receive. */
function rawText(node: JsonNode): string {
  switch (node.type) {
    case 'object':
      return '{' + node.entries.map((e) => JSON.stringify(e.key) + ':' + rawText(e.value)).join(',') + '}';
    case 'array':
      return '[' + node.items.map(rawText).join(',') + ']';
    case 'string':
      return '"' + node.raw + '"';
    case 'number':
      return node.text;
    case 'boolean':
      return String(node.value);
    case 'null':
      return 'null';
  }
}

/**
 * The one error the decoder returns for these type errors: the first that aborted decoding,
 * otherwise the first saved one. Undefined when the body decodes.
 */
export function decodingError(typeErrors: readonly FieldTypeError[]): FieldTypeError | undefined {
  return typeErrors.find((e) => e.fatal) ?? typeErrors[0];
}
