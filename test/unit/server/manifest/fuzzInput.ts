// Deterministic random input for the parser's never-throws tests.

/** A small seeded generator (mulberry32), so a failing case can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random UTF-16 text, biased towards the characters YAML gives meaning to. */
export function randomText(rand: () => number, length: number): string {
  const special = ':-?[]{},#&*!|>\'"%@` \t\n\r\\.';
  let s = '';
  for (let i = 0; i < length; i++) {
    const r = rand();
    if (r < 0.5) s += special[Math.floor(rand() * special.length)];
    else if (r < 0.9) s += String.fromCharCode(97 + Math.floor(rand() * 26));
    else s += String.fromCharCode(Math.floor(rand() * 0xffff));
  }
  return s;
}
