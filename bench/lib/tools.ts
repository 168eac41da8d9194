// Finding the external programs some benchmarks drive (kubectl, dnsperf, dnsmasq), installing
// the Debian packages that provide them when the harness runs as root with apt available, and
// running a program to completion under a deadline.

import { execFile, spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import type { Resources } from './resources';

/** The program's path on PATH (plus the sbin directories, where dnsmasq lives), if any. */
export function findProgram(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/local/sbin', '/usr/sbin', '/sbin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const p = join(dir, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      continue;
    }
  }
  return undefined;
}

export interface Found {
  paths: Record<string, string>;
  /** Why some program is still missing; undefined when all were found. */
  missing?: string;
}

const APT_TIMEOUT_MS = 300_000;

/**
 * Finds each program; for missing ones, installs their packages with apt-get when running as
 * root and apt-get exists (an `apt-get update` is tried once if the first install fails).
 */
export function findOrInstall(programs: Record<string, string>, log: (m: string) => void): Found {
  const lookup = (): Found => {
    const paths: Record<string, string> = {};
    const absent: string[] = [];
    for (const name of Object.keys(programs)) {
      const p = findProgram(name);
      if (p) paths[name] = p;
      else absent.push(name);
    }
    return absent.length ? { paths, missing: `not installed: ${absent.join(', ')}` } : { paths };
  };
  let found = lookup();
  if (!found.missing) return found;
  const apt = findProgram('apt-get');
  if (process.getuid?.() !== 0 || !apt) {
    return { ...found, missing: `${found.missing} (and cannot install: ${apt ? 'not running as root' : 'no apt-get'})` };
  }
  const packages = [...new Set(Object.entries(programs).filter(([name]) => !found.paths[name]).map(([, pkg]) => pkg))];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () =>
    spawnSync(apt, ['install', '-y', '--no-install-recommends', ...packages], { env, encoding: 'utf8', timeout: APT_TIMEOUT_MS });
  log(`installing ${packages.join(' ')} with apt-get`);
  let r = install();
  if (r.status !== 0) {
    spawnSync(apt, ['update'], { env, encoding: 'utf8', timeout: APT_TIMEOUT_MS });
    r = install();
  }
  found = lookup();
  if (found.missing && r.status !== 0) found.missing += ` (apt-get install failed: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()})`;
  return found;
}

export interface ProgramResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program to its end, killing it at the deadline; a non-zero exit is returned, not thrown. */
export function runProgram(
  resources: Resources,
  file: string,
  args: string[],
  opts: { timeoutMs: number; env?: NodeJS.ProcessEnv },
): Promise<ProgramResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { timeout: opts.timeoutMs, killSignal: 'SIGKILL', env: opts.env, maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') {
        reject(new Error(`${file} ${args.join(' ')}: ${err.message}${err.killed ? ' (killed at the deadline)' : ''}`));
        return;
      }
      resolve({ code: err ? Number(err.code) : 0, stdout, stderr });
    });
    resources.child(child);
  });
}
