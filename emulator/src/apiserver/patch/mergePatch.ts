// RFC 7386 JSON merge patch, with the details of gopkg.in/evanphx/json-patch.v4's MergePatch
// that the apiserver uses for application/merge-patch+json: null deletes a member, objects
// merge recursively, anything else (arrays included) replaces, and a value that lands where
// there was nothing to merge into is stored with its nulls pruned, null array elements too.

import { badRequest, invalidPatchedDocument } from './patchError';
import { cloneJson, isJsonObject, type JsonObject, type JsonValue } from './jsonValue';

/** RFC 7386 MergePatch(target, patch) on copies of both; the inputs are never modified. */
export function mergePatch(target: JsonValue | undefined, patch: JsonValue): JsonValue {
  return mergeValue(target === undefined ? undefined : cloneJson(target), cloneJson(patch));
}

/**
 * The apiserver's merge patch of a stored object. Throws PatchError 400 "Invalid JSON Patch"
 * for a null or scalar patch, and 422 Invalid when an array patch replaces the whole object,
 * because the result can no longer be decoded as the resource.
 */
export function applyMergePatch(original: JsonObject, patch: unknown): JsonObject {
  if (isJsonObject(patch)) {
    const result = cloneJson(original);
    mergeMembers(result, cloneJson(patch));
    return result;
  }
  if (Array.isArray(patch)) {
    const replaced = pruneNulls(cloneJson(patch as JsonValue[]));
    throw invalidPatchedDocument(
      JSON.stringify(replaced),
      'couldn\'t get version/kind; json parse error: json: cannot unmarshal array into Go value of type ' +
        'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }',
    );
  }
  throw badRequest('Invalid JSON Patch');
}

// Works in place on values the caller already copied.
function mergeValue(target: JsonValue | undefined, patch: JsonValue): JsonValue {
  if (!isJsonObject(patch)) return target === undefined || !isJsonObject(target) ? pruneNulls(patch) : patch;
  if (!isJsonObject(target)) return pruneNulls(patch);
  mergeMembers(target, patch);
  return target;
}

function mergeMembers(target: JsonObject, patch: JsonObject): void {
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete target[key];
      continue;
    }
    const current = target[key];
    target[key] = current === undefined || current === null ? pruneNulls(value) : mergeValue(current, value);
  }
}

function pruneNulls(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.filter((item) => item !== null).map(pruneNulls);
  if (isJsonObject(value)) {
    for (const [key, member] of Object.entries(value)) {
      if (member === null) delete value[key];
      else value[key] = pruneNulls(member);
    }
  }
  return value;
}
