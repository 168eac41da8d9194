// The frame every benchmark file runs in: it reads the harness's options, gives the body a
// Resources bag and an overall deadline, prints the result as one JSON line on standard output
// (the last line, which bench/run.mjs reads), and exits. In a --quick run no figure says
// whether its target was met: the targets are for the full sizes. Progress goes to standard error. A body
// that throws, or runs past its deadline, ends the process with a non-zero code after its
// resources are released.

import type { BenchResult, Figure } from './figures';
import { Resources } from './resources';

export interface BenchContext {
  /** Small sizes and short durations: a smoke run, not a measurement. */
  quick: boolean;
  resources: Resources;
  /** Writes one progress line to standard error, prefixed with the benchmark's name. */
  log(message: string): void;
}

export interface BenchOutput {
  figures: Figure[];
  notes?: string[];
}

export interface BenchSpec {
  name: string;
  /** The whole benchmark's time limit, for full and quick runs. */
  timeoutMs: { full: number; quick: number };
  run(ctx: BenchContext): Promise<BenchOutput>;
}

export function benchMain(spec: BenchSpec): void {
  const quick = process.argv.includes('--quick');
  const resources = new Resources();
  const log = (message: string): void => {
    process.stderr.write(`[${spec.name}] ${message}\n`);
  };
  process.once('exit', () => resources.releaseNow());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      resources.releaseNow();
      process.exit(130);
    });
  }
  const limit = quick ? spec.timeoutMs.quick : spec.timeoutMs.full;
  let timer: NodeJS.Timeout | undefined;
  const overtime = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not finish within ${limit / 1000} s`)), limit);
  });
  void (async () => {
    let code = 0;
    try {
      const out = await Promise.race([spec.run({ quick, resources, log }), overtime]);
      // Targets are set for the full sizes; a smoke run shows them but does not judge them.
      const figures = quick ? out.figures.map(({ met: _met, ...rest }) => rest) : out.figures;
      const result: BenchResult = { name: spec.name, figures };
      if (out.notes?.length) result.notes = out.notes;
      await resources.release();
      process.stdout.write('\n' + JSON.stringify(result) + '\n');
    } catch (err) {
      process.stderr.write(`[${spec.name}] failed: ${(err as Error).stack ?? String(err)}\n`);
      code = 1;
      await resources.release(2000);
    } finally {
      clearTimeout(timer);
    }
    process.exit(code);
  })();
}
