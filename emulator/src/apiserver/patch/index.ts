// PATCH bodies for the emulator's apiserver: which patch type a request carries, how its
// body decodes, and how it applies to the stored object. Server-side apply
// (application/apply-patch+yaml) is accepted as a type here but applied by the field
// manager, not by applyPatch.

import { applyJsonPatch } from './jsonPatch';
import { applyMergePatch } from './mergePatch';
import { applyStrategicMergePatch } from './strategicMergePatch';
import { badRequest, unsupportedMediaType } from './patchError';
import { isJsonObject, type GroupVersionKind, type JsonObject } from './jsonValue';
import { goJsonSyntaxError } from '../goJsonSyntax';

export { PatchError, type FailureStatus, type StatusCause, type StatusDetails } from './patchError';
export type { GroupVersionKind, JsonObject, JsonValue } from './jsonValue';
export { applyJsonPatch, MAX_JSON_PATCH_OPERATIONS } from './jsonPatch';
export { applyMergePatch, mergePatch } from './mergePatch';
export { applyStrategicMergePatch } from './strategicMergePatch';

export const JSON_PATCH = 'application/json-patch+json';
export const MERGE_PATCH = 'application/merge-patch+json';
export const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';
export const APPLY_PATCH_YAML = 'application/apply-patch+yaml';

export type PatchType = typeof JSON_PATCH | typeof MERGE_PATCH | typeof STRATEGIC_MERGE_PATCH | typeof APPLY_PATCH_YAML;

/**
 * The patch types a built-in resource accepts, in the order the apiserver lists them in its
 * 415 message (apiserver endpoints/installer.go; CBOR apply is behind a disabled feature gate).
 */
export const SUPPORTED_PATCH_TYPES: readonly PatchType[] = [JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH, APPLY_PATCH_YAML];

/**
 * The patch type named by a Content-Type header, read as PatchResource reads it: everything
 * from the first ";" on is dropped (unless the header starts with it), and the rest must
 * match exactly, case and spaces included. Throws PatchError 415 UnsupportedMediaType otherwise.
 */
export function patchTypeOf(contentType: string | undefined): PatchType {
  let mediaType = contentType ?? '';
  const semicolon = mediaType.indexOf(';');
  if (semicolon > 0) mediaType = mediaType.slice(0, semicolon);
  const found = SUPPORTED_PATCH_TYPES.find((type) => type === mediaType);
  if (found === undefined) throw unsupportedMediaType(SUPPORTED_PATCH_TYPES);
  return found;
}

/**
 * Parses a PATCH request body for one of the JSON patch types. Throws PatchError 400 when it
 * is not JSON, worded as patch.go words it for the directive: a strategic merge patch quotes
 * the JSON error; under Strict and Warn the other two say "error decoding patch: <error>";
 * under Ignore a merge patch says "Invalid JSON Patch", as json-patch reports it, and a JSON
 * patch quotes the JSON error.
 */
export function decodePatchBody(
  contentType: string,
  body: string | Uint8Array,
  fieldValidation: 'Strict' | 'Warn' | 'Ignore' = 'Ignore',
): unknown {
  const type = patchTypeOf(contentType);
  const text = typeof body === 'string' ? body : new TextDecoder().decode(body);
  const syntax = goJsonSyntaxError(text);
  if (syntax === undefined) return JSON.parse(text) as unknown;
  if (type === STRATEGIC_MERGE_PATCH) throw badRequest(syntax);
  if (fieldValidation !== 'Ignore') throw badRequest(`error decoding patch: ${syntax}`);
  throw badRequest(type === MERGE_PATCH ? 'Invalid JSON Patch' : syntax);
}

/**
 * Applies a decoded patch body of the given Content-Type to a copy of `original`, the
 * stored object, and returns the patched object; `original` is left untouched.
 * Throws PatchError with the apiserver's status, reason and message when the content type
 * is not a patch type (415) or the patch does not apply (400, 413, 422 or 500).
 */
export function applyPatch(contentType: string, original: object, patchBody: unknown, gvk: GroupVersionKind): JsonObject {
  const type = patchTypeOf(contentType);
  if (!isJsonObject(original)) throw new TypeError('applyPatch: the original object must be a JSON object');
  const stored = original as JsonObject;
  switch (type) {
    case JSON_PATCH:
      return applyJsonPatch(stored, patchBody);
    case MERGE_PATCH:
      return applyMergePatch(stored, patchBody);
    case STRATEGIC_MERGE_PATCH:
      return applyStrategicMergePatch(stored, patchBody, gvk);
    case APPLY_PATCH_YAML:
      throw new Error('applyPatch: application/apply-patch+yaml is server-side apply and belongs to the field manager');
  }
}
