// Runs the built `ksl` CLI (dist/cli.js) against an emulator's state dir, as a user would run
// it in a terminal next to `ksl serve`.

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLI = join(fileURLToPath(new URL('../..', import.meta.url)), 'dist', 'cli.js');

export interface KslResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function ksl(stateDir: string, ...args: string[]): Promise<KslResult> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" (npm test builds it first)`);
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args, '--state-dir', stateDir], { timeout: 60_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Parses `ksl traffic` output into requests per pod. */
export function trafficShares(stdout: string): Map<string, number> {
  const shares = new Map<string, number>();
  for (const line of stdout.split('\n')) {
    const m = /^(\S+)\s+(\d+\.\d+\.\d+\.\d+)\s+(\d+)\s+/.exec(line);
    if (m) shares.set(m[1], Number(m[3]));
  }
  return shares;
}
