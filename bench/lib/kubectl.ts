// The machine's real kubectl against an emulator, with a HOME and a cache directory of its own
// so that its discovery cache belongs to this run only.

import { join } from 'node:path';
import type { Resources } from './resources';
import { runProgram } from './tools';

export interface TimedRun {
  ms: number;
  stdout: string;
}

export class Kubectl {
  private readonly home: string;

  constructor(
    private readonly resources: Resources,
    private readonly path: string,
    private readonly kubeconfig: string,
  ) {
    this.home = resources.tempDir('ksl-bench-kubectl-');
  }

  /** Runs kubectl to completion and returns how long it took, wall clock; a failure throws with its output. */
  async timed(args: string[], timeoutMs: number): Promise<TimedRun> {
    const env = { ...process.env, HOME: this.home, KUBECONFIG: this.kubeconfig };
    const full = ['--kubeconfig', this.kubeconfig, '--cache-dir', join(this.home, 'cache'), ...args];
    const start = performance.now();
    const r = await runProgram(this.resources, this.path, full, { timeoutMs, env });
    const ms = performance.now() - start;
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr.slice(0, 500)}`);
    return { ms, stdout: r.stdout };
  }
}
