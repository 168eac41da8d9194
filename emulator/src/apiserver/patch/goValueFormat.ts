// Go's fmt renderings of decoded JSON values. The apiserver builds several patch error
// messages with %v, %s and reflect.TypeOf on map[string]interface{} values, and users see
// those messages verbatim, so the emulator renders values the way Go would.

import { isJsonObject, type JsonValue } from './jsonValue';

/** fmt's %v: maps print as map[k:v ...] with sorted keys, slices as [a b], nil as <nil>. */
export function goValue(value: JsonValue | undefined): string {
  if (value === null || value === undefined) return '<nil>';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return goNumber(value);
  if (Array.isArray(value)) return '[' + value.map(goValue).join(' ') + ']';
  const keys = Object.keys(value).sort();
  return 'map[' + keys.map((key) => key + ':' + goValue(value[key])).join(' ') + ']';
}

/**
 * fmt's %s. Strings print as they are; any other scalar prints as a bad-verb marker such as
 * %!s(int64=5), because the apiserver formats a directive value with %s whatever its type.
 */
export function goString(value: JsonValue | undefined): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '%!s(<nil>)';
  if (typeof value === 'number' || typeof value === 'boolean') {
    return '%!s(' + goTypeName(value) + '=' + goValue(value) + ')';
  }
  return goValue(value);
}

/**
 * The name reflect.TypeOf gives a value decoded by the apiserver's JSON decoder, which keeps
 * integers as int64 and everything else numeric as float64.
 */
export function goTypeName(value: JsonValue | undefined): string {
  if (value === null || value === undefined) return '%!s(<nil>)';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int64' : 'float64';
  if (Array.isArray(value)) return '[]interface {}';
  return isJsonObject(value) ? 'map[string]interface {}' : 'interface {}';
}

// Integers come out of the apiserver's decoder as int64 and print plainly; other numbers are
// float64 and print like fmt's shortest %g, which switches to an exponent below 1e-4 or from 1e6.
function goNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN';
  const exponent = Math.floor(Math.log10(Math.abs(n)));
  if (exponent < -4 || exponent >= 6) {
    const [mantissa, exp] = n.toExponential().split('e');
    const sign = exp.startsWith('-') ? '-' : '+';
    const digits = exp.replace(/^[+-]/, '').padStart(2, '0');
    return `${mantissa}e${sign}${digits}`;
  }
  return String(n);
}
