// Strategic merge patch, applied the way the apiserver applies application/strategic-merge-patch+json:
// k8s.io/apimachinery pkg/util/strategicpatch StrategicMergeMapPatch with MergeParallelList and
// IgnoreUnmatchedNulls, driven by the struct tags transcribed in strategicMergeMetadata.ts.
//
// In short: null deletes a key; maps merge; lists merge only where the metadata says
// "merge" (lists of objects by their merge key, lists of scalars as a set) and are
// replaced otherwise. The directives are:
//   $patch: replace | delete        on a map: replace it whole, or clear it;
//   {$patch: delete, <key>: v}      in a merged list: remove the elements whose key is v;
//   {$patch: replace}               in a merged list: the other elements replace the list;
//   $retainKeys: [k...]             on a map: drop every key of the original not listed;
//   $setElementOrder/<list>: [...]  the order of the merged list's patched elements;
//   $deleteFromPrimitiveList/<list> the scalars to remove from a merged list of scalars.
//
// Ordering follows apimachinery's normalizeElementOrder: the patched elements keep the
// patch's (or $setElementOrder's) relative order, the elements only the server had keep
// the server's relative order, and the two are interleaved by the server's order, with an
// element the server did not have placed before the next server element. So without
// $setElementOrder a newly added element comes first.
//
// The apiserver decodes the merged map into the Go type, which silently drops directive
// keys left inside values that were copied in from the patch. The emulator keeps plain JSON,
// so it strips those keys at the end instead.

import { badRequest, rejectedPatch, unconvertedError, type PatchError } from './patchError';
import { goString, goTypeName, goValue } from './goValueFormat';
import { cloneJson, isJsonObject, jsonKindName, type GroupVersionKind, type JsonObject, type JsonValue } from './jsonValue';
import { fieldPatchMeta, rootStructFor, type FieldPatchMeta } from './strategicMergeMetadata';

const DIRECTIVE_MARKER = '$patch';
const RETAIN_KEYS_DIRECTIVE = '$retainKeys';
const DELETE_FROM_PRIMITIVE_LIST_PREFIX = '$deleteFromPrimitiveList';
const SET_ELEMENT_ORDER_PREFIX = '$setElementOrder';

/**
 * The struct that describes objects of a kind missing from the metadata table. Every
 * built-in kind has ObjectMeta under "metadata", so its finalizers and ownerReferences
 * still merge; everything else merges like a JSON merge patch, directives still honoured.
 */
const UNLISTED_KIND_STRUCT = 'ObjectMetaOnly';
const UNLISTED_KIND_META: FieldPatchMeta = { type: 'ObjectMeta' };

/**
 * Applies a decoded strategic merge patch to a copy of `original`, using the merge metadata
 * of `gvk`. A null patch changes nothing. Throws PatchError with the apiserver's status:
 * 400 for a patch that is not an object or whose directives are malformed, 422 for lists of
 * lists, 500 (no reason) for the errors the apiserver passes through unconverted, such as a
 * merged list element without its merge key.
 */
export function applyStrategicMergePatch(original: JsonObject, patch: unknown, gvk: GroupVersionKind): JsonObject {
  if (patch === null) return cloneJson(original);
  if (!isJsonObject(patch)) {
    throw badRequest(`json: cannot unmarshal ${jsonKindName(patch)} into Go value of type map[string]interface {}`);
  }
  const root = rootStructFor(gvk.group, gvk.kind) ?? UNLISTED_KIND_STRUCT;
  const merged = mergeMap(cloneJson(original), cloneJson(patch), root);
  stripDirectiveKeys(merged);
  return merged;
}

function metaFor(struct: string | undefined, field: string): FieldPatchMeta {
  if (struct === UNLISTED_KIND_STRUCT) return field === 'metadata' ? UNLISTED_KIND_META : {};
  return fieldPatchMeta(struct, field);
}

type ValueKind = 'map' | 'list' | 'null' | 'string' | 'number' | 'boolean';

