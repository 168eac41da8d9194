import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { editDistance, editDistanceWithin, labelDistance } from '../../../../server/src/cluster/labelDistance';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and adjacent transpositions', () => {
    assert.equal(editDistance('web', 'wbe'), 1);
    assert.equal(editDistance('web', 'webs'), 1);
    assert.equal(editDistance('frontend', 'backend'), 5);
    assert.equal(editDistance('', 'abc'), 3);
  });

  it('gives the same answer within a bound as without one, or a number above the bound', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '-', '1'), maxLength: 12 });
    fc.assert(
      fc.property(word, word, fc.nat(8), (a, b, max) => {
        const full = editDistance(a, b);
        assert.equal(editDistanceWithin(a, b, max), full <= max ? full : max + 1);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('labelDistance', () => {
  it('takes a likely typo of the key or the value, and neither the label itself nor a far one', () => {
    assert.equal(labelDistance('app', 'wbe', 'app', 'web'), 1);
    assert.equal(labelDistance('ap', 'web', 'app', 'web'), 1);
    assert.equal(labelDistance('app', 'web', 'app', 'web'), undefined);
    assert.equal(labelDistance('app', 'web', 'tier', 'backend'), undefined);
  });
});
