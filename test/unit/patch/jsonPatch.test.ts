// kubectl patch --type=json: RFC 6902 operations as the apiserver's json-patch v4 applies them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyJsonPatch, MAX_JSON_PATCH_OPERATIONS, PatchError, type JsonObject } from '../../../emulator/src/apiserver/patch';

function deployment(): JsonObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' }, annotations: { 'example.com/owner': 'team-a', 'a~b': 'tilde' } },
    spec: {
      replicas: 3,
      template: {
        spec: {
          containers: [
            { name: 'nginx', image: 'nginx:1.27', args: ['--port', '80'] },
            { name: 'sidecar', image: 'envoy:1.30' },
          ],
        },
      },
    },
  };
}

function rejection(ops: unknown, doc: JsonObject = deployment()): PatchError {
  try {
    applyJsonPatch(doc, ops);
  } catch (err) {
    assert.ok(err instanceof PatchError, `expected a PatchError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the patch to fail');
}

test('add, replace, remove, move, copy and test apply in order', () => {
  const result = applyJsonPatch(deployment(), [
    { op: 'test', path: '/spec/replicas', value: 3 },
    { op: 'replace', path: '/spec/replicas', value: 5 },
    { op: 'add', path: '/metadata/labels/tier', value: 'frontend' },
    { op: 'remove', path: '/metadata/annotations/example.com~1owner' },
    { op: 'add', path: '/spec/template/spec/containers/0/args/-', value: '--verbose' },
    { op: 'add', path: '/spec/template/spec/containers/0/args/0', value: 'serve' },
    { op: 'copy', from: '/metadata/labels', path: '/spec/template/metadata' },
    { op: 'move', from: '/metadata/annotations/a~0b', path: '/metadata/annotations/moved' },
    { op: 'remove', path: '/spec/template/spec/containers/1' },
  ]);
  assert.deepEqual(result, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web', tier: 'frontend' }, annotations: { moved: 'tilde' } },
    spec: {
      replicas: 5,
      template: {
        spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', args: ['serve', '--port', '80', '--verbose'] }] },
        metadata: { app: 'web', tier: 'frontend' },
      },
    },
  });
});

test('the document is not modified, even when a later operation fails', () => {
  const doc = deployment();
  rejection([{ op: 'replace', path: '/spec/replicas', value: 9 }, { op: 'test', path: '/spec/replicas', value: 3 }], doc);
  assert.deepEqual(doc, deployment());
  const copied = applyJsonPatch(doc, [{ op: 'copy', from: '/metadata/labels', path: '/spec/selector' }]);
  (copied.spec as JsonObject).selector = 'changed';
  assert.deepEqual(doc, deployment());
});

test('a negative index counts from the end, as json-patch v4 allows', () => {
  const result = applyJsonPatch(deployment(), [{ op: 'remove', path: '/spec/template/spec/containers/-1' }]);
  assert.deepEqual(
    ((result.spec as JsonObject).template as JsonObject).spec,
    { containers: [{ name: 'nginx', image: 'nginx:1.27', args: ['--port', '80'] }] },
  );
});

test('replace of a missing object member adds it, as json-patch v4 does on a real cluster', () => {
  const result = applyJsonPatch(deployment(), [{ op: 'replace', path: '/spec/paused', value: true }]);
  assert.equal((result.spec as JsonObject).paused, true);
});

test('an operation that does not apply is a 422 with the apiserver generic message', () => {
  const cases: unknown[] = [
    [{ op: 'test', path: '/spec/replicas', value: 4 }],
    [{ op: 'remove', path: '/metadata/labels/missing' }],
    [{ op: 'replace', path: '/spec/template/spec/containers/5', value: {} }],
    [{ op: 'add', path: '/spec/missing/deeper', value: 1 }],
    [{ op: 'add', path: '/spec/template/spec/containers/7', value: {} }],
    [{ op: 'add', path: '', value: {} }],
    [{ op: 'increment', path: '/spec/replicas' }],
  ];
  for (const ops of cases) {
    const err = rejection(ops);
    assert.equal(err.status, 422, JSON.stringify(ops));
    assert.equal(err.reason, 'Invalid');
    assert.equal(err.message, 'the server rejected our request due to an error in our request');
    assert.ok(err.internalMessage !== undefined && err.internalMessage.length > 0);
  }
  assert.match(rejection(cases[0]).internalMessage ?? '', /testing value \/spec\/replicas failed/);
  assert.deepEqual(rejection(cases[0]).toStatus(), {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'the server rejected our request due to an error in our request',
    reason: 'Invalid',
    details: {},
    code: 422,
  });
});

test('a body that is not an array of operations is a 400 with the Go decoding message', () => {
  const object = rejection({ op: 'add', path: '/x', value: 1 });
  assert.equal(object.status, 400);
  assert.equal(object.reason, 'BadRequest');
  assert.equal(object.message, 'json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  assert.equal(rejection(['add']).message, 'json: cannot unmarshal string into Go value of type jsonpatch.Operation');
});

test('more operations than the apiserver allows is a 413', () => {
  const ops = Array.from({ length: MAX_JSON_PATCH_OPERATIONS + 1 }, () => ({ op: 'test', path: '/kind', value: 'Deployment' }));
  const err = rejection(ops);
  assert.equal(err.status, 413);
  assert.equal(err.reason, 'RequestEntityTooLarge');
  assert.equal(err.message, 'Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001');
});

test('test compares whole values, and null matches a missing member', () => {
  assert.doesNotThrow(() =>
    applyJsonPatch(deployment(), [
      { op: 'test', path: '/metadata/labels', value: { app: 'web' } },
      { op: 'test', path: '/spec/paused', value: null },
    ]),
  );
  assert.equal(rejection([{ op: 'test', path: '/metadata/labels', value: { app: 'web', extra: 'x' } }]).status, 422);
});