function kindOf(value: JsonValue): ValueKind {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'map';
  return typeof value as 'string' | 'number' | 'boolean';
}

// mergeMap works in place on `original` and consumes `patch`; both are private copies.
function mergeMap(original: JsonObject, patch: JsonObject, struct: string | undefined): JsonObject {
  if (Object.hasOwn(patch, DIRECTIVE_MARKER)) return handleDirectiveInMergeMap(patch[DIRECTIVE_MARKER], patch);

  applyRetainKeysDirective(original, patch);
  mergePatchIntoOriginal(original, patch, struct);

  for (const patchKey of Object.keys(patch)) {
    const patchValue = patch[patchKey];
    let key = patchKey;
    let isDeleteList = false;
    if (patchKey.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX)) {
      key = extractKey(patchKey, DELETE_FROM_PRIMITIVE_LIST_PREFIX);
      isDeleteList = true;
    }

    if (patchValue === null) {
      delete original[key];
      continue;
    }

    if (!Object.hasOwn(original, key) || kindOf(original[key]) !== kindOf(patchValue)) {
      if (!isDeleteList) takePatchValue(original, key, patchValue);
      continue;
    }

    const current = original[key];
    if (isJsonObject(current) && isJsonObject(patchValue)) {
      const meta = metaFor(struct, key);
      original[key] = meta.strategy === 'replace' ? patchValue : mergeMap(current, patchValue, meta.type);
    } else if (Array.isArray(current) && Array.isArray(patchValue)) {
      original[key] = mergeSliceHandler(current, patchValue, metaFor(struct, key), isDeleteList);
    } else {
      takePatchValue(original, key, patchValue);
    }
  }
  return original;
}

// A patch value that has nothing to merge with is stored without its null members and
// without any map that carries a $patch directive (apimachinery's removeDirectives).
function takePatchValue(original: JsonObject, key: string, patchValue: JsonValue): void {
  discardNullValues(patchValue);
  const cleaned = removeDirectives(patchValue);
  if (cleaned.keep) original[key] = cleaned.value;
  else delete original[key];
}

function handleDirectiveInMergeMap(directive: JsonValue, patch: JsonObject): JsonObject {
  if (directive === 'replace') {
    delete patch[DIRECTIVE_MARKER];
    return patch;
  }
  if (directive === 'delete') return {};
  throw unconvertedError(`unknown patch type: ${goString(directive)} in map: ${goValue(patch)}`);
}

function applyRetainKeysDirective(original: JsonObject, patch: JsonObject): void {
  if (!Object.hasOwn(patch, RETAIN_KEYS_DIRECTIVE)) return;
  const retainKeys = patch[RETAIN_KEYS_DIRECTIVE];
  delete patch[RETAIN_KEYS_DIRECTIVE];
  if (!Array.isArray(retainKeys)) throw badRequest('invalid patch format of retainKeys');

  const retained = new Set<JsonValue>(retainKeys);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || key.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX) || key.startsWith(SET_ELEMENT_ORDER_PREFIX)) {
      continue;
    }
    if (!retained.has(key)) throw badRequest('invalid patch format of retainKeys');
  }
  for (const key of Object.keys(original)) {
    if (!retained.has(key)) delete original[key];
  }
}

/** "$prefix/list" gives "list"; any other shape of a directive key is a 400. */
function extractKey(directiveKey: string, prefix: string): string {
  const slash = directiveKey.indexOf('/');
  if (slash < 0 || directiveKey.slice(0, slash) !== prefix) {
    throw badRequest(
      prefix === DELETE_FROM_PRIMITIVE_LIST_PREFIX
        ? 'invalid patch format of primitive list'
        : 'invalid patch format of setElementOrder list',
    );
  }
  return directiveKey.slice(slash + 1);
}

