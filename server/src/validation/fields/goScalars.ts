// Go library behaviour the decoder depends on, ported for the few scalar types whose
// decoding can fail on a well-typed JSON value: resource.ParseQuantity
// (k8s.io/apimachinery/pkg/api/resource/quantity.go), base64.StdEncoding.Decode
// (encoding/base64, which []byte fields use), and strconv.Quote (which renders paths in
// strict decoding errors).

const quantityRegexp = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';

/** The three errors resource.ParseQuantity returns, with Go's exact text. */
export const quantityErrors = {
  formatWrong: `quantities must match the regular expression '${quantityRegexp}'`,
  numeric: 'unable to parse numeric part of quantity',
  suffix: "unable to parse quantity's suffix",
} as const;

const decimalSuffixes = new Set(['', 'n', 'u', 'm', 'k', 'M', 'G', 'T', 'P', 'E']);
const binarySuffixes = new Set(['Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei']);
const suffixChars = 'eEinumkKMGTP';
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** strconv.ParseInt(s, 10, 64) succeeds: optional sign, digits, within int64. */
function parsesAsInt64(s: string): boolean {
  if (!/^[+-]?\d+$/.test(s)) return false;
  const n = BigInt(s);
  return n >= -(2n ** 63n) && n < 2n ** 63n;
}

/**
 * Why resource.ParseQuantity rejects `str`, or undefined when it accepts it. This follows
 * parseQuantityString and the suffix lookup step by step, including what they let through
 * (`1.`, a bare `m`), because the apiserver accepts exactly those too.
 */
export function quantityParseError(str: string): string | undefined {
  if (str.length === 0) return quantityErrors.formatWrong;
  if (str === '0') return undefined;
  const end = str.length;
  let pos = 0;
  if (str[0] === '-' || str[0] === '+') pos++;
  while (pos < end && str[pos] === '0') pos++;
  if (pos >= end) return undefined;
  const numStart = pos;
  while (pos < end && isDigit(str[pos])) pos++;
  let digits = pos - numStart;
  if (pos >= end) return undefined;
  let denomLength = 0;
  if (str[pos] === '.') {
    pos++;
    const denomStart = pos;
    while (pos < end && isDigit(str[pos])) pos++;
    denomLength = pos - denomStart;
    if (pos >= end) return undefined;
  }
  const value = str.slice(0, pos);
  const suffixStart = pos;
  while (pos < end && suffixChars.includes(str[pos]!)) pos++;
  if (pos < end) {
    if (str[pos] === '-' || str[pos] === '+') pos++;
    while (pos < end && isDigit(str[pos])) pos++;
    if (pos < end) return quantityErrors.formatWrong;
  }
  const suffix = str.slice(suffixStart);

  let binary = false;
  let exponent = 0;
  if (decimalSuffixes.has(suffix)) {
    exponent = 0;
  } else if (binarySuffixes.has(suffix)) {
    binary = true;
    exponent = 10 * (['Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'].indexOf(suffix) + 1);
  } else if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E') && parsesAsInt64(suffix.slice(1))) {
    exponent = 0;
  } else {
    return quantityErrors.suffix;
  }
  if (digits === 0) digits = 1;

  // The fast path parses num+denom as an int64 and never fails; only the slow path hands
  // the whole value to inf.Dec, which rejects a value without any digit.
  const precision = binary
    ? exponent >= 0 && denomLength === 0
      ? 15 - digits - Math.trunc((exponent * 3) / 10) - 1
      : -1
    : 18 - (digits + denomLength);
  if (precision >= 0) return undefined;
  return /\d/.test(value) ? undefined : quantityErrors.numeric;
}

/** UTF-8 bytes of a string, since Go reports byte offsets. */
function utf8Bytes(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return out;
}

const base64Alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const isBase64Char = (b: number): boolean => b < 128 && base64Alphabet.includes(String.fromCharCode(b));
const CR = 13;
const LF = 10;
const PAD = 61;

/**
 * Go's `illegal base64 data at input byte N` for `s` under base64.StdEncoding, or undefined
 * when it decodes. Mirrors decodeQuantum: newlines are skipped, padding is required.
 */
export function base64DecodeError(s: string): string | undefined {
  const src = utf8Bytes(s);
  const corrupt = (at: number): string => `illegal base64 data at input byte ${at}`;
  let si = 0;
  while (si < src.length) {
    for (let j = 0; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return undefined;
        return corrupt(si - j);
      }
      const b = src[si]!;
      si++;
      if (isBase64Char(b)) continue;
      if (b === LF || b === CR) {
        j--;
        continue;
      }
      if (b !== PAD) return corrupt(si - 1);
      if (j === 0 || j === 1) return corrupt(si - 1);
      if (j === 2) {
        while (si < src.length && (src[si] === LF || src[si] === CR)) si++;
        if (si === src.length) return corrupt(src.length);
        if (src[si] !== PAD) return corrupt(si - 1);
        si++;
      }
      while (si < src.length && (src[si] === LF || src[si] === CR)) si++;
      return si < src.length ? corrupt(si) : undefined;
    }
  }
  return undefined;
}

/** Go's strconv.Quote: printable characters as they are, the rest escaped Go's way. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (c >= 0x20 && c !== 0x7f && !(c >= 0x80 && c < 0xa0)) out += ch;
    else {
      const named: Record<number, string> = { 7: '\\a', 8: '\\b', 12: '\\f', 10: '\\n', 13: '\\r', 9: '\\t', 11: '\\v' };
      out += named[c] ?? (c < 0x80 ? '\\x' + c.toString(16).padStart(2, '0') : '\\u' + c.toString(16).padStart(4, '0'));
    }
  }
  return out + '"';
}

/** Go's strings.TrimSpace for the ASCII and Unicode spaces JSON strings can carry. */
export function goTrimSpace(s: string): string {
  return s.replace(/^[\s\u0085]+|[\s\u0085]+$/g, '');
}
