// Reading a binary body: the bytes come back untouched (a UTF-8 reader would replace the
// invalid sequences protobuf is full of), and the apiserver's 3 MiB limit holds whether the
// size is announced or only streamed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { ApiError } from '../../../emulator/src/api/errors';
import { MAX_BODY_BYTES } from '../../../emulator/src/apiserver/http';
import { readBodyBytes } from '../../../emulator/src/apiserver/http';

function fakeRequest(chunks: Buffer[], declaredLength?: number): IncomingMessage {
  const stream = new PassThrough();
  const req = Object.assign(stream, {
    headers: declaredLength === undefined ? {} : { 'content-length': String(declaredLength) },
  }) as unknown as IncomingMessage;
  for (const chunk of chunks) stream.write(chunk);
  stream.end();
  return req;
}

test('binary bodies are read byte for byte', async () => {
  const body = Buffer.from([0x6b, 0x38, 0x73, 0x00, 0xff, 0xfe, 0x80, 0xc3, 0x28]);
  const read = await readBodyBytes(fakeRequest([body.subarray(0, 5), body.subarray(5)]));
  assert.deepEqual([...read], [...body]);
});

test('a body over the limit is a 413, announced or streamed', async () => {
  const tooLarge = (err: unknown): boolean => err instanceof ApiError && err.code === 413;
  await assert.rejects(readBodyBytes(fakeRequest([], MAX_BODY_BYTES + 1)), tooLarge);
  await assert.rejects(readBodyBytes(fakeRequest([Buffer.alloc(6), Buffer.alloc(6)]), 10), tooLarge);
  assert.equal((await readBodyBytes(fakeRequest([Buffer.alloc(10)]), 10)).length, 10);
});
