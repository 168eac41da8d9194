// API errors as the apiserver reports them: a metav1.Status with the HTTP code, the reason and
// the message that kubectl prints. Constructors follow k8s.io/apimachinery/pkg/api/errors, so
// `kubectl` formats them exactly as it does for a real cluster.

import { errorString, type FieldError } from '../../../server/src/validation/fieldErrors';
import type { ResourceType } from './resources';

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
  }

  toStatus(): Status {
    const s: Status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason || undefined,
      details: this.details,
      code: this.code,
    };
    if (!s.reason) delete s.reason;
    if (!s.details) delete s.details;
    return s;
  }
}

/** `deployments.apps` for grouped resources, `services` for the core group. */
export function qualifiedResource(rt: Pick<ResourceType, 'group' | 'resource'>): string {
  return rt.group ? `${rt.resource}.${rt.group}` : rt.resource;
}

function groupDetail(rt: Pick<ResourceType, 'group'>): { group?: string } {
  return rt.group ? { group: rt.group } : {};
}

export function notFound(rt: Pick<ResourceType, 'group' | 'resource'>, name: string): ApiError {
  return new ApiError(404, 'NotFound', `${qualifiedResource(rt)} "${name}" not found`, {
    name,
    ...groupDetail(rt),
    kind: rt.resource,
  });
}

export function alreadyExists(rt: Pick<ResourceType, 'group' | 'resource'>, name: string): ApiError {
  return new ApiError(409, 'AlreadyExists', `${qualifiedResource(rt)} "${name}" already exists`, {
    name,
    ...groupDetail(rt),
    kind: rt.resource,
  });
}

export function conflict(rt: Pick<ResourceType, 'group' | 'resource'>, name: string, why: string): ApiError {
  return new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(rt)} "${name}": ${why}`, {
    name,
    ...groupDetail(rt),
    kind: rt.resource,
  });
}

/**
 * 422 Invalid. The message lists each distinct error string once, as the apiserver's
 * `NewInvalid` does, and `causes` keeps every error.
 */
export function invalid(rt: Pick<ResourceType, 'group' | 'kind'>, name: string, errs: FieldError[]): ApiError {
  const strings: string[] = [];
  for (const e of errs) {
    const s = errorString(e);
    if (!strings.includes(s)) strings.push(s);
  }
  const list = strings.length === 1 ? strings[0] : `[${strings.join(', ')}]`;
  return new ApiError(422, 'Invalid', `${rt.kind} "${name}" is invalid: ${list}`, {
    name,
    ...groupDetail(rt),
    kind: rt.kind,
    causes: errs.map((e) => ({ reason: e.type, message: errorString(e).slice(e.field ? e.field.length + 2 : 0), field: e.field })),
  });
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, 'BadRequest', message);
}

export function forbidden(rt: Pick<ResourceType, 'group' | 'resource'>, name: string, why: string): ApiError {
  const what = name ? `${qualifiedResource(rt)} "${name}"` : qualifiedResource(rt);
  return new ApiError(403, 'Forbidden', `${what} is forbidden: ${why}`, { name: name || undefined, ...groupDetail(rt), kind: rt.resource });
}

export function methodNotSupported(rt: Pick<ResourceType, 'group' | 'resource'>, action: string): ApiError {
  return new ApiError(405, 'MethodNotAllowed', `${action} is not supported on resources of kind "${qualifiedResource(rt)}"`, {
    ...groupDetail(rt),
    kind: rt.resource,
  });
}

export function internalError(message: string): ApiError {
  return new ApiError(500, 'InternalError', `Internal error occurred: ${message}`, {
    causes: [{ message }],
  });
}

export function gone(message: string): ApiError {
  return new ApiError(410, 'Expired', message);
}

export function unauthorized(): ApiError {
  return new ApiError(401, 'Unauthorized', 'Unauthorized');
}

export function tooLarge(): ApiError {
  return new ApiError(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728');
}

export function unsupportedMediaType(contentType: string): ApiError {
  return new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`, {
    causes: [{ reason: 'UnsupportedMediaType', message: contentType }],
  });
}
