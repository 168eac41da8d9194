// The result format every benchmark prints as the last line of its standard output, read by
// bench/run.mjs. A figure with a target says whether the target was met. A figure that could
// not be measured has a null value and either `skipped` (a tool is missing: neither met nor
// missed) or `error` (the code under test failed: a missed target).

export interface Target {
  op: '<=' | '>=';
  value: number;
}

export interface Figure {
  name: string;
  value: number | null;
  unit: string;
  target?: Target;
  met?: boolean;
  skipped?: string;
  error?: string;
}

export interface BenchResult {
  name: string;
  figures: Figure[];
  notes?: string[];
}

/** A measured figure; with a target, `met` says whether the value satisfies it. */
export function figure(name: string, value: number, unit: string, target?: Target): Figure {
  if (!target) return { name, value, unit };
  const met = target.op === '<=' ? value <= target.value : value >= target.value;
  return { name, value, unit, target, met };
}

/** A figure that could not be measured, with the reason; it counts as neither met nor missed. */
export function skippedFigure(name: string, unit: string, reason: string, target?: Target): Figure {
  return target ? { name, value: null, unit, target, skipped: reason } : { name, value: null, unit, skipped: reason };
}

/** A figure the code under test failed to produce; with a target, the target counts as missed. */
export function failedFigure(name: string, unit: string, err: unknown, target?: Target): Figure {
  const error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return target ? { name, value: null, unit, target, met: false, error } : { name, value: null, unit, error };
}

export const atMost = (value: number): Target => ({ op: '<=', value });
export const atLeast = (value: number): Target => ({ op: '>=', value });

/** Milliseconds, rounded to microseconds so the JSON stays readable. */
export function ms(value: number): number {
  return Math.round(value * 1000) / 1000;
}

export const MiB = 1024 * 1024;
