// The public face of the field schema and the strict decoder, shared by the emulator's
// apiserver and the language server.

export type {
  ArraySchema,
  FieldSchema,
  MapSchema,
  ObjectSchema,
  OpenSchema,
  ValueKind,
} from './schemaTypes';
export { goTypeOf } from './schemaTypes';
export { fieldAt, knownKinds, schemaFor } from './schema';
export type { JsonEntry, JsonNode, JsonParseResult } from './jsonTree';
export { jsonNodeFromValue, parseJsonNode } from './jsonTree';
export type { DecodeReport, FieldTypeError, JsonValueType, StrictErrorType, StrictFieldError } from './goDecode';
export { decodeAgainstSchema, decodingError, renderStrictPath } from './goDecode';
export { base64DecodeError, goQuote, quantityErrors, quantityParseError } from './goScalars';
export type { ApiStatus, BodyDecision, FieldValidationDirective } from './strictDecoding';
export {
  badRequestStatus,
  cannotBeHandledMessage,
  checkRequestBody,
  findDuplicateFields,
  findStrictErrors,
  findTypeErrors,
  findUnknownFields,
  goMapString,
  invalidPatchStatus,
  pruneUnknownFields,
  strictDecodingMessage,
  strictDecodingWarnings,
  strictErrorString,
  typeErrorMessage,
  warningHeaderValue,
} from './strictDecoding';
