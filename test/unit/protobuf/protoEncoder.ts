// A tiny protobuf encoder for tests: each helper returns the bytes of one field, and
// `envelope` wraps an object's bytes the way client-go does (`k8s\0` + runtime.Unknown).

export type Bytes = number[];

export function varint(value: bigint | number): Bytes {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: Bytes = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}

export const tag = (field: number, wireType: number): Bytes => varint((field << 3) | wireType);

/** A varint field (int32, int64, bool, or a negative number sign-extended to ten bytes). */
export const int = (field: number, value: bigint | number | boolean): Bytes => [
  ...tag(field, 0),
  ...varint(typeof value === 'boolean' ? (value ? 1 : 0) : value),
];

/** A length-delimited field holding raw bytes. */
export const bytes = (field: number, payload: Bytes | Uint8Array): Bytes => [...tag(field, 2), ...varint(payload.length), ...payload];

export const str = (field: number, text: string): Bytes => bytes(field, [...Buffer.from(text, 'utf8')]);

/** A message field whose content is the concatenation of `parts`. */
export const msg = (field: number, ...parts: Bytes[]): Bytes => bytes(field, parts.flat());

/** A map<string, string> entry. */
export const entry = (field: number, key: string, value: string): Bytes => msg(field, str(1, key), str(2, value));

export const fixed32 = (field: number): Bytes => [...tag(field, 5), 1, 2, 3, 4];

export const fixed64 = (field: number): Bytes => [...tag(field, 1), 1, 2, 3, 4, 5, 6, 7, 8];

/** A metav1.Time or MicroTime field. */
export const time = (field: number, seconds: number, nanos = 0): Bytes =>
  msg(field, int(1, seconds), ...(nanos ? [int(2, nanos)] : []));

/** The body a typed client sends: the magic prefix and a runtime.Unknown around `raw`. */
export function envelope(apiVersion: string, kind: string, raw: Bytes): Uint8Array {
  return Uint8Array.from([
    0x6b, 0x38, 0x73, 0x00,
    ...msg(1, str(1, apiVersion), str(2, kind)),
    ...bytes(2, raw),
    ...str(3, ''),
    ...str(4, ''),
  ]);
}
