import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseFieldPath, splitStrictPath } from '../../../../server/src/manifest/fieldPath';

describe('parseFieldPath', () => {
  it('reads field.Path strings: fields, indices and bracketed map keys', () => {
    assert.deepEqual(parseFieldPath('spec.ports[0].port'), ['spec', 'ports', 0, 'port']);
    assert.deepEqual(parseFieldPath('metadata.annotations[service.kubernetes.io/topology-mode]'), [
      'metadata',
      'annotations',
      'service.kubernetes.io/topology-mode',
    ]);
    assert.deepEqual(parseFieldPath('spec.clusterIPs[1]'), ['spec', 'clusterIPs', 1]);
    assert.deepEqual(parseFieldPath(''), []);
  });
});

describe('splitStrictPath', () => {
  it('uses the object to tell dotted map keys from nested fields', () => {
    const obj = { metadata: { labels: { 'app.kubernetes.io/name': 'web' } } };
    assert.deepEqual(splitStrictPath('metadata.labels.app.kubernetes.io/name', obj), ['metadata', 'labels', 'app.kubernetes.io/name']);
  });
  it('splits on dots and indices where the object has nothing', () => {
    assert.deepEqual(splitStrictPath('spec.ports[0].tragetPort', {}), ['spec', 'ports', 0, 'tragetPort']);
  });
  it('always finishes, whatever the text', () => {
    for (const s of ['[x]', '..', '.[', '[', 'a[b]c', '[0][1]..x']) assert.ok(Array.isArray(splitStrictPath(s, { '': { '': 1 } })));
  });
});
