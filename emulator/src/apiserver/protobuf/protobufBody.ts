// Reading a create or update body sent as application/vnd.kubernetes.protobuf, which
// client-go's typed clients (and so `kubectl create deployment|service|namespace` and
// `kubectl debug --copy-to`) send. The body is the four bytes `k8s\0` and a runtime.Unknown
// holding the apiVersion and kind and, in `raw`, the object's own message. The result is the
// plain object the JSON path would have decoded from the same object, so defaulting and
// validation cannot tell the two apart.
//
// Failures are the apiserver's 400s (protobuf.Serializer.Decode, then transformDecodeError
// in endpoints/handlers/rest.go): a body that is no envelope is "the object provided is
// unrecognized (must be of type Service): <cause> (<first 30 bytes in hex>)", and an object
// that does not decode is "Service in version "v1" cannot be handled as a Service: <cause>",
// with the generated code's own cause text.

import { ApiError, badRequest } from '../../api/errors';
import { structToJson, type JsonObject } from './goJson';
import { messageFor, type GroupVersionKind } from './kinds';
import { decodeMessage, GoStruct } from './messageDecoder';
import { unknown } from './metaMessages';
import { ProtoError } from './wire';

export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';

const PREFIX = Uint8Array.of(0x6b, 0x38, 0x73, 0x00);
const SUMMARY_BYTES = 30;

/** summarizeData: the body as the apiserver quotes it, as text if it starts with `{`, else in hex. */
function summarize(body: Uint8Array): string {
  if (body.length === 0) return '<empty>';
  const head = Buffer.from(body.subarray(0, SUMMARY_BYTES));
  const more = body.length > SUMMARY_BYTES ? ' ...' : '';
  return (body[0] === 0x7b ? head.toString('utf8') : head.toString('hex')) + more;
}

function unrecognized(target: GroupVersionKind, cause: string, body: Uint8Array): ApiError {
  return badRequest(`the object provided is unrecognized (must be of type ${target.kind}): ${cause} (${summarize(body)})`);
}

function cannotBeHandled(actual: GroupVersionKind, target: GroupVersionKind, cause: string): ApiError {
  return badRequest(`${actual.kind} in version "${actual.version}" cannot be handled as a ${target.kind}: ${cause}`);
}

/** schema.ParseGroupVersion; an apiVersion it rejects counts as absent, as in TypeMeta.GroupVersionKind. */
function parseGroupVersion(apiVersion: string): { group: string; version: string } {
  const parts = apiVersion.split('/');
  if (parts.length === 1) return { group: '', version: apiVersion };
  if (parts.length === 2) return { group: parts[0], version: parts[1] };
  return { group: '', version: '' };
}

function apiVersionOf(gvk: GroupVersionKind): string {
  return gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
}

/** The envelope's object kind, with the URL's filling what it leaves out (copyKindDefaults). */
function envelopeKind(envelope: GoStruct, target: GroupVersionKind): GroupVersionKind {
  const typeMeta = envelope.fields.get(1);
  const apiVersion = typeMeta instanceof GoStruct ? typeMeta.fields.get(1) : undefined;
  const kind = typeMeta instanceof GoStruct ? typeMeta.fields.get(2) : undefined;
  const actual = { ...parseGroupVersion(typeof apiVersion === 'string' ? apiVersion : ''), kind: typeof kind === 'string' ? kind : '' };
  if (!actual.kind) actual.kind = target.kind;
  if (!actual.version) {
    actual.group = target.group;
    actual.version = target.version;
  }
  return actual;
}

/**
 * Decodes a protobuf body meant for an object of `target` (the kind the URL names). Returns
 * the object as JSON with apiVersion and kind taken from the envelope, so the caller's kind
 * check decides about a body of another kind as it does for JSON. Throws only ApiErrors: 400
 * for a malformed body, 415 for a kind the emulator has no protobuf tables for.
 */
export function decodeProtobufObject(body: Uint8Array, target: GroupVersionKind): JsonObject {
  if (body.length === 0) throw unrecognized(target, 'empty data', body);
  if (body.length < PREFIX.length || PREFIX.some((b, i) => body[i] !== b)) {
    throw unrecognized(target, `provided data does not appear to be a protobuf message, expected prefix [${PREFIX.join(' ')}]`, body);
  }
  if (body.length === PREFIX.length) throw unrecognized(target, 'empty body', body);

  const envelope = new GoStruct();
  try {
    decodeMessage(body, PREFIX.length, body.length, unknown, envelope, 0);
  } catch (err) {
    if (err instanceof ProtoError) throw unrecognized(target, err.message, body);
    throw err;
  }

  const actual = envelopeKind(envelope, target);
  const head = { apiVersion: apiVersionOf(actual), kind: actual.kind };
  const schema = messageFor(actual);
  if (!schema) {
    if (actual.group === target.group && actual.version === target.version && actual.kind === target.kind) {
      throw new ApiError(
        415,
        'UnsupportedMediaType',
        `the Kube Service Lab emulator cannot read a ${actual.kind} sent as ${PROTOBUF_MEDIA_TYPE}; send it as application/json`,
      );
    }
    // Another kind than the URL's: the caller's kind check rejects it with the apiserver's words.
    return head;
  }

  const raw = envelope.fields.get(2);
  const object = new GoStruct();
  try {
    if (raw instanceof Uint8Array) decodeMessage(raw, 0, raw.length, schema, object, 0);
    return { ...head, ...structToJson(schema, object) };
  } catch (err) {
    if (err instanceof ProtoError) throw cannotBeHandled(actual, target, err.message);
    throw err;
  }
}