// Merges every list that has a $setElementOrder directive, orders it, and removes both the
// directive and the list from the patch so the main loop does not see them again.
function mergePatchIntoOriginal(original: JsonObject, patch: JsonObject, struct: string | undefined): void {
  for (const directiveKey of Object.keys(patch)) {
    if (!directiveKey.startsWith(SET_ELEMENT_ORDER_PREFIX)) continue;
    const order = patch[directiveKey];
    delete patch[directiveKey];
    if (!Array.isArray(order)) throw badArgType('[]interface {}', order);

    const key = extractKey(directiveKey, SET_ELEMENT_ORDER_PREFIX);
    const foundOriginal = Object.hasOwn(original, key);
    const foundPatch = Object.hasOwn(patch, key);
    const originalList = foundOriginal ? original[key] : [];
    const patchList = foundPatch ? patch[key] : [];
    if (!Array.isArray(originalList)) throw badArgType('[]interface {}', originalList);
    if (!Array.isArray(patchList)) throw badArgType('[]interface {}', patchList);

    const meta = metaFor(struct, key);
    const mergeKey = meta.mergeKey ?? '';
    validatePatchWithSetOrderList(patchList, order, mergeKey);

    let merged: JsonValue[];
    if (foundOriginal && !foundPatch) {
      merged = originalList;
    } else if (!foundOriginal && foundPatch) {
      merged = removeDirectives(patchList).value as JsonValue[];
    } else if (foundOriginal && foundPatch) {
      merged = mergeSliceHandler(originalList, patchList, meta, false);
    } else {
      continue;
    }

    const [patchItems, serverOnlyItems] =
      mergeKey === ''
        ? partitionPrimitivesByPresence(merged, order)
        : partitionMapsByPresence(merged, order, mergeKey);
    const kind = sliceElementKind(originalList, patchList);
    original[key] = normalizeElementOrder(patchItems, serverOnlyItems, order, originalList, mergeKey, kind);
    delete patch[key];
  }
}

