// Decoding a request body into an object the way the apiserver's strict decoder does: a body
// with a wrong JSON type is a 400; unknown and duplicate fields are rejected (Strict), reported
// as Warning headers (Warn, the default when the parameter is absent), or dropped (Ignore).

import {
  findDuplicateFields,
  findTypeErrors,
  findUnknownFields,
  pruneUnknownFields,
  strictDecodingMessage,
  typeErrorMessage,
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

/**
 * `text` is the body as sent, for duplicate-field detection; `format` says how to read it
 * ('none' when the text is not the object itself, e.g. a JSON patch).
 */
export function decodeRequestObject(
  rt: ResourceType,
  raw: unknown,
  text: string,
  format: 'json' | 'yaml' | 'none',
  validation: FieldValidation,
): Decoded {
  if (!isPlainObject(raw)) {
    throw badRequest(`the body of the request was not a ${rt.kind} object: expected a JSON object`);
  }
  const apiVersion = typeof raw.apiVersion === 'string' ? raw.apiVersion : rt.apiVersion;
  const kind = typeof raw.kind === 'string' ? raw.kind : rt.kind;
  const typeErrors = findTypeErrors(rt.apiVersion, rt.kind, raw);
  if (typeErrors.length) throw badRequest(typeErrorMessage(rt.apiVersion, rt.kind, typeErrors));
  if (validation === 'Ignore') {
    return { object: pruneUnknownFields(rt.apiVersion, rt.kind, raw) as KubeObject, warnings: [] };
  }
  const unknown = findUnknownFields(apiVersion === rt.apiVersion ? apiVersion : rt.apiVersion, kind === rt.kind ? kind : rt.kind, raw);
  const duplicates = format === 'json' ? findDuplicateFields(text) : [];
  if (unknown.length === 0 && duplicates.length === 0) return { object: raw as KubeObject, warnings: [] };
  if (validation === 'Strict') {
    throw new ApiError(400, 'BadRequest', strictDecodingMessage(unknown, duplicates));
  }
  return {
    object: pruneUnknownFields(rt.apiVersion, rt.kind, raw) as KubeObject,
    warnings: [...unknown.map((p) => `unknown field "${p}"`), ...duplicates.map((p) => `duplicate field "${p}"`)],
  };
}
