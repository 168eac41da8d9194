// Decoding a request body into an object the way the apiserver's strict decoder does. The
// rules and texts live in the shared fields module; this file turns its decisions into
// ApiErrors and chooses what to check: a POST/PUT body as sent (so duplicate keys are seen),
// or the object a patch produced.

import {
  checkRequestBody,
  invalidPatchStatus,
  jsonNodeFromValue,
  parseJsonNode,
  pruneUnknownFields,
  type ApiStatus,
} from '../../../server/src/validation/fields';
import { ApiError, badRequest } from '../api/errors';
import { isPlainObject } from '../api/objects';
import type { ResourceType } from '../api/resources';
import type { KubeObject } from '../api/types';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface Decoded {
  object: KubeObject;
  warnings: string[];
}

function toApiError(s: ApiStatus): ApiError {
  return new ApiError(s.code, s.reason, s.message, s.details);
}

/**
 * Checks a create/update body. `jsonText` is the body as sent when it was JSON, so duplicate
 * fields can be found; YAML bodies are checked from the parsed value.
 */
export function decodeRequestObject(
  rt: ResourceType,
  raw: unknown,
  jsonText: string | undefined,
  validation: FieldValidation,
): Decoded {
  if (!isPlainObject(raw)) {
    throw badRequest(`${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: the body is not a JSON object`);
  }
  const parsed = jsonText !== undefined ? parseJsonNode(jsonText) : undefined;
  const node = parsed?.ok ? parsed.node : jsonNodeFromValue(raw);
  const decision = checkRequestBody(rt.apiVersion, rt.kind, node, validation);
  if (!decision.ok) throw toApiError(decision.status);
  return { object: pruneUnknownFields(rt.apiVersion, rt.kind, raw) as KubeObject, warnings: decision.warnings };
}

/** Checks the object a JSON, merge or strategic merge patch produced (a 422 on failure). */
export function decodePatchedObject(rt: ResourceType, patched: KubeObject, validation: FieldValidation): Decoded {
  const decision = checkRequestBody(rt.apiVersion, rt.kind, jsonNodeFromValue(patched), validation);
  if (!decision.ok) {
    const detail = decision.status.message.replace(/^.* cannot be handled as a [A-Za-z]+: /, '');
    throw toApiError(invalidPatchStatus(JSON.stringify(patched), detail));
  }
  return { object: pruneUnknownFields(rt.apiVersion, rt.kind, patched), warnings: decision.warnings };
}