// Every element of the patch list (deletions and other directive elements aside) must
// appear in the $setElementOrder list, in the same relative order.
function validatePatchWithSetOrderList(patchList: JsonValue[], order: JsonValue[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  const kept = mergeKey === '' ? patchList : extractToDeleteItems(patchList)[0];
  let patchIndex = 0;
  let orderIndex = 0;
  while (patchIndex < kept.length && orderIndex < order.length) {
    if (isJsonObject(kept[patchIndex]) && Object.hasOwn(kept[patchIndex] as JsonObject, DIRECTIVE_MARKER)) {
      patchIndex++;
      continue;
    }
    if (mergeKeyValueEqual(kept[patchIndex], order[orderIndex], mergeKey)) patchIndex++;
    orderIndex++;
  }
  if (patchIndex < kept.length && orderIndex >= order.length) {
    throw unconvertedError(
      `the order in patch list:\n${goValue(patchList)}\n doesn't match ${SET_ELEMENT_ORDER_PREFIX} list:\n${goValue(order)}`,
    );
  }
}

function mergeKeyValueEqual(left: JsonValue, right: JsonValue, mergeKey: string): boolean {
  if (mergeKey === '') return goEqual(left, right);
  if (!isJsonObject(left)) throw badArgType('map[string]interface {}', left);
  if (!isJsonObject(right)) throw badArgType('map[string]interface {}', right);
  if (!Object.hasOwn(left, mergeKey)) throw noMergeKey(left, mergeKey);
  if (!Object.hasOwn(right, mergeKey)) throw noMergeKey(right, mergeKey);
  return goEqual(left[mergeKey], right[mergeKey]);
}

function mergeSliceHandler(
  original: JsonValue[],
  patch: JsonValue[],
  meta: FieldPatchMeta,
  isDeleteList: boolean,
): JsonValue[] {
  if (meta.strategy === 'merge' || isDeleteList) {
    return mergeSlice(original, patch, meta.type, meta.mergeKey ?? '', isDeleteList);
  }
  return patch;
}

function mergeSlice(
  original: JsonValue[],
  patch: JsonValue[],
  elementStruct: string | undefined,
  mergeKey: string,
  isDeleteList: boolean,
): JsonValue[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = sliceElementKind(original, patch);

  let merged: JsonValue[];
  if (kind !== 'map') {
    if (isDeleteList) return deleteFromSlice(original, patch);
    merged = deduplicateScalars([...original, ...patch]);
  } else {
    if (mergeKey === '') {
      throw unconvertedError(`cannot merge lists without merge key for ${elementStruct ?? 'interface {}'}`);
    }
    [original, patch] = mergeSliceWithSpecialElements(original, patch, mergeKey);
    merged = mergeSliceWithoutSpecialElements(original, patch, mergeKey, elementStruct);
  }

  const [patchItems, serverOnlyItems] =
    mergeKey === '' ? partitionPrimitivesByPresence(merged, patch) : partitionMapsByPresence(merged, patch, mergeKey);
  return normalizeElementOrder(patchItems, serverOnlyItems, patch, original, mergeKey, kind);
}

// Applies the {$patch: ...} elements of a merged list of maps. Returns the original list
// with deletions done (or the replacement list) and the patch without its directive elements.
function mergeSliceWithSpecialElements(
  original: JsonValue[],
  patch: JsonValue[],
  mergeKey: string,
): [JsonValue[], JsonValue[]] {
  const plain: JsonValue[] = [];
  let replace = false;
  for (const element of patch) {
    const map = element as JsonObject;
    if (!Object.hasOwn(map, DIRECTIVE_MARKER)) {
      plain.push(element);
      continue;
    }
    const directive = map[DIRECTIVE_MARKER];
    if (directive === 'delete') {
      if (!Object.hasOwn(map, mergeKey)) throw noMergeKey(map, mergeKey);
      original = deleteMatchingEntries(original, mergeKey, map[mergeKey]);
    } else if (directive === 'replace') {
      // Later directive elements are still pruned from the replacement.
      replace = true;
    } else if (directive === 'merge') {
      throw unconvertedError('merging lists cannot yet be specified in the patch');
    } else {
      throw unconvertedError(`unknown patch type: ${goString(directive)} in map: ${goValue(map)}`);
    }
  }
  return replace ? [plain, []] : [original, plain];
}

function deleteMatchingEntries(original: JsonValue[], mergeKey: string, value: JsonValue): JsonValue[] {
  const remaining = original.slice();
  for (;;) {
    const index = findMapByKeyValue(remaining, mergeKey, value);
    if (index < 0) return remaining;
    remaining.splice(index, 1);
  }
}

function mergeSliceWithoutSpecialElements(
  original: JsonValue[],
  patch: JsonValue[],
  mergeKey: string,
  elementStruct: string | undefined,
): JsonValue[] {
  const merged = original.slice();
  for (const element of patch) {
    const map = element as JsonObject;
    if (!Object.hasOwn(map, mergeKey)) throw noMergeKey(map, mergeKey);
    const index = findMapByKeyValue(merged, mergeKey, map[mergeKey]);
    if (index >= 0) merged[index] = mergeMap(merged[index] as JsonObject, map, elementStruct);
    else merged.push(element);
  }
  return merged;
}

function findMapByKeyValue(list: JsonValue[], key: string, value: JsonValue): number {
  for (let i = 0; i < list.length; i++) {
    const element = list[i];
    if (!isJsonObject(element)) throw unconvertedError(`value for key ${i} is not a map`);
    if (Object.hasOwn(element, key) && goEqual(element[key], value)) return i;
  }
  return -1;
}

function deleteFromSlice(current: JsonValue[], toDelete: JsonValue[]): JsonValue[] {
  const doomed = new Set<JsonValue>(toDelete);
  return current.filter((item) => !doomed.has(item));
}

// Go's in-place deduplication, which moves the last element into each duplicate's slot.
// The merged order is normalised afterwards, but this keeps even the intermediate list true
// to the original.
function deduplicateScalars(list: JsonValue[]): JsonValue[] {
  const s = list.slice();
  let last = s.length - 1;
  for (let i = 0; i < last; i++) {
    for (let j = i + 1; j <= last; j++) {
      if (goEqual(s[i], s[j])) {
        s[j] = s[last];
        s.length = last;
        last--;
        j--;
      }
    }
  }
  return s;
}

/** The element kind of one or more lists, which must all agree; lists of lists are refused. */
function sliceElementKind(...lists: JsonValue[][]): ValueKind {
  let previous: string | undefined;
  let kind: ValueKind | undefined;
  for (const list of lists) {
    for (const item of list) {
      const type = goTypeName(item);
      if (previous === undefined) {
        previous = type;
        kind = kindOf(item);
        if (kind === 'list') throw rejectedPatch('lists of lists are not supported');
      } else if (previous !== type) {
        throw unconvertedError(`list element types are not identical: ${goValue(lists)}`);
      }
    }
  }
  if (kind === undefined) throw unconvertedError('no elements in any of the given slices');
  return kind;
}

function partitionPrimitivesByPresence(list: JsonValue[], partitionBy: JsonValue[]): [JsonValue[], JsonValue[]] {
  const present = new Set<JsonValue>(partitionBy);
  const inPatch: JsonValue[] = [];
  const serverOnly: JsonValue[] = [];
  for (const item of list) (present.has(item) ? inPatch : serverOnly).push(item);
  return [inPatch, serverOnly];
}

function partitionMapsByPresence(
  list: JsonValue[],
  partitionBy: JsonValue[],
  mergeKey: string,
): [JsonValue[], JsonValue[]] {
  const inPatch: JsonValue[] = [];
  const serverOnly: JsonValue[] = [];
  for (const item of list) {
    if (!isJsonObject(item)) throw badArgType('map[string]interface {}', item);
    if (!Object.hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey);
    (findMapByKeyValue(partitionBy, mergeKey, item[mergeKey]) >= 0 ? inPatch : serverOnly).push(item);
  }
  return [inPatch, serverOnly];
}

function normalizeElementOrder(
  patchItems: JsonValue[],
  serverOnlyItems: JsonValue[],
  patchOrder: JsonValue[],
  serverOrder: JsonValue[],
  mergeKey: string,
  kind: ValueKind,
): JsonValue[] {
  const sortedPatch = normalizeSliceOrder(patchItems, patchOrder, mergeKey, kind);
  const sortedServer = normalizeSliceOrder(serverOnlyItems, serverOrder, mergeKey, kind);
  return mergeSortedSlice(sortedServer, sortedPatch, serverOrder, mergeKey, kind);
}

// Sorts by position in `order` with Go's comparator, which calls an element less whenever
// either side is missing from `order`; insertion sort gives the same result as Go's
// sort.SliceStable for every list of up to 20 elements and for every consistent comparison.
function normalizeSliceOrder(toSort: JsonValue[], order: JsonValue[], mergeKey: string, kind: ValueKind): JsonValue[] {
  let items = toSort.slice();
  let toDelete: JsonValue[] = [];
  if (kind === 'map') {
    validateMergeKeyInLists(mergeKey, items, order);
    [items, toDelete] = extractToDeleteItems(items);
  }
  const less = (a: JsonValue, b: JsonValue): boolean => {
    const ia = indexIn(order, a, mergeKey, kind);
    const ib = indexIn(order, b, mergeKey, kind);
    return ia >= 0 && ib >= 0 ? ia < ib : true;
  };
  for (let i = 1; i < items.length; i++) {
    for (let j = i; j > 0 && less(items[j], items[j - 1]); j--) {
      [items[j], items[j - 1]] = [items[j - 1], items[j]];
    }
  }
  return [...items, ...toDelete];
}

// Interleaves the server-only elements (left) into the patched ones (right), both already
// sorted, taking a left element first only when the server order puts it before the right one.
function mergeSortedSlice(
  left: JsonValue[],
  right: JsonValue[],
  serverOrder: JsonValue[],
  mergeKey: string,
  kind: ValueKind,
): JsonValue[] {
  const result: JsonValue[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) {
      result.push(right[j++]);
    } else if (j >= right.length) {
      result.push(left[i++]);
    } else {
      const li = indexIn(serverOrder, left[i], mergeKey, kind);
      const ri = indexIn(serverOrder, right[j], mergeKey, kind);
      if (li >= 0 && ri >= 0 && li < ri) result.push(left[i++]);
      else result.push(right[j++]);
    }
  }
  return result;
}

