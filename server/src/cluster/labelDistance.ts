// How far a selector label is from the labels that exist, to name the one the user probably
// meant. The distance is the optimal-string-alignment edit distance (insertions, deletions,
// substitutions and adjacent transpositions each cost 1, so `wbe` is one step from `web`),
// taken over the key and the value separately so that a long key does not make any value
// look close.

/** Optimal string alignment distance between two strings. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (!a.length) return b.length;
  if (!b.length) return a.length;
  let prevPrev = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = new Array<number>(b.length + 1);
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prevPrev[j - 2] + 1);
      row[j] = d;
    }
    prevPrev = prev;
    prev = row;
  }
  return prev[b.length];
}

/** How many edits a part of a label may be off by and still count as a likely typo. */
function typoBudget(s: string): number {
  return Math.max(1, Math.floor(s.length / 3));
}

/**
 * The distance from the wanted label to a candidate, or undefined when the candidate is not
 * close enough to be a likely typo of it (or is the label itself).
 */
export function labelDistance(wantKey: string, wantValue: string, key: string, value: string): number | undefined {
  const dk = editDistance(wantKey, key);
  const dv = editDistance(wantValue, value);
  if (dk + dv === 0 || dk > typoBudget(wantKey) || dv > typoBudget(wantValue)) return undefined;
  return dk + dv;
}
