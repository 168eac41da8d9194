// RFC 6902 JSON patch with RFC 6901 pointers, as the apiserver applies it: through
// gopkg.in/evanphx/json-patch.v4. Where v4 departs from the RFC the emulator follows v4,
// because that is what a real cluster does with the same request:
//   - "replace" of a missing object member adds it (arrays still need an existing index);
//   - "copy" from a missing object member copies null;
//   - array indices may be negative and count from the end (SupportNegativeIndices);
//   - a pointer is split on "/" and its first segment ignored, so "" never resolves and
//     "a/b" addresses the root member "b";
//   - an explicit JSON null member is treated as absent when a pointer walks through it.
// Operation failures reach the client only as the generic 422 of rejectedPatch; the v4
// message is kept as the PatchError's internalMessage.

import { badRequest, rejectedPatch, requestEntityTooLarge } from './patchError';
import { cloneJson, isJsonObject, jsonEqual, jsonKindName, type JsonObject, type JsonValue } from './jsonValue';

/** handlers.maxJSONPatchOperations. */
export const MAX_JSON_PATCH_OPERATIONS = 10000;

type Container = JsonObject | JsonValue[];

/** Thrown while applying one operation; converted to the apiserver's 422 at the top. */
class OperationFailure extends Error {}

/**
 * Applies a decoded JSON patch document to a copy of `document`.
 * Throws PatchError: 400 when `operations` is not an array of objects (with Go's decoding
 * message), 413 beyond MAX_JSON_PATCH_OPERATIONS, 422 when an operation does not apply.
 */
export function applyJsonPatch(document: JsonObject, operations: unknown): JsonObject {
  const ops = decodeOperations(operations);
  if (ops.length > MAX_JSON_PATCH_OPERATIONS) {
    throw requestEntityTooLarge(
      `The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${ops.length}`,
    );
  }
  const result = cloneJson(document);
  try {
    for (const op of ops) applyOperation(result, op);
  } catch (err) {
    if (err instanceof OperationFailure) throw rejectedPatch(err.message);
    throw err;
  }
  return result;
}

// jsonpatch.DecodePatch unmarshals into []map[string]*json.RawMessage; a JSON null document
// is an empty patch and a null element an operation without fields.
function decodeOperations(operations: unknown): JsonObject[] {
  if (operations === null) return [];
  if (!Array.isArray(operations)) {
    throw badRequest(`json: cannot unmarshal ${jsonKindName(operations)} into Go value of type jsonpatch.Patch`);
  }
  return operations.map((op: unknown) => {
    if (op === null) return {};
    if (!isJsonObject(op)) {
      throw badRequest(`json: cannot unmarshal ${jsonKindName(op)} into Go value of type jsonpatch.Operation`);
    }
    return op;
  });
}

function stringField(op: JsonObject, field: string): string | undefined {
  const value = op[field];
  return typeof value === 'string' ? value : undefined;
}

function applyOperation(doc: JsonObject, op: JsonObject): void {
  const kind = stringField(op, 'op') ?? 'unknown';
  switch (kind) {
    case 'add':
      return addOperation(doc, op);
    case 'remove':
      return removeOperation(doc, op);
    case 'replace':
      return replaceOperation(doc, op);
    case 'move':
      return moveOperation(doc, op);
    case 'test':
      return testOperation(doc, op);
    case 'copy':
      return copyOperation(doc, op);
    default:
      throw new OperationFailure(`Unexpected kind: ${kind}`);
  }
}

function requirePath(op: JsonObject, verb: string): string {
  const path = stringField(op, 'path');
  if (path === undefined) throw new OperationFailure(`${verb} operation failed to decode path: missing value`);
  return path;
}

function requireFrom(op: JsonObject, verb: string): string {
  const from = stringField(op, 'from');
  if (from === undefined) {
    throw new OperationFailure(`${verb} operation failed to decode from: operation, missing from field: missing value`);
  }
  return from;
}

// An absent "value" member decodes to a nil node, which serialises as null.
function operationValue(op: JsonObject): JsonValue {
  return Object.hasOwn(op, 'value') ? cloneJson(op.value) : null;
}

function addOperation(doc: JsonObject, op: JsonObject): void {
  const path = requirePath(op, 'add');
  const target = findParent(doc, path);
  if (target === undefined) {
    throw new OperationFailure(`add operation does not apply: doc is missing path: "${path}": missing value`);
  }
  insert(target.container, target.key, operationValue(op), `error in add for path: '${path}'`);
}

function removeOperation(doc: JsonObject, op: JsonObject): void {
  const path = requirePath(op, 'remove');
  const target = findParent(doc, path);
  if (target === undefined) {
    throw new OperationFailure(`remove operation does not apply: doc is missing path: "${path}": missing value`);
  }
  remove(target.container, target.key, `error in remove for path: '${path}'`);
}

function replaceOperation(doc: JsonObject, op: JsonObject): void {
  const path = requirePath(op, 'replace');
  const target = findParent(doc, path);
  if (target === undefined) {
    throw new OperationFailure(`replace operation does not apply: doc is missing path: ${path}: missing value`);
  }
  const { container, key } = target;
  if (Array.isArray(container)) {
    const index = arrayIndex(container, key);
    if (typeof index === 'string') {
      throw new OperationFailure(`replace operation does not apply: doc is missing key: ${path}: missing value`);
    }
    container[index] = operationValue(op);
  } else {
    container[key] = operationValue(op);
  }
}