function indexIn(list: JsonValue[], value: JsonValue, mergeKey: string, kind: ValueKind): number {
  const key = (item: JsonValue): JsonValue | undefined =>
    kind === 'map' ? (isJsonObject(item) ? item[mergeKey] : undefined) : item;
  const wanted = key(value);
  return list.findIndex((item) => goEqual(key(item), wanted));
}

function validateMergeKeyInLists(mergeKey: string, ...lists: JsonValue[][]): void {
  for (const list of lists) {
    for (const item of list) {
      if (!isJsonObject(item)) throw badArgType('map[string]interface {}', item);
      if (!Object.hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey);
    }
  }
}

function extractToDeleteItems(list: JsonValue[]): [JsonValue[], JsonValue[]] {
  const kept: JsonValue[] = [];
  const toDelete: JsonValue[] = [];
  for (const item of list) {
    if (!isJsonObject(item)) throw badArgType('map[string]interface {}', item);
    (item[DIRECTIVE_MARKER] === 'delete' ? toDelete : kept).push(item);
  }
  return [kept, toDelete];
}

/** Go's == on two decoded JSON scalars; an absent value and null are both nil. */
function goEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if ((a === undefined || a === null) && (b === undefined || b === null)) return true;
  return a === b;
}

interface Cleaned {
  value: JsonValue;
  keep: boolean;
}

