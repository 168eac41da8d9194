// Finding objects in manifest text: the Service under the cursor, and where a cluster object
// is declared, namespace rules included.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { declarationsOf, objectAtLine, objectsIn } from '../../../client/src/manifests/manifestLocator';

const text = [
  'apiVersion: apps/v1', // 0
  'kind: Deployment', // 1
  'metadata:', // 2
  '  name: web', // 3
  '---', // 4
  'apiVersion: v1', // 5
  'kind: Service', // 6
  'metadata:', // 7
  '  namespace: shop', // 8
  '  name:   web', // 9
  'spec:', // 10
  '  ports: [{port: 80}]', // 11
  '---', // 12
  'kind: Service', // 13
  'metadata: {name: "web"}', // 14
  '---', // 15
  'kind: [broken', // 16
  '',
].join('\n');

describe('objectsIn', () => {
  it('finds each object with the position of its name', () => {
    assert.deepEqual(objectsIn(text), [
      { kind: 'Deployment', name: 'web', document: 0, line: 3, character: 8 },
      { kind: 'Service', name: 'web', namespace: 'shop', document: 1, line: 9, character: 10 },
      { kind: 'Service', name: 'web', document: 2, line: 14, character: 17 },
    ]);
  });

  it('skips what does not parse or is not an object', () => {
    assert.deepEqual(objectsIn('- a\n- b\n---\n: : :\n---\nkind: Service\n'), []);
  });
});

describe('objectAtLine', () => {
  it('is the object of the document holding the line', () => {
    assert.equal(objectAtLine(text, 11)?.namespace, 'shop');
    assert.equal(objectAtLine(text, 0)?.kind, 'Deployment');
    assert.equal(objectAtLine(text, 16), undefined);
  });
});

describe('declarationsOf', () => {
  it('matches the namespace exactly, or a namespace-less manifest for default', () => {
    assert.deepEqual(
      declarationsOf(text, { kind: 'Service', name: 'web', namespace: 'shop' }).map((o) => o.line),
      [9],
    );
    assert.deepEqual(
      declarationsOf(text, { kind: 'Service', name: 'web', namespace: 'default' }).map((o) => o.line),
      [14],
    );
  });

  it('falls back to namespace-less manifests for another namespace (applied with -n)', () => {
    assert.deepEqual(
      declarationsOf(text, { kind: 'Deployment', name: 'web', namespace: 'staging' }).map((o) => o.line),
      [3],
    );
    assert.deepEqual(declarationsOf(text, { kind: 'Deployment', name: 'api', namespace: 'default' }), []);
  });
});
