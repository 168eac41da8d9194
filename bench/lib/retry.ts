// Asking again until an answer is what we expect, for reads that should already reflect a change
// we saw elsewhere (a DNS answer after the watch showed the new endpoints). There is no pause
// between attempts: each attempt is itself a round trip, and the deadline bounds them all.

import { DeadlineError } from './deadline';

export interface Settled {
  /** performance.now() when the first satisfying answer arrived. */
  at: number;
  attempts: number;
}

export async function until(attempt: () => Promise<boolean>, timeoutMs: number, what: string): Promise<Settled> {
  const deadline = performance.now() + timeoutMs;
  for (let attempts = 1; ; attempts++) {
    if (await attempt()) return { at: performance.now(), attempts };
    if (performance.now() >= deadline) throw new DeadlineError(`${what}: not within ${timeoutMs} ms (${attempts} attempts)`);
  }
}