// apimachinery's removeDirectives: a map carrying $patch is dropped wherever it sits.
function removeDirectives(value: JsonValue): Cleaned {
  if (Array.isArray(value)) {
    const kept: JsonValue[] = [];
    for (const item of value) {
      const cleaned = removeDirectives(item);
      if (cleaned.keep) kept.push(cleaned.value);
    }
    return { value: kept, keep: true };
  }
  if (isJsonObject(value)) {
    if (Object.hasOwn(value, DIRECTIVE_MARKER)) return { value: null, keep: false };
    for (const [key, member] of Object.entries(value)) {
      const cleaned = removeDirectives(member);
      if (cleaned.keep) value[key] = cleaned.value;
      else delete value[key];
    }
  }
  return { value, keep: true };
}

function discardNullValues(value: JsonValue): void {
  if (Array.isArray(value)) {
    for (const item of value) discardNullValues(item);
  } else if (isJsonObject(value)) {
    for (const [key, member] of Object.entries(value)) {
      if (member === null) delete value[key];
      else discardNullValues(member);
    }
  }
}

function isDirectiveKey(key: string): boolean {
  return (
    key === DIRECTIVE_MARKER ||
    key === RETAIN_KEYS_DIRECTIVE ||
    key.startsWith(SET_ELEMENT_ORDER_PREFIX) ||
    key.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX)
  );
}

function stripDirectiveKeys(value: JsonValue): void {
  if (Array.isArray(value)) {
    for (const item of value) stripDirectiveKeys(item);
  } else if (isJsonObject(value)) {
    for (const [key, member] of Object.entries(value)) {
      if (isDirectiveKey(key)) delete value[key];
      else stripDirectiveKeys(member);
    }
  }
}

function badArgType(expected: string, actual: JsonValue | undefined): PatchError {
  return unconvertedError(`expected a ${expected}, but received a ${goTypeName(actual)}`);
}

function noMergeKey(map: JsonObject, mergeKey: string): PatchError {
  return unconvertedError(`map: ${goValue(map)} does not contain declared merge key: ${mergeKey}`);
}
