// How far a selector label is from the labels that exist, to name the one the user probably
// meant. The distance is the optimal-string-alignment edit distance (insertions, deletions,
// substitutions and adjacent transpositions each cost 1, so `wbe` is one step from `web`),
// taken over the key and the value separately so that a long key does not make any value
// look close.

/** Optimal string alignment distance between two strings. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  return fullDistance(a, b);
}

/**
 * The optimal string alignment distance when it is at most `max`, or `max + 1` (a number
 * above `max`) when it is larger. Only the cells within `max` of the diagonal can hold a
 * distance of `max` or less, so only those are computed, and a length difference over `max`
 * needs no table at all. Selector checks compare a label with every label in the namespace,
 * so this is what keeps them cheap with thousands of pods.
 */
export function editDistanceWithin(a: string, b: string, max: number): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (!a.length) return b.length;
  if (!b.length) return a.length;
  if (max >= Math.max(a.length, b.length)) return fullDistance(a, b);
  const over = max + 1;
  const width = b.length + 1;
  let prevPrev = new Array<number>(width).fill(over);
  let prev = new Array<number>(width).fill(over);
  for (let j = 0; j <= Math.min(b.length, max); j++) prev[j] = j;
  let prevMin = 0;
  for (let i = 1; i <= a.length; i++) {
    const row = new Array<number>(width).fill(over);
    const from = Math.max(1, i - max);
    const to = Math.min(b.length, i + max);
    if (i <= max) row[0] = i;
    let rowMin = i <= max ? i : over;
    for (let j = from; j <= to; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prevPrev[j - 2]! + 1);
      if (d > over) d = over;
      row[j] = d;
      if (d < rowMin) rowMin = d;
    }
    // Every later cell reads this row or the one above it, so two rows over `max` settle it.
    if (rowMin > max && prevMin > max) return over;
    prevPrev = prev;
    prev = row;
    prevMin = rowMin;
  }
  return Math.min(prev[b.length]!, over);
}

/** The whole table, for budgets as long as the strings. */
function fullDistance(a: string, b: string): number {
  let prevPrev = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = new Array<number>(b.length + 1);
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prevPrev[j - 2]! + 1);
      row[j] = d;
    }
    prevPrev = prev;
    prev = row;
  }
  return prev[b.length]!;
}

/** How many edits a part of a label may be off by and still count as a likely typo. */
export function typoBudget(s: string): number {
  return Math.max(1, Math.floor(s.length / 3));
}

/**
 * The distance from the wanted label to a candidate, or undefined when the candidate is not
 * close enough to be a likely typo of it (or is the label itself).
 */
export function labelDistance(wantKey: string, wantValue: string, key: string, value: string): number | undefined {
  const keyBudget = typoBudget(wantKey);
  const dk = editDistanceWithin(wantKey, key, keyBudget);
  if (dk > keyBudget) return undefined;
  const valueBudget = typoBudget(wantValue);
  const dv = editDistanceWithin(wantValue, value, valueBudget);
  if (dk + dv === 0 || dv > valueBudget) return undefined;
  return dk + dv;
}
