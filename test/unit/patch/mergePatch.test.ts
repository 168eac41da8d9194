// JSON merge patch: kubectl scale's body on /scale, kubectl patch --type=merge, and RFC 7386.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyMergePatch, mergePatch, PatchError, type JsonObject, type JsonValue } from '../../../emulator/src/apiserver/patch';

function rejection(patch: unknown): PatchError {
  try {
    applyMergePatch({ kind: 'Scale', spec: { replicas: 3 } }, patch);
  } catch (err) {
    assert.ok(err instanceof PatchError, `expected a PatchError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the patch to fail');
}

test("kubectl scale's merge patch sets the replicas of the Scale", () => {
  const scale: JsonObject = {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: 'web', namespace: 'default', resourceVersion: '1020' },
    spec: { replicas: 3 },
    status: { replicas: 3, selector: 'app=web' },
  };
  const result = applyMergePatch(scale, { spec: { replicas: 5 } });
  assert.deepEqual(result, { ...scale, spec: { replicas: 5 } });
  assert.deepEqual(scale.spec, { replicas: 3 });
});

test('null deletes, objects merge and arrays are replaced, so a container list loses its ports', () => {
  const original: JsonObject = {
    metadata: { labels: { app: 'web', tier: 'frontend' } },
    spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] },
  };
  const result = applyMergePatch(original, {
    metadata: { labels: { tier: null } },
    spec: { containers: [{ name: 'nginx', image: 'nginx:1.28' }] },
  });
  assert.deepEqual(result, {
    metadata: { labels: { app: 'web' } },
    spec: { containers: [{ name: 'nginx', image: 'nginx:1.28' }] },
  });
});

test('a new subtree is stored without its nulls', () => {
  const result = applyMergePatch({ spec: {} }, { spec: { nodeSelector: { disk: 'ssd', zone: null }, args: ['a', null] } });
  assert.deepEqual(result, { spec: { nodeSelector: { disk: 'ssd' }, args: ['a'] } });
});

test('RFC 7386 appendix A examples', () => {
  const cases: [JsonValue, JsonValue, JsonValue][] = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [['a', 'b'], ['c', 'd'], ['c', 'd']],
    [{ a: 'b' }, ['c'], ['c']],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  for (const [target, patch, expected] of cases) {
    assert.deepEqual(mergePatch(target, patch), expected, `${JSON.stringify(target)} + ${JSON.stringify(patch)}`);
  }
});

test('a null or scalar merge patch is a 400 "Invalid JSON Patch"', () => {
  for (const patch of [null, 'spec', 5, true]) {
    const err = rejection(patch);
    assert.equal(err.status, 400);
    assert.equal(err.reason, 'BadRequest');
    assert.equal(err.message, 'Invalid JSON Patch');
  }
});

test('an array merge patch replaces the object, which the apiserver cannot decode: 422 Invalid', () => {
  const err = rejection([{ spec: { replicas: 5 } }]);
  assert.equal(err.status, 422);
  assert.equal(err.reason, 'Invalid');
  assert.ok(err.message.startsWith(' "" is invalid: patch: Invalid value: "[{\\"spec\\":{\\"replicas\\":5}}]": couldn\'t get version/kind'));
  assert.equal(err.details?.causes?.[0]?.field, 'patch');
});
