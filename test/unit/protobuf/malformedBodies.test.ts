// Bodies that are not what they claim: each is a 400 worded as kube-apiserver words it
// (the protobuf serializer's own errors, gogo's generated Unmarshal errors, and the
// "unrecognized" / "cannot be handled" frames of transformDecodeError), and nothing else ever
// escapes the decoder, however the bytes are mangled.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../../emulator/src/api/errors';
import { mustResource, R } from '../../../emulator/src/api/resources';
import { checkBodyKind } from '../../../emulator/src/apiserver/decoding';
import { decodeProtobufObject } from '../../../emulator/src/apiserver/protobuf/protobufBody';
import { seededRand } from '../helpers/testCluster';
import { debugCopyHex, deployment, serviceNodePort } from './kubectlCaptures';
import { bytes, envelope, int, msg, str, tag, varint, type Bytes } from './protoEncoder';

const SERVICE = { group: '', version: 'v1', kind: 'Service' };

function rejection(body: Uint8Array | Bytes, target = SERVICE): ApiError {
  try {
    decodeProtobufObject(body instanceof Uint8Array ? body : Uint8Array.from(body), target);
  } catch (err) {
    assert.ok(err instanceof ApiError, `expected an ApiError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the body to be rejected');
}

function message400(body: Uint8Array | Bytes, target = SERVICE): string {
  const err = rejection(body, target);
  assert.equal(err.code, 400);
  assert.equal(err.reason, 'BadRequest');
  return err.message;
}

const PREFIX = [0x6b, 0x38, 0x73, 0x00];
const unrecognized = (cause: string, summary: string): string =>
  `the object provided is unrecognized (must be of type Service): ${cause} (${summary})`;
const cannotBeHandled = (cause: string): string => `Service in version "v1" cannot be handled as a Service: ${cause}`;

test('a body that is no protobuf envelope is unrecognized, quoted by its first 30 bytes', () => {
  assert.equal(message400([]), unrecognized('empty data', '<empty>'));
  assert.equal(
    message400([...Buffer.from('{"kind":"Service"}')]),
    unrecognized('provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]', '{"kind":"Service"}'),
  );
  assert.equal(
    message400([0x6b, 0x38, 0x73]),
    unrecognized('provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]', '6b3873'),
  );
  assert.equal(message400(PREFIX), unrecognized('empty body', '6b387300'));
});

test('a broken runtime.Unknown is unrecognized, with the generated code\'s reason', () => {
  const whole = envelope('v1', 'Service', [...msg(1, str(1, 'web'))]);
  assert.equal(message400(whole.subarray(0, 12)), unrecognized('unexpected EOF', Buffer.from(whole.subarray(0, 12)).toString('hex')));
  assert.equal(message400([...PREFIX, ...int(1, 5)]), unrecognized('proto: wrong wireType = 0 for field TypeMeta', '6b387300'.concat('0805')));
  assert.equal(message400([...PREFIX, 0x00]), unrecognized('proto: Unknown: illegal tag 0 (wire type 0)', '6b38730000'));
  // Go prints the whole tag where it says "wire type".
  const negativeField = [...PREFIX, ...varint((2n ** 31n << 3n) | 2n)];
  assert.match(message400(negativeField), /proto: Unknown: illegal tag -2147483648 \(wire type 17179869186\)/);
  assert.match(message400([...PREFIX, ...tag(7, 4)]), /proto: Unknown: wiretype end group for non-group/);
});

test('an object that does not decode cannot be handled as the URL\'s kind', () => {
  const service = (...raw: Bytes[]) => envelope('v1', 'Service', raw.flat());
  assert.equal(message400(service(int(1, 1))), cannotBeHandled('proto: wrong wireType = 0 for field ObjectMeta'));
  assert.equal(message400(service(msg(2, int(1, 5)))), cannotBeHandled('proto: wrong wireType = 0 for field Ports'));
  assert.equal(message400(service(msg(2, tag(3, 4)))), cannotBeHandled('proto: ServiceSpec: wiretype end group for non-group'));
  assert.equal(message400(service([...tag(1, 2), 0x05, 0x0a])), cannotBeHandled('unexpected EOF'));
  assert.equal(message400(service([...tag(1, 2), ...varint(-5)])), cannotBeHandled('proto: negative length found during unmarshaling'));
  assert.equal(message400(service([...tag(1, 2), ...varint(2n ** 40n)])), cannotBeHandled('unexpected EOF'));
  assert.equal(message400(service([...tag(9, 0), ...new Array<number>(10).fill(0xff), 0x01])), cannotBeHandled('proto: integer overflow'));
  assert.equal(message400(service(msg(1, msg(8, int(1, 2n ** 53n))))), cannotBeHandled(
    'a timestamp of 9007199254740992 seconds is out of the range this emulator can represent',
  ));
});

test('deeply nested unknown data is skipped or rejected without recursion', () => {
  const groups = new Array<number>(200_000).fill(tag(15, 3)[0]);
  assert.equal(message400(envelope('v1', 'Service', groups)), cannotBeHandled('unexpected EOF'));

  let nested: Bytes = str(1, 'leaf');
  for (let i = 0; i < 2_000; i++) nested = msg(50, nested);
  const decoded = decodeProtobufObject(envelope('v1', 'Service', [...nested, ...msg(1, str(1, 'web'))]), SERVICE);
  assert.deepEqual(decoded.metadata, { name: 'web', creationTimestamp: null });
});

test('the envelope\'s kind stands, filled in from the URL, and the kind check judges it', () => {
  const servicesRt = mustResource(R.services);
  const bare = decodeProtobufObject(Uint8Array.from([...PREFIX, ...bytes(2, msg(1, str(1, 'web')))]), SERVICE);
  assert.equal(bare.apiVersion, 'v1');
  assert.equal(bare.kind, 'Service');
  checkBodyKind(servicesRt, bare);

  const badVersion = decodeProtobufObject(envelope('a/b/c', 'Service', []), SERVICE);
  assert.equal(badVersion.apiVersion, 'v1');

  const kindOf = (apiVersion: string, kind: string): string => {
    const decoded = decodeProtobufObject(envelope(apiVersion, kind, msg(1, str(1, 'web'))), SERVICE);
    try {
      checkBodyKind(servicesRt, decoded);
    } catch (err) {
      return (err as Error).message;
    }
    return 'accepted';
  };
  assert.equal(kindOf('v1', 'Pod'), 'Pod in version "v1" cannot be handled as a Service: converting (v1.Pod) to (core.Service): unknown conversion');
  assert.equal(
    kindOf('v1', 'Widget'),
    'Widget in version "v1" cannot be handled as a Service: no kind "Widget" is registered for version "v1" in scheme "pkg/api/legacyscheme/scheme.go:30"',
  );
  assert.equal(kindOf('', 'Service'), 'accepted');
});

test('a kind without protobuf tables is refused as an unsupported media type', () => {
  const err = rejection(envelope('v1', 'Node', []), { group: '', version: 'v1', kind: 'Node' });
  assert.equal(err.code, 415);
  assert.equal(err.reason, 'UnsupportedMediaType');
  assert.match(err.message, /cannot read a Node sent as application\/vnd\.kubernetes\.protobuf; send it as application\/json/);
});

test('mangled kubectl bodies decode or are 400s, never anything else', () => {
  const rand = seededRand(7);
  const originals = [
    { body: Buffer.from(serviceNodePort.hex, 'hex'), target: SERVICE },
    { body: Buffer.from(deployment.hex, 'hex'), target: { group: 'apps', version: 'v1', kind: 'Deployment' } },
    { body: Buffer.from(debugCopyHex, 'hex'), target: { group: '', version: 'v1', kind: 'Pod' } },
  ];
  let rejected = 0;
  for (let round = 0; round < 3000; round++) {
    const { body, target } = originals[round % originals.length];
    const mangled = Uint8Array.from(body);
    const edits = 1 + Math.floor(rand() * 4);
    for (let e = 0; e < edits; e++) mangled[4 + Math.floor(rand() * (mangled.length - 4))] = Math.floor(rand() * 256);
    const cut = rand() < 0.3 ? mangled.subarray(0, 4 + Math.floor(rand() * (mangled.length - 4))) : mangled;
    try {
      decodeProtobufObject(cut, target);
    } catch (err) {
      assert.ok(err instanceof ApiError && err.code === 400, `round ${round}: ${String(err)}`);
      rejected++;
    }
  }
  assert.ok(rejected > 0, 'the mangling never produced an invalid body');
});
