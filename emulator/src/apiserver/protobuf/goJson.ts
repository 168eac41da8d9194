// Printing decoded Go values the way encoding/json prints the k8s.io/api structs, so a
// protobuf body becomes the same JSON object the JSON path gets: omitempty drops a zero
// string, number or bool and a nil pointer, slice or map; without omitempty those print as
// "", 0, false or null; structs always print, even when omitempty is set and they are empty
// (which is why kubectl's bodies carry `"resources": {}` and `"creationTimestamp": null`);
// map keys come out sorted; and the apimachinery types print with their own MarshalJSON.

import { GoQuantity, GoStruct, GoTime, type GoField, type GoValue } from './messageDecoder';
import { isMessage, type FieldType, type MessageSchema } from './schemaTypes';
import { ProtoError } from './wire';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** The JSON object for a struct of `schema`; `struct` undefined means the zero struct. */
export function structToJson(schema: MessageSchema, struct: GoStruct | undefined): JsonObject {
  const out: JsonObject = {};
  for (const field of schema.fields) {
    const slot: GoField | undefined = struct?.fields.get(field.no);
    switch (field.shape) {
      case 'inline':
        if (isMessage(field.type)) Object.assign(out, structToJson(field.type, slot instanceof GoStruct ? slot : undefined));
        break;
      case 'value': {
        const value = valueToJson(field.type, slot instanceof Map || Array.isArray(slot) ? undefined : slot);
        if (field.omitempty && isScalar(field.type) && (value === '' || value === 0 || value === false)) break;
        out[field.json] = value;
        break;
      }
      case 'pointer':
        if (slot === undefined || slot instanceof Map || Array.isArray(slot)) {
          if (!field.omitempty) out[field.json] = null;
        } else {
          out[field.json] = valueToJson(field.type, slot);
        }
        break;
      case 'slice':
        if (Array.isArray(slot) && slot.length > 0) out[field.json] = slot.map((v) => valueToJson(field.type, v));
        else if (!field.omitempty) out[field.json] = null;
        break;
      case 'map':
        if (slot instanceof Map && slot.size > 0) {
          const keys = [...slot.keys()].sort(compareBytes);
          out[field.json] = Object.fromEntries(keys.map((k) => [k, valueToJson(field.type, slot.get(k))]));
        } else if (!field.omitempty) {
          out[field.json] = null;
        }
        break;
    }
  }
  return out;
}

/** Scalars are the only values omitempty can drop; the apimachinery types are structs. */
function isScalar(type: FieldType): boolean {
  return type === 'string' || type === 'int32' || type === 'int64' || type === 'bool' || type === 'bytes';
}

/** encoding/json sorts map keys by their bytes; for UTF-16 strings code-unit order is close enough. */
function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One value of `type`; `value` undefined means the Go zero value. */
function valueToJson(type: FieldType, value: GoValue | undefined): JsonValue {
  if (isMessage(type)) return structToJson(type, value instanceof GoStruct ? value : undefined);
  switch (type) {
    case 'string':
      return typeof value === 'string' ? value : '';
    case 'int32':
    case 'int64':
      return typeof value === 'bigint' ? Number(value) : 0;
    case 'bool':
      return value === true;
    case 'bytes':
      return value instanceof Uint8Array ? Buffer.from(value).toString('base64') : '';
    case 'time':
    case 'microTime':
      return value instanceof GoTime && !value.zero ? formatTime(value, type === 'microTime') : null;
    case 'quantity':
      return value instanceof GoQuantity && value.text !== undefined ? value.text : '0';
    case 'intOrString':
      return intOrStringToJson(value instanceof GoStruct ? value : undefined);
  }
}

/** IntOrString.MarshalJSON: the int for type 0, the string for type 1, and an error otherwise. */
function intOrStringToJson(value: GoStruct | undefined): JsonValue {
  const type = value?.fields.get(1) ?? 0n;
  const intVal = value?.fields.get(2);
  const strVal = value?.fields.get(3);
  if (type === 0n) return typeof intVal === 'bigint' ? Number(intVal) : 0;
  if (type === 1n) return typeof strVal === 'string' ? strVal : '';
  throw new ProtoError('impossible IntOrString.Type');
}

const NANOS_PER_SECOND = 1_000_000_000n;
// JavaScript dates reach ±8.64e15 ms from the epoch.
const MAX_DATE_SECONDS = 8_640_000_000_000n;

/**
 * RFC 3339 in UTC as metav1.Time prints it (`2026-01-02T03:04:05Z`), or with six fraction
 * digits for MicroTime. time.Unix folds nanoseconds outside [0, 1e9) into the seconds first.
 */
function formatTime(time: GoTime, micro: boolean): string {
  const total = time.seconds * NANOS_PER_SECOND + time.nanos;
  let seconds = total / NANOS_PER_SECOND;
  let fraction = total % NANOS_PER_SECOND;
  if (fraction < 0n) {
    fraction += NANOS_PER_SECOND;
    seconds -= 1n;
  }
  if (seconds > MAX_DATE_SECONDS || seconds < -MAX_DATE_SECONDS) {
    throw new ProtoError(`a timestamp of ${time.seconds} seconds is out of the range this emulator can represent`);
  }
  const date = new Date(Number(seconds) * 1000);
  const year = date.getUTCFullYear();
  const yearText = (year < 0 ? '-' : '') + String(Math.abs(year)).padStart(4, '0');
  const two = (n: number): string => String(n).padStart(2, '0');
  const clock = `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`;
  const micros = micro ? '.' + String(fraction / 1000n).padStart(6, '0') : '';
  return `${yearText}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())}T${clock}${micros}Z`;
}
