// Runs the machine's real kubectl against an emulator, with its own HOME and cache so the
// discovery cache of one test run never leaks into another.

import { execFile } from 'node:child_process';
import { accessSync, constants, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function kubectlPath(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    try {
      const p = join(dir, 'kubectl');
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      continue;
    }
  }
  return undefined;
}

export class Kubectl {
  private readonly home = mkdtempSync(join(tmpdir(), 'ksl-kubectl-home-'));

  constructor(private readonly kubeconfig: string) {}

  async run(...args: string[]): Promise<KubectlResult> {
    try {
      const { stdout, stderr } = await run('kubectl', ['--kubeconfig', this.kubeconfig, '--cache-dir', join(this.home, 'cache'), ...args], {
        env: { ...process.env, HOME: this.home, KUBECONFIG: this.kubeconfig },
        timeout: 60_000,
      });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code?: number; stdout?: string; stderr?: string; message: string };
      if (typeof e.code !== 'number') throw err;
      return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
    }
  }

  /** Runs and insists on success, so a failure shows kubectl's own words. */
  async ok(...args: string[]): Promise<string> {
    const r = await this.run(...args);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}:\n${r.stderr}${r.stdout}`);
    return r.stdout;
  }
}
