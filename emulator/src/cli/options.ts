// Options shared by the ksl commands. Every command that talks to a running emulator takes
// --state-dir with the same default, so `ksl serve` and later commands find each other.

import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export function defaultStateDir(): string {
  return process.env.KSL_STATE_DIR ? resolve(process.env.KSL_STATE_DIR) : join(homedir(), '.kube-service-lab', 'state');
}

export class UsageError extends Error {}

/**
 * A failure the user can act on, printed as `ksl: <message>` without a stack. `exitCode` lets
 * commands that imitate a tool (curl, dig) exit with that tool's codes.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export function intOption(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not "${value}"`);
  }
  return n;
}