function moveOperation(doc: JsonObject, op: JsonObject): void {
  const from = requireFrom(op, 'move');
  const source = findParent(doc, from);
  if (source === undefined) {
    throw new OperationFailure(`move operation does not apply: doc is missing from path: ${from}: missing value`);
  }
  const value = read(source.container, source.key, `error in move for path: '${source.key}'`);
  remove(source.container, source.key, `error in move for path: '${source.key}'`);
  const path = requirePath(op, 'move');
  const destination = findParent(doc, path);
  if (destination === undefined) {
    throw new OperationFailure(`move operation does not apply: doc is missing destination path: ${path}: missing value`);
  }
  insert(destination.container, destination.key, value ?? null, `error in move for path: '${path}'`);
}

function copyOperation(doc: JsonObject, op: JsonObject): void {
  const from = requireFrom(op, 'copy');
  const source = findParent(doc, from);
  if (source === undefined) {
    throw new OperationFailure(`copy operation does not apply: doc is missing from path: ${from}: missing value`);
  }
  const value = read(source.container, source.key, `error in copy for from: '${from}'`);
  const path = requirePath(op, 'copy');
  const destination = findParent(doc, path);
  if (destination === undefined) {
    throw new OperationFailure(`copy operation does not apply: doc is missing destination path: ${path}: missing value`);
  }
  insert(destination.container, destination.key, value === undefined ? null : cloneJson(value), 'error while adding value during copy');
}

function testOperation(doc: JsonObject, op: JsonObject): void {
  const path = requirePath(op, 'test');
  const target = findParent(doc, path);
  if (target === undefined) {
    throw new OperationFailure(`test operation does not apply: is missing path: ${path}: missing value`);
  }
  const actual = read(target.container, target.key, `error in test for path: '${path}'`);
  const failed = `testing value ${path} failed: test failed`;
  if (actual === undefined || actual === null) {
    if (Object.hasOwn(op, 'value') && op.value === null) return;
    throw new OperationFailure(failed);
  }
  if (!Object.hasOwn(op, 'value') || !jsonEqual(actual, op.value)) throw new OperationFailure(failed);
}

/** RFC 6901 token decoding: "~1" becomes "/" and "~0" becomes "~", in one left-to-right pass. */
function decodeToken(token: string): string {
  return token.replace(/~[01]/g, (escape) => (escape === '~1' ? '/' : '~'));
}

function findParent(doc: JsonObject, path: string): { container: Container; key: string } | undefined {
  const segments = path.split('/');
  if (segments.length < 2) return undefined;
  let container: Container = doc;
  for (const segment of segments.slice(1, -1)) {
    let next: JsonValue | undefined;
    if (Array.isArray(container)) {
      const index = arrayIndex(container, decodeToken(segment));
      next = typeof index === 'string' ? undefined : container[index];
    } else {
      next = container[decodeToken(segment)];
    }
    if (Array.isArray(next) || isJsonObject(next)) container = next;
    else return undefined;
  }
  return { container, key: decodeToken(segments[segments.length - 1]) };
}

/** strconv.Atoi's grammar: an optional sign and decimal digits. */
function parseGoInt(key: string): number | undefined {
  return /^[+-]?\d+$/.test(key) ? Number.parseInt(key, 10) : undefined;
}

// An existing element's index, resolving negative indices, or the v4 error text.
function arrayIndex(array: JsonValue[], key: string): number | string {
  const parsed = parseGoInt(key);
  if (parsed === undefined) return `strconv.Atoi: parsing "${key}": invalid syntax`;
  let index = parsed;
  if (index < -array.length) return `Unable to access invalid index: ${index}: invalid index referenced`;
  if (index < 0) index += array.length;
  if (index >= array.length) return `Unable to access invalid index: ${index}: invalid index referenced`;
  return index;
}

function read(container: Container, key: string, context: string): JsonValue | undefined {
  if (!Array.isArray(container)) return container[key] ?? undefined;
  const index = arrayIndex(container, key);
  if (typeof index === 'string') throw new OperationFailure(`${context}: ${index}`);
  return container[index];
}

function insert(container: Container, key: string, value: JsonValue, context: string): void {
  if (!Array.isArray(container)) {
    container[key] = value;
    return;
  }
  if (key === '-') {
    container.push(value);
    return;
  }
  const parsed = parseGoInt(key);
  if (parsed === undefined) {
    throw new OperationFailure(`${context}: value was not a proper array index: '${key}': strconv.Atoi: parsing "${key}": invalid syntax`);
  }
  // Insertion may address one past the end; negative indices count from that new length.
  const size = container.length + 1;
  let index = parsed;
  if (index >= size || index < -size) {
    throw new OperationFailure(`${context}: Unable to access invalid index: ${index}: invalid index referenced`);
  }
  if (index < 0) index += size;
  container.splice(index, 0, value);
}

function remove(container: Container, key: string, context: string): void {
  if (!Array.isArray(container)) {
    if (!Object.hasOwn(container, key)) {
      throw new OperationFailure(`${context}: Unable to remove nonexistent key: ${key}: missing value`);
    }
    delete container[key];
    return;
  }
  const index = arrayIndex(container, key);
  if (typeof index === 'string') throw new OperationFailure(`${context}: ${index}`);
  container.splice(index, 1);
}
