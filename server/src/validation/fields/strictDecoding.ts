// The apiserver's answers to a request body that does not decode cleanly, for each
// `fieldValidation` directive. Sources (kubernetes v1.32):
// - staging/src/k8s.io/apiserver/pkg/endpoints/handlers/create.go and update.go: a POST or
//   PUT body is decoded with the strict serializer for Strict and Warn. Any decode error,
//   strict or not, goes through transformDecodeError (rest.go) and becomes a 400 BadRequest
//   whose message is `<Kind> in version "<version>" cannot be handled as a <Kind>: <error>`.
//   With Warn, strict errors instead become one warning each and the request goes on.
// - .../handlers/patch.go: for JSON and merge patches the patched object is decoded; strict
//   errors (Strict) and type errors become a 422 Invalid built by
//   errors.NewInvalid(schema.GroupKind{}, "", [field.Invalid("patch", <patched JSON>, <error>)]).
//   Strategic merge patches give the same 422, with Go's `%+v` of the patch map as the value.
// - k8s.io/apimachinery/pkg/runtime/error.go: NewStrictDecodingError prints
//   `strict decoding error: ` followed by each error, joined with ", ".
// - sigs.k8s.io/json: each strict error prints as `unknown field "<path>"` or
//   `duplicate field "<path>"`, the path Go-quoted.
// - .../handlers/rest.go addStrictDecodingWarnings and k8s.io/apimachinery/pkg/util/net
//   NewWarningHeader: a warning is sent as `Warning: 299 - "<text>"`, `"` and `\` escaped.

import { decodeAgainstSchema, decodingError, renderStrictPath, type FieldTypeError, type StrictFieldError } from './goDecode';
import { goQuote } from './goScalars';
import { jsonNodeFromValue, parseJsonNode, type JsonNode } from './jsonTree';
import { schemaFor } from './schema';
import type { FieldSchema } from './schemaTypes';

export type FieldValidationDirective = 'Strict' | 'Warn' | 'Ignore';

/** A metav1.Status as the apiserver serialises it for a failed request. */
export interface ApiStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: 'BadRequest' | 'Invalid';
  details?: { causes: { reason: string; message: string; field: string }[] };
  code: 400 | 422;
}

function asNode(body: unknown): JsonNode {
  if (typeof body === 'string') {
    const parsed = parseJsonNode(body);
    return parsed.ok ? parsed.node : { type: 'null' };
  }
  return jsonNodeFromValue(body);
}

/**
 * Unknown fields of `obj` (an already-parsed object) in the apiserver's path rendering, in
 * document order: `spec.ports[0].tragetPort`. Keys of maps (labels, annotations, selector,
 * data) are never unknown. Empty for a kind this project does not model.
 */
export function findUnknownFields(apiVersion: string, kind: string, obj: unknown): string[] {
  const schema = schemaFor(apiVersion, kind);
  if (!schema) return [];
  return decodeAgainstSchema(schema, jsonNodeFromValue(obj))
    .strictErrors.filter((e) => e.type === 'unknown field')
    .map((e) => e.path);
}

/**
 * Keys written twice in one JSON object of the body, as `metadata.name` or
 * `spec.ports[0].port`. With a modelled apiVersion and kind this follows the decoder exactly
 * (nothing under an unknown field or a raw field such as managedFields[].fieldsV1 counts);
 * without, every object in the text is checked. Empty when the text is not valid JSON.
 */
export function findDuplicateFields(jsonText: string, apiVersion?: string, kind?: string): string[] {
  const parsed = parseJsonNode(jsonText);
  if (!parsed.ok) return [];
  const schema = apiVersion !== undefined && kind !== undefined ? schemaFor(apiVersion, kind) : undefined;
  if (!schema) return duplicateKeysAnywhere(parsed.node);
  return decodeAgainstSchema(schema, parsed.node)
    .strictErrors.filter((e) => e.type === 'duplicate field')
    .map((e) => e.path);
}

