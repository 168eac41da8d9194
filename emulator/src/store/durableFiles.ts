// The file-system steps that make data survive a crash, shared by the log and the snapshot: a
// written file is durable once fsynced, and a created or renamed name once its directory is.

import * as fs from 'node:fs';

/** Files in the state directory are private: Secrets live in them. */
export const FILE_MODE = 0o600;

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
