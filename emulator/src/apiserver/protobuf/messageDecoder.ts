// Decoding one protobuf message into the Go values its generated Unmarshal method would
// fill in, following its rules: fields in any order, an embedded or singular message seen
// twice is merged, a scalar seen twice keeps the last value, repeated fields append, map
// entries overwrite by key, numeric lists may come packed or not, and unknown field numbers
// are skipped. Printing the result as JSON is goJson's job.

import { quantityParseError } from '../../../../server/src/validation/fields';
import { quantity as quantityMessage, intOrString as intOrStringMessage, timestamp } from './metaMessages';
import type { FieldSpec, FieldType, MessageSchema } from './schemaTypes';
import {
  ProtoError,
  WIRE_BYTES,
  WIRE_END_GROUP,
  WIRE_VARINT,
  errUnexpectedEOF,
  readLengthDelimited,
  readVarint,
  skipField,
} from './wire';

/**
 * How deep messages may nest. The schema tables hold no cycles, so real bodies stay far
 * below this; the limit is a guard should a recursive message ever be added.
 */
export const MAX_MESSAGE_DEPTH = 64;

/** A decoded message: its fields by number. */
export class GoStruct {
  readonly fields = new Map<number, GoField>();
}

/** metav1.Time or MicroTime: zero when it arrived as an empty message. */
export class GoTime {
  constructor(
    readonly zero: boolean,
    readonly seconds: bigint,
    readonly nanos: bigint,
  ) {}
}

/** resource.Quantity: the string it was sent as, or none for the zero quantity. */
export class GoQuantity {
  constructor(readonly text: string | undefined) {}
}

/** One decoded value: strings, integers (int32 and int64 alike), bools, bytes, or a struct. */
export type GoValue = string | bigint | boolean | Uint8Array | GoStruct | GoTime | GoQuantity;

/** What a field holds: a single value, a slice, or a map with string keys. */
export type GoField = GoValue | GoValue[] | Map<string, GoValue>;

const utf8 = new TextDecoder('utf-8');

/** Decodes `buf[start, end)` as a message of `schema` into `into`, merging with what it holds. */
export function decodeMessage(buf: Uint8Array, start: number, end: number, schema: MessageSchema, into: GoStruct, depth: number): void {
  if (depth > MAX_MESSAGE_DEPTH) {
    throw new ProtoError(`proto: ${schema.name}: messages nested more than ${MAX_MESSAGE_DEPTH} deep`);
  }
  let pos = start;
  while (pos < end) {
    const fieldStart = pos;
    const tag = readVarint(buf, pos, end);
    pos = tag.next;
    const fieldNumber = Number(BigInt.asIntN(32, tag.value >> 3n));
    const wireType = Number(tag.value & 7n);
    if (wireType === WIRE_END_GROUP) throw new ProtoError(`proto: ${schema.name}: wiretype end group for non-group`);
    if (fieldNumber <= 0) {
      throw new ProtoError(`proto: ${schema.name}: illegal tag ${fieldNumber} (wire type ${tag.value})`);
    }
    const field = schema.byNumber.get(fieldNumber);
    if (!field) {
      const length = skipField(buf, fieldStart, end);
      if (fieldStart + length > end) throw errUnexpectedEOF();
      pos = fieldStart + length;
      continue;
    }
    pos = decodeField(buf, pos, end, field, wireType, into, depth);
  }
}

function wrongWireType(wireType: number, field: FieldSpec): ProtoError {
  return new ProtoError(`proto: wrong wireType = ${wireType} for field ${field.go}`);
}

function isVarintType(type: FieldType): type is 'int32' | 'int64' | 'bool' {
  return type === 'int32' || type === 'int64' || type === 'bool';
}

function varintValue(type: FieldType, raw: bigint): GoValue {
  if (type === 'bool') return raw !== 0n;
  return type === 'int32' ? BigInt.asIntN(32, raw) : BigInt.asIntN(64, raw);
}