function duplicateKeysAnywhere(root: JsonNode): string[] {
  const found = new Set<string>();
  const walk = (node: JsonNode, path: (string | number)[]): void => {
    if (node.type === 'array') node.items.forEach((item, i) => walk(item, [...path, i]));
    if (node.type !== 'object') return;
    const seen = new Set<string>();
    for (const { key, value } of node.entries) {
      if (seen.has(key)) found.add(renderStrictPath([...path, key]));
      seen.add(key);
      walk(value, [...path, key]);
    }
  };
  walk(root, []);
  return [...found];
}

/**
 * Every strict error of a JSON body in the order the decoder meets them, deduplicated and
 * capped at 100 as sigs.k8s.io/json does. This is the list `strictDecodingMessage` and
 * `strictDecodingWarnings` want, since unknown and duplicate fields interleave there.
 */
export function findStrictErrors(apiVersion: string, kind: string, body: string | JsonNode): StrictFieldError[] {
  const schema = schemaFor(apiVersion, kind);
  if (!schema) return [];
  return decodeAgainstSchema(schema, typeof body === 'string' ? asNode(body) : body).strictErrors;
}

/**
 * Values whose JSON type the Go field cannot take, in document order. `obj` is a parsed
 * object or the JSON text; pass text when it is available, because `80.0` and `1e3` are
 * integers to JavaScript but not to Go. Null is never a type error. (A caller holding a
 * JsonNode, such as the language server, uses decodeAgainstSchema directly.)
 */
export function findTypeErrors(apiVersion: string, kind: string, obj: unknown): FieldTypeError[] {
  const schema = schemaFor(apiVersion, kind);
  if (!schema) return [];
  return decodeAgainstSchema(schema, asNode(obj)).typeErrors;
}

/** `Service in version "v1" cannot be handled as a Service: <detail>` (transformDecodeError). */
export function cannotBeHandledMessage(apiVersion: string, kind: string, detail: string, targetKind: string = kind): string {
  const version = apiVersion.slice(apiVersion.lastIndexOf('/') + 1);
  return `${kind} in version ${goQuote(version)} cannot be handled as a ${targetKind}: ${detail}`;
}

/**
 * The 400 message for a body whose values do not fit their Go types. Pass the list from
 * findTypeErrors; the decoder reports only one error, picked as Go picks it.
 */
export function typeErrorMessage(apiVersion: string, kind: string, errors: FieldTypeError | readonly FieldTypeError[]): string {
  const list = Array.isArray(errors) ? errors : [errors as FieldTypeError];
  const chosen = decodingError(list);
  return cannotBeHandledMessage(apiVersion, kind, chosen ? chosen.message : '');
}

/** `strict decoding error: unknown field "spec.foo", duplicate field "metadata.name"`. */
export function strictDecodingMessage(errors: readonly StrictFieldError[]): string;
/** The same from two lists of paths; unknown fields come first, then duplicates. */
export function strictDecodingMessage(unknown: readonly string[], duplicates?: readonly string[]): string;
export function strictDecodingMessage(
  first: readonly StrictFieldError[] | readonly string[],
  duplicates: readonly string[] = [],
): string {
  const errors: StrictFieldError[] = first.every((e) => typeof e === 'string')
    ? [
        ...(first as readonly string[]).map((path): StrictFieldError => ({ type: 'unknown field', path })),
        ...duplicates.map((path): StrictFieldError => ({ type: 'duplicate field', path })),
      ]
    : [...(first as readonly StrictFieldError[])];
  return 'strict decoding error: ' + errors.map(strictErrorString).join(', ');
}

/** One strict error as sigs.k8s.io/json prints it: `unknown field "spec.foo"`. */
export function strictErrorString(e: StrictFieldError): string {
  return `${e.type} ${goQuote(e.path)}`;
}

/** The warning texts for `fieldValidation=Warn`: one per strict error, no prefix. */
export function strictDecodingWarnings(errors: readonly StrictFieldError[]): string[] {
  return errors.map(strictErrorString);
}

/** The HTTP `Warning` header value for one warning text: `299 - "unknown field \"spec.foo\""`. */
export function warningHeaderValue(text: string): string {
  return `299 - "${text.replace(/["\\]/g, (c) => '\\' + c)}"`;
}

/** errors.NewBadRequest: a 400 with the message and no details. */
export function badRequestStatus(message: string): ApiStatus {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'BadRequest', code: 400 };
}

