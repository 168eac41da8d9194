// The file-system steps that make data survive a crash, shared by the log and the snapshot: a
// written file is durable once fsynced, and a created or renamed name once its directory is.

import * as fs from 'node:fs';

/** Files in the state directory are private: Secrets live in them. */
export const FILE_MODE = 0o600;

/** Whether POSIX file modes apply on this platform. */
export const CHECK_MODES = process.platform !== 'win32';

/**
 * Tightens a state file someone loosened (a copy, an editor, a umask) back to FILE_MODE, and
 * says so through `log`, with `why` appended when given. With `fd`, the open file is checked
 * and changed instead of the path.
 */
export function tightenFileMode(file: string, log: (message: string) => void, opts: { fd?: number; why?: string } = {}): void {
  if (!CHECK_MODES) return;
  const { fd, why } = opts;
  const mode = (fd === undefined ? fs.statSync(file) : fs.fstatSync(fd)).mode & 0o777;
  if ((mode & 0o077) === 0) return;
  if (fd === undefined) fs.chmodSync(file, FILE_MODE);
  else fs.fchmodSync(fd, FILE_MODE);
  log(`tightened the permissions of ${file} from ${octal(mode)} to ${octal(FILE_MODE)}${why ? `: ${why}` : ''}`);
}

export function writeAll(fd: number, bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.length) offset += fs.writeSync(fd, bytes, offset, bytes.length - offset);
}

export function fsyncFile(file: string): void {
  const fd = fs.openSync(file, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Makes a rename or file creation in `dir` durable. */
export function fsyncDirectory(dir: string): void {
  let fd: number;
  try {
    fd = fs.openSync(dir, 'r');
  } catch (error) {
    // Windows cannot open a directory as a file; its renames are durable without this step.
    if (process.platform === 'win32') return;
    throw error;
  }
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Removes a file if it exists; a file that is already gone is not an error. */
export function removeIfPresent(file: string): boolean {
  try {
    fs.unlinkSync(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

export function octal(mode: number): string {
  return `0${mode.toString(8)}`;
}
