import { test } from 'node:test';
import assert from 'node:assert/strict';
import { humanDuration } from '../../../emulator/src/apiserver/tables/humanDuration';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

// Each row sits on one side of a unit boundary of apimachinery's duration.HumanDuration.
const boundaries: [number, string][] = [
  [-2 * s, '<invalid>'],
  [-1999, '0s'],
  [-1 * s, '0s'],
  [0, '0s'],
  [999, '0s'],
  [3 * s, '3s'],
  [119 * s + 999, '119s'],
  [2 * m, '2m'],
  [2 * m + 999, '2m'],
  [2 * m + 1 * s, '2m1s'],
  [9 * m + 59 * s, '9m59s'],
  [10 * m, '10m'],
  [10 * m + 59 * s, '10m'],
  [179 * m + 59 * s, '179m'],
  [3 * h, '3h'],
  [3 * h + 1 * m, '3h1m'],
  [7 * h + 59 * m + 59 * s, '7h59m'],
  [8 * h, '8h'],
  [47 * h + 59 * m, '47h'],
  [48 * h, '2d'],
  [49 * h, '2d1h'],
  [7 * d + 23 * h + 59 * m, '7d23h'],
  [8 * d, '8d'],
  [694 * d + 5 * h, '694d'],
  [729 * d + 23 * h, '729d'],
  [730 * d, '2y'],
  [731 * d, '2y1d'],
  [2919 * d, '7y364d'],
  [2920 * d, '8y'],
  [3650 * d + 12 * h, '10y'],
];

test('HumanDuration picks the same unit and precision as kubectl on both sides of every boundary', () => {
  for (const [ms, want] of boundaries) assert.equal(humanDuration(ms), want, `${ms} ms`);
});
