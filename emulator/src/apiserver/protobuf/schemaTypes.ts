// The shape of the schema tables: for each protobuf message of k8s.io/api, its fields by
// number (from generated.proto), and what Go's encoding/json needs to print the struct the
// message decodes into (from the JSON tags in types.go): the JSON name, whether the Go field
// is a value, a pointer, a slice, a map or an embedded struct, and whether the tag says
// omitempty.

/** Scalars: proto `string`, `int32`, `int64`, `bool` and `bytes`. */
export type ScalarType = 'string' | 'int32' | 'int64' | 'bool' | 'bytes';

/**
 * apimachinery types with their own Unmarshal and MarshalJSON: metav1.Time (seconds only,
 * printed as RFC 3339), metav1.MicroTime (printed with microseconds), resource.Quantity (a
 * string that must parse) and intstr.IntOrString (printed as a number or a string).
 */
export type SpecialType = 'time' | 'microTime' | 'quantity' | 'intOrString';

export type FieldType = ScalarType | SpecialType | MessageSchema;

/**
 * How the Go struct holds the field, which decides what encoding/json prints: a value is
 * printed unless omitempty drops its zero (structs are never dropped), a nil pointer, slice
 * or map is dropped with omitempty and printed as null without it, and an embedded struct
 * (`json:",inline"`) has its fields printed beside the parent's.
 */
export type Shape = 'value' | 'pointer' | 'slice' | 'map' | 'inline';

export interface FieldSpec {
  /** The protobuf field number. */
  no: number;
  /** The JSON name; empty for an embedded struct. */
  json: string;
  /** The Go field name, which the generated code names in "wrong wireType" errors. */
  go: string;
  /** The field's type; for a map, the type of its values (keys are always strings here). */
  type: FieldType;
  shape: Shape;
  omitempty: boolean;
}

export interface MessageSchema {
  /** The Go type's name, as the generated code puts it in its errors ("proto: ServiceSpec: …"). */
  name: string;
  /** In Go struct order, which is the order encoding/json prints them in. */
  fields: readonly FieldSpec[];
  byNumber: ReadonlyMap<number, FieldSpec>;
}

export function isMessage(type: FieldType): type is MessageSchema {
  return typeof type === 'object';
}

export function message(name: string, fields: FieldSpec[]): MessageSchema {
  return { name, fields, byNumber: new Map(fields.map((f) => [f.no, f])) };
}

interface FieldOptions {
  /** The Go field name when it is not the JSON name capitalised (`UID`, `DNSPolicy`). */
  go?: string;
  /** The JSON tag has no omitempty, so a zero value or nil is printed. */
  keep?: boolean;
}

function spec(no: number, json: string, type: FieldType, shape: Shape, options: FieldOptions = {}): FieldSpec {
  const go = options.go ?? json.charAt(0).toUpperCase() + json.slice(1);
  return { no, json, go, type, shape, omitempty: !options.keep };
}

/** A field the Go struct holds by value. */
export const field = (no: number, json: string, type: FieldType, options?: FieldOptions): FieldSpec =>
  spec(no, json, type, 'value', options);

/** A field the Go struct holds behind a pointer (proto2 `optional` with presence). */
export const pointer = (no: number, json: string, type: FieldType, options?: FieldOptions): FieldSpec =>
  spec(no, json, type, 'pointer', options);

/** A `repeated` field: a Go slice. */
export const repeated = (no: number, json: string, type: FieldType, options?: FieldOptions): FieldSpec =>
  spec(no, json, type, 'slice', options);

/** A `map<string, T>` field: a Go map with string keys; k8s.io/api maps hold strings or quantities. */
export const mapOf = (no: number, json: string, values: 'string' | 'quantity', options?: FieldOptions): FieldSpec =>
  spec(no, json, values, 'map', options);

/** An embedded struct (`json:",inline"`), named in errors by its Go type name. */
export const inline = (no: number, goName: string, type: MessageSchema): FieldSpec => ({
  no,
  json: '',
  go: goName,
  type,
  shape: 'inline',
  omitempty: false,
});
