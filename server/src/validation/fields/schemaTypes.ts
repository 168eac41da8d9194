// The structural schema: plain data that says, for each field of a Kubernetes object, which
// JSON value the apiserver's Go decoder accepts there. The language server walks it (field →
// kind of value → children) to place diagnostics; the strict decoder walks it to reproduce
// what sigs.k8s.io/json does when it unmarshals a request body into the k8s.io/api structs.
//
// `goType` is the Go type as reflect.Type.String() prints it (`v1.ServicePort`, `[]string`,
// `map[string]string`, `int32`), because the apiserver's type errors name it verbatim.

/** A Go struct: only the listed JSON names are known; any other key is an unknown field. */
export interface ObjectSchema {
  kind: 'object';
  goType: string;
  fields: Readonly<Record<string, FieldSchema>>;
}

/** A Go map with string keys (labels, selector, data, ResourceList): every key is allowed. */
export interface MapSchema {
  kind: 'map';
  goType: string;
  values: FieldSchema;
}

/** A Go slice. Its Go type is `[]` followed by the element's Go type. */
export interface ArraySchema {
  kind: 'array';
  items: FieldSchema;
}

/** A Go string, or a named string type such as `v1.Protocol`. */
export interface StringSchema {
  kind: 'string';
  goType?: string;
}

/** A Go int32 or int64 (pointer or not: the decoder reports the pointed-to type). */
export interface IntegerSchema {
  kind: 'integer';
  bits: 32 | 64;
}

/** A Go float64. */
export interface NumberSchema {
  kind: 'number';
}

export interface BooleanSchema {
  kind: 'boolean';
}

/** intstr.IntOrString: a JSON string, or a JSON integer that fits in int32. */
export interface IntOrStringSchema {
  kind: 'intOrString';
}

/** resource.Quantity: a JSON string or number that resource.ParseQuantity accepts. */
export interface QuantitySchema {
  kind: 'quantity';
}

/** metav1.Time or metav1.MicroTime: a JSON string (RFC 3339). */
export interface TimeSchema {
  kind: 'time';
  micro?: boolean;
}

/** []byte: a base64 JSON string (Secret.data, ConfigMap.binaryData). */
export interface BytesSchema {
  kind: 'bytes';
}

/**
 * Anything the schema does not spell out. With `raw`, Go keeps the JSON bytes as they are
 * (FieldsV1, RawExtension), so the decoder checks nothing inside, not even duplicate keys.
 * Without `raw` it is a Go struct this schema leaves unmodelled (Node status, rare volume
 * sources): it must be a JSON object, and nothing inside is reported as unknown.
 */
export interface OpenSchema {
  kind: 'open';
  raw?: boolean;
  goType?: string;
}

export type FieldSchema =
  | ObjectSchema
  | MapSchema
  | ArraySchema
  | StringSchema
  | IntegerSchema
  | NumberSchema
  | BooleanSchema
  | IntOrStringSchema
  | QuantitySchema
  | TimeSchema
  | BytesSchema
  | OpenSchema;

export type ValueKind = FieldSchema['kind'];

// Short constructors keep the per-group schema files readable as tables of fields.

export const str: StringSchema = { kind: 'string' };
export const named = (goType: string): StringSchema => ({ kind: 'string', goType });
export const int32: IntegerSchema = { kind: 'integer', bits: 32 };
export const int64: IntegerSchema = { kind: 'integer', bits: 64 };
export const float64: NumberSchema = { kind: 'number' };
export const bool: BooleanSchema = { kind: 'boolean' };
export const intOrString: IntOrStringSchema = { kind: 'intOrString' };
export const quantity: QuantitySchema = { kind: 'quantity' };
export const time: TimeSchema = { kind: 'time' };
export const microTime: TimeSchema = { kind: 'time', micro: true };
export const bytes: BytesSchema = { kind: 'bytes' };
export const raw: OpenSchema = { kind: 'open', raw: true };
export const unmodelled = (goType: string): OpenSchema => ({ kind: 'open', goType });
export const arrayOf = (items: FieldSchema): ArraySchema => ({ kind: 'array', items });
export const mapOf = (values: FieldSchema, goType: string): MapSchema => ({ kind: 'map', goType, values });
export const stringMap: MapSchema = mapOf(str, 'map[string]string');
export const struct = (goType: string, fields: Record<string, FieldSchema>): ObjectSchema => ({
  kind: 'object',
  goType,
  fields,
});

/** The Go type the decoder names in a type error for a value of this schema. */
export function goTypeOf(schema: FieldSchema): string {
  switch (schema.kind) {
    case 'object':
    case 'map':
      return schema.goType;
    case 'array':
      return '[]' + goTypeOf(schema.items);
    case 'string':
      return schema.goType ?? 'string';
    case 'integer':
      return schema.bits === 32 ? 'int32' : 'int64';
    case 'number':
      return 'float64';
    case 'boolean':
      return 'bool';
    case 'intOrString':
      return 'intstr.IntOrString';
    case 'quantity':
      return 'resource.Quantity';
    case 'time':
      return schema.micro ? 'v1.MicroTime' : 'v1.Time';
    case 'bytes':
      return '[]uint8';
    case 'open':
      return schema.goType ?? 'interface {}';
  }
}
