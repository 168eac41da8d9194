// Integer query parameters of list and watch requests (`limit`, `timeoutSeconds`), read as the
// apiserver's parameter codec reads them into metav1.ListOptions: strconv.ParseInt in base 10,
// and a value it cannot read is a 400 that quotes strconv's error.

import { badRequest } from '../api/errors';

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/** The parameter's value as a number, undefined when absent; throws the apiserver's 400. */
export function int64Param(q: URLSearchParams, name: string): number | undefined {
  const raw = q.get(name);
  if (raw === null) return undefined;
  const quoted = JSON.stringify(raw);
  if (!/^[+-]?\d+$/.test(raw)) throw badRequest(`strconv.ParseInt: parsing ${quoted}: invalid syntax`);
  const value = BigInt(raw);
  if (value > INT64_MAX || value < INT64_MIN) throw badRequest(`strconv.ParseInt: parsing ${quoted}: value out of range`);
  return Number(value);
}
