// How the robustness properties run: each with a fixed number of runs and one fixed seed, so
// every run of the suite tries the same inputs and a failure replays exactly. KSL_FC_SEED
// picks another seed (to explore, or to replay a failure seen with it). Each property reports
// through t.diagnostic how many inputs it tried and with which seed; the README's reliability
// section quotes these counts.

import type { TestContext } from 'node:test';
import fc from 'fast-check';

const DEFAULT_SEED = 20_261_126;

function readSeed(): number {
  const raw = process.env['KSL_FC_SEED'];
  if (raw === undefined || raw === '') return DEFAULT_SEED;
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed)) throw new Error(`KSL_FC_SEED must be an integer, not ${JSON.stringify(raw)}`);
  return seed;
}

export const SEED = readSeed();

export interface PropertyOptions {
  numRuns: number;
  /**
   * Skips shrinking for properties whose inputs are costly to check (large files): the first
   * failing input is reported as found, with its seed and path for replay.
   */
  noShrink?: boolean;
}

/** Checks `predicate` (which throws to fail) on `numRuns` inputs from `arb`, and reports the count. */
export function checkProperty<T>(t: TestContext, arb: fc.Arbitrary<T>, predicate: (value: T) => void, options: PropertyOptions): void {
  fc.assert(fc.property(arb, predicate), { seed: SEED, numRuns: options.numRuns, endOnFailure: options.noShrink === true, includeErrorInReport: true });
  t.diagnostic(`${options.numRuns} inputs tried, seed ${SEED} (replay another with KSL_FC_SEED=<seed>)`);
}

/** Reports an exhaustive check's count the way checkProperty reports a property's. */
export function reportCases(t: TestContext, count: number, what: string): void {
  t.diagnostic(`${count} ${what} tried (enumerated from the schema, no seed involved)`);
}
