// Field errors as k8s.io/apimachinery/pkg/util/validation/field produces them. The apiserver
// turns a list of these into a 422 Status; the language server turns each into a diagnostic
// whose code is `field`. Both rely on `errorBody` and `errorString` matching Go exactly.

export type FieldErrorType =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueDuplicate'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'InternalError'
  | 'FieldValueTypeInvalid';

export interface FieldError {
  type: FieldErrorType;
  /** The field path in Go's rendering: `spec.ports[0].port`, `metadata.annotations[a/b]`. */
  field: string;
  /** Present when the error type prints its value (Invalid, Duplicate, NotSupported). */
  badValue?: unknown;
  detail: string;
}

const typeStrings: Record<FieldErrorType, string> = {
  FieldValueRequired: 'Required value',
  FieldValueInvalid: 'Invalid value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  InternalError: 'Internal error',
  FieldValueTypeInvalid: 'Invalid value',
};

const valuePrinted: ReadonlySet<FieldErrorType> = new Set<FieldErrorType>([
  'FieldValueInvalid',
  'FieldValueDuplicate',
  'FieldValueNotSupported',
  'FieldValueTypeInvalid',
]);

/** Go's `%q` for strings, close enough for the printable ASCII that manifests carry. */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** Renders a bad value the way field.Error.ErrorBody does: strings quoted, numbers and booleans bare, the rest as JSON. */
export function renderValue(v: unknown): string {
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null || v === undefined) return 'null';
  return JSON.stringify(v);
}

/** `Invalid value: "x": detail` — the message part that follows the field path. */
export function errorBody(e: FieldError): string {
  let s = typeStrings[e.type];
  if (valuePrinted.has(e.type) && 'badValue' in e) s += ': ' + renderValue(e.badValue);
  if (e.detail) s += ': ' + e.detail;
  return s;
}

/** `spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive`. */
export function errorString(e: FieldError): string {
  return e.field ? `${e.field}: ${errorBody(e)}` : errorBody(e);
}

export const required = (field: string, detail = ''): FieldError => ({ type: 'FieldValueRequired', field, detail });
export const invalid = (field: string, badValue: unknown, detail: string): FieldError => ({
  type: 'FieldValueInvalid',
  field,
  badValue,
  detail,
});
export const duplicate = (field: string, badValue: unknown): FieldError => ({
  type: 'FieldValueDuplicate',
  field,
  badValue,
  detail: '',
});
export const forbidden = (field: string, detail: string): FieldError => ({ type: 'FieldValueForbidden', field, detail });
export const tooLong = (field: string, maxBytes: number): FieldError => ({
  type: 'FieldValueTooLong',
  field,
  detail: `may not be more than ${maxBytes} bytes`,
});
/** NotSupported lists the allowed values, each Go-quoted and joined by ", ", in the order given. */
export const notSupported = (field: string, badValue: unknown, supported: readonly string[]): FieldError => ({
  type: 'FieldValueNotSupported',
  field,
  badValue,
  detail: supported.length ? 'supported values: ' + supported.map(goQuote).join(', ') : '',
});
export const internalError = (field: string, detail: string): FieldError => ({ type: 'InternalError', field, detail });

/**
 * Appends `more` to `list` one by one. A spread call (`list.push(...more)`) passes every item
 * as an argument and throws a RangeError past about 120,000 of them, which the errors of one
 * long list in a manifest (200,000 labels, say) reach.
 */
export function appendAll<T>(list: T[], more: readonly T[]): void {
  for (const item of more) list.push(item);
}