/** Decodes the value of one known field whose tag has been read; returns where it ends. */
function decodeField(buf: Uint8Array, pos: number, end: number, field: FieldSpec, wireType: number, into: GoStruct, depth: number): number {
  const { type } = field;
  if (field.shape === 'map') {
    if (wireType !== WIRE_BYTES) throw wrongWireType(wireType, field);
    const entry = readLengthDelimited(buf, pos, end);
    const [key, value] = decodeMapEntry(buf, entry.start, entry.end, end, type, depth);
    const map = into.fields.get(field.no);
    if (map instanceof Map) map.set(key, value);
    else into.fields.set(field.no, new Map([[key, value]]));
    return entry.end;
  }

  if (isVarintType(type)) {
    if (field.shape === 'slice' && wireType === WIRE_BYTES) {
      // A packed list. Like the generated code, its elements are read against the end of the
      // whole message, and the loop stops once the packed length is used up.
      const packed = readLengthDelimited(buf, pos, end);
      let at = packed.start;
      while (at < packed.end) {
        const element = readVarint(buf, at, end);
        at = element.next;
        append(into, field, varintValue(type, element.value));
      }
      return at;
    }
    if (wireType !== WIRE_VARINT) throw wrongWireType(wireType, field);
    const { value, next } = readVarint(buf, pos, end);
    store(into, field, varintValue(type, value));
    return next;
  }

  if (wireType !== WIRE_BYTES) throw wrongWireType(wireType, field);
  const payload = readLengthDelimited(buf, pos, end);
  if (type === 'string') {
    store(into, field, utf8.decode(buf.subarray(payload.start, payload.end)));
  } else if (type === 'bytes') {
    store(into, field, buf.slice(payload.start, payload.end));
  } else if (type === 'time' || type === 'microTime') {
    store(into, field, decodeTime(buf, payload.start, payload.end, type === 'microTime', depth + 1));
  } else if (type === 'quantity') {
    const previous = field.shape === 'slice' ? undefined : into.fields.get(field.no);
    store(into, field, decodeQuantity(buf, payload.start, payload.end, previous instanceof GoQuantity ? previous : undefined, depth + 1));
  } else {
    const schema = type === 'intOrString' ? intOrStringMessage : type;
    const target = field.shape === 'slice' ? new GoStruct() : structSlot(into, field);
    decodeMessage(buf, payload.start, payload.end, schema, target, depth + 1);
    if (field.shape === 'slice') append(into, field, target);
  }
  return payload.end;
}

/** The struct a singular message field already holds, created empty on first sight. */
function structSlot(into: GoStruct, field: FieldSpec): GoStruct {
  const current = into.fields.get(field.no);
  if (current instanceof GoStruct) return current;
  const created = new GoStruct();
  into.fields.set(field.no, created);
  return created;
}

function store(into: GoStruct, field: FieldSpec, value: GoValue): void {
  if (field.shape === 'slice') append(into, field, value);
  else into.fields.set(field.no, value);
}

function append(into: GoStruct, field: FieldSpec, value: GoValue): void {
  const list = into.fields.get(field.no);
  if (Array.isArray(list)) list.push(value);
  else into.fields.set(field.no, [value]);
}

/**
 * One map entry (key = 1, value = 2). The generated code reads the key and value without
 * checking their wire types, bounds them by the end of the enclosing message rather than the
 * entry, and skips other fields; a missing key or value is the zero value.
 */
function decodeMapEntry(
  buf: Uint8Array,
  start: number,
  end: number,
  messageEnd: number,
  valueType: FieldType,
  depth: number,
): [string, GoValue] {
  let key = '';
  let value: GoValue = valueType === 'quantity' ? new GoQuantity(undefined) : '';
  let pos = start;
  while (pos < end) {
    const fieldStart = pos;
    const tag = readVarint(buf, pos, messageEnd);
    pos = tag.next;
    const fieldNumber = Number(BigInt.asIntN(32, tag.value >> 3n));
    if (fieldNumber === 1 || fieldNumber === 2) {
      const payload = readLengthDelimited(buf, pos, messageEnd);
      if (fieldNumber === 1) key = utf8.decode(buf.subarray(payload.start, payload.end));
      else if (valueType === 'quantity') value = decodeQuantity(buf, payload.start, payload.end, undefined, depth + 1);
      else value = utf8.decode(buf.subarray(payload.start, payload.end));
      pos = payload.end;
    } else {
      const length = skipField(buf, fieldStart, messageEnd);
      if (fieldStart + length > end) throw errUnexpectedEOF();
      pos = fieldStart + length;
    }
  }
  return [key, value];
}

/**
 * metav1.Time.Unmarshal: an empty message is the zero time; anything else is a Timestamp.
 * Time keeps whole seconds only (its JSON has no fraction); MicroTime keeps the nanoseconds.
 */
function decodeTime(buf: Uint8Array, start: number, end: number, micro: boolean, depth: number): GoTime {
  if (start === end) return new GoTime(true, 0n, 0n);
  const parsed = new GoStruct();
  decodeMessage(buf, start, end, timestamp, parsed, depth);
  const seconds = parsed.fields.get(1);
  const nanos = parsed.fields.get(2);
  return new GoTime(false, typeof seconds === 'bigint' ? seconds : 0n, micro && typeof nanos === 'bigint' ? nanos : 0n);
}

/**
 * resource.Quantity.Unmarshal: each `string` field replaces the quantity and must parse, with
 * ParseQuantity's error otherwise; a message without one leaves the quantity as it was.
 */
function decodeQuantity(buf: Uint8Array, start: number, end: number, previous: GoQuantity | undefined, depth: number): GoQuantity {
  const parsed = new GoStruct();
  decodeMessage(buf, start, end, quantityMessage, parsed, depth);
  const texts = parsed.fields.get(1);
  if (!Array.isArray(texts)) return previous ?? new GoQuantity(undefined);
  let last: string | undefined;
  for (const text of texts) {
    if (typeof text !== 'string') continue;
    const problem = quantityParseError(text);
    if (problem) throw new ProtoError(problem);
    last = text;
  }
  return new GoQuantity(last);
}
