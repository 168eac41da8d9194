// The PATCH entry point: choosing the patch type from Content-Type and decoding the body.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyPatch,
  decodePatchBody,
  patchTypeOf,
  PatchError,
  type JsonObject,
} from '../../../emulator/src/apiserver/patch';

const DEPLOYMENT = { group: 'apps', version: 'v1', kind: 'Deployment' };

function deployment(): JsonObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      replicas: 3,
      template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] } },
    },
  };
}

function rejection(fn: () => unknown): PatchError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof PatchError, `expected a PatchError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a PatchError');
}

const containers = (obj: object): unknown => ((obj as { spec: { template: { spec: { containers: unknown } } } }).spec.template.spec.containers);

test('the same body keeps container ports as a strategic patch and loses them as a merge patch', () => {
  const body = { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.28' }] } } } };
  assert.deepEqual(containers(applyPatch('application/strategic-merge-patch+json', deployment(), body, DEPLOYMENT)), [
    { name: 'nginx', image: 'nginx:1.28', ports: [{ containerPort: 80 }] },
  ]);
  assert.deepEqual(containers(applyPatch('application/merge-patch+json', deployment(), body, DEPLOYMENT)), [
    { name: 'nginx', image: 'nginx:1.28' },
  ]);
});

test('a JSON patch content type applies RFC 6902 operations, charset parameter allowed', () => {
  const result = applyPatch(
    'application/json-patch+json; charset=utf-8',
    deployment(),
    [{ op: 'replace', path: '/spec/replicas', value: 1 }],
    DEPLOYMENT,
  ) as JsonObject;
  assert.equal((result.spec as JsonObject).replicas, 1);
});

test('any other content type is a 415 listing the patch types the apiserver accepts', () => {
  for (const contentType of ['application/json', 'Application/merge-patch+json', 'application/merge-patch+json ', '', 'text/plain']) {
    const err = rejection(() => applyPatch(contentType, deployment(), {}, DEPLOYMENT));
    assert.equal(err.status, 415, contentType);
    assert.equal(err.reason, 'UnsupportedMediaType');
    assert.equal(
      err.message,
      'the body of the request was in an unknown format - accepted media types include: ' +
        'application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml',
    );
  }
});

test('server-side apply is a known patch type that applyPatch leaves to the field manager', () => {
  assert.equal(patchTypeOf('application/apply-patch+yaml'), 'application/apply-patch+yaml');
  assert.throws(
    () => applyPatch('application/apply-patch+yaml', deployment(), {}, DEPLOYMENT),
    (err: unknown) => err instanceof Error && !(err instanceof PatchError),
  );
});

test('a body that is not JSON is a 400', () => {
  const merge = rejection(() => decodePatchBody('application/merge-patch+json', '{"spec":'));
  assert.equal(merge.status, 400);
  assert.equal(merge.message, 'Invalid JSON Patch');

  const strategic = rejection(() => decodePatchBody('application/strategic-merge-patch+json', '{"spec":}'));
  assert.equal(strategic.status, 400);
  assert.equal(strategic.reason, 'BadRequest');
  assert.equal(strategic.message, "invalid character '}' looking for beginning of value");

  assert.equal(rejection(() => decodePatchBody('application/json-patch+json', '')).message, 'unexpected end of JSON input');
  assert.deepEqual(decodePatchBody('application/merge-patch+json', new TextEncoder().encode('{"spec":{"replicas":5}}')), {
    spec: { replicas: 5 },
  });
});
