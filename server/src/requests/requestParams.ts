// Checks on what a client sent: any LSP client may call the custom requests, so their
// parameters are checked before use and a wrong one is answered with what is wrong.

import { UserError } from './userError';

/** A non-empty string, or a UserError naming what is missing. */
export function requiredString(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '') throw new UserError(`the request names no ${what}`);
  return value;
}

/** The parameters object, or a UserError when there is none. */
export function paramsObject(params: unknown): Record<string, unknown> {
  if (params === null || typeof params !== 'object' || Array.isArray(params)) throw new UserError('the request has no parameters');
  return params as Record<string, unknown>;
}