/**
 * The 422 a PATCH gets when the patched object fails to decode or (Strict) has strict
 * errors: errors.NewInvalid with an empty kind and name, so the message starts with a space
 * and `""`. `badValue` is the patched object's JSON for JSON and merge patches, or
 * `goMapString(patch)` for strategic merge patches.
 */
export function invalidPatchStatus(badValue: string, detail: string): ApiStatus {
  const body = `Invalid value: ${goQuote(badValue)}: ${detail}`;
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: ` "" is invalid: patch: ${body}`,
    reason: 'Invalid',
    details: { causes: [{ reason: 'FieldValueInvalid', message: body, field: 'patch' }] },
    code: 422,
  };
}

export type BodyDecision =
  | { ok: true; /** Warning texts to send as `Warning` headers (Warn only). */ warnings: string[] }
  | { ok: false; status: ApiStatus };

/**
 * What the create and update handlers do with a JSON body under a field validation
 * directive. Type errors always fail with 400; strict errors fail with 400 under Strict,
 * become warnings under Warn and are not looked for under Ignore. A kind this project
 * does not model always passes.
 */
export function checkRequestBody(
  apiVersion: string,
  kind: string,
  body: string | JsonNode,
  directive: FieldValidationDirective,
  targetKind: string = kind,
): BodyDecision {
  const schema = schemaFor(apiVersion, kind);
  if (!schema) return { ok: true, warnings: [] };
  const report = decodeAgainstSchema(schema, typeof body === 'string' ? asNode(body) : body);
  const typeErr = decodingError(report.typeErrors);
  if (typeErr) return { ok: false, status: badRequestStatus(cannotBeHandledMessage(apiVersion, kind, typeErr.message, targetKind)) };
  if (directive === 'Ignore' || report.strictErrors.length === 0) return { ok: true, warnings: [] };
  if (directive === 'Warn') return { ok: true, warnings: strictDecodingWarnings(report.strictErrors) };
  return {
    ok: false,
    status: badRequestStatus(cannotBeHandledMessage(apiVersion, kind, strictDecodingMessage(report.strictErrors), targetKind)),
  };
}

/**
 * A copy of `obj` without its unknown fields, which is what `fieldValidation=Ignore` (and
 * any non-strict decode) keeps. Values the schema leaves open are copied whole.
 */
export function pruneUnknownFields<T>(apiVersion: string, kind: string, obj: T): T {
  const schema = schemaFor(apiVersion, kind);
  return (schema ? prune(schema, obj) : deepCopy(obj)) as T;
}

function prune(schema: FieldSchema, value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    return schema.kind === 'array' ? value.map((v) => prune(schema.items, v)) : deepCopy(value);
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (schema.kind === 'object') {
    return Object.fromEntries(
      entries.filter(([k]) => Object.hasOwn(schema.fields, k)).map(([k, v]) => [k, prune(schema.fields[k], v)]),
    );
  }
  if (schema.kind === 'map') return Object.fromEntries(entries.map(([k, v]) => [k, prune(schema.values, v)]));
  return deepCopy(value);
}

function deepCopy(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(deepCopy);
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, deepCopy(v)]));
}

/**
 * Go's `fmt.Sprintf("%+v", m)` of a patch decoded into map[string]interface{} with
 * integers preserved: `map[spec:map[ports:[map[port:80]]]]`, keys sorted, strings bare.
 */
export function goMapString(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) < 2 ** 63 ? value.toFixed(0) : goFloat(value);
  if (Array.isArray(value)) return '[' + value.map(goMapString).join(' ') + ']';
  if (typeof value === 'object') {
    const keys = Object.keys(value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return 'map[' + keys.map((k) => `${k}:${goMapString((value as Record<string, unknown>)[k])}`).join(' ') + ']';
  }
  return String(value);
}

/** Go's `%v` of a float64: shortest digits, exponent form when the exponent is < -4 or >= 6. */
function goFloat(f: number): string {
  if (!Number.isFinite(f)) return Number.isNaN(f) ? 'NaN' : f > 0 ? '+Inf' : '-Inf';
  const [mantissa, expText] = f.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(f);
}
