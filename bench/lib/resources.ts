// Everything a benchmark must give back when it ends, however it ends: child processes (killed)
// and temporary directories (removed). A benchmark registers each one as it creates it; the
// runner releases them after a normal finish, after a crash, on SIGINT/SIGTERM, and, as a last
// resort, synchronously when the process exits, so no emulator or dnsmasq outlives its run.

import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class Resources {
  private readonly children = new Set<ChildProcess>();
  private readonly dirs = new Set<string>();
  private readonly closers: (() => void | Promise<void>)[] = [];

  /** Kills the child when the benchmark ends, unless it has exited by then. */
  child<T extends ChildProcess>(proc: T): T {
    this.children.add(proc);
    proc.once('exit', () => this.children.delete(proc));
    return proc;
  }

  /** A fresh directory under the system temp dir, removed when the benchmark ends. */
  tempDir(prefix: string): string {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    this.dirs.add(dir);
    return dir;
  }

  /** Runs `close` when the benchmark ends, before children are killed; later registrations run first. */
  defer(close: () => void | Promise<void>): void {
    this.closers.push(close);
  }

  /** Closes everything; safe to call more than once. Closers get `graceMs` in total before children are killed. */
  async release(graceMs = 10_000): Promise<void> {
    const closers = this.closers.splice(0).reverse();
    const deadline = Date.now() + graceMs;
    for (const close of closers) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          Promise.resolve().then(close),
          new Promise<void>((resolve) => {
            timer = setTimeout(resolve, left);
          }),
        ]);
      } catch (err) {
        process.stderr.write(`cleanup: ${(err as Error).message}\n`);
      } finally {
        clearTimeout(timer);
      }
    }
    this.releaseNow();
  }

  /** The synchronous part of `release`, also used from the process's exit handler. */
  releaseNow(): void {
    for (const proc of this.children) {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    }
    this.children.clear();
    for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
    this.dirs.clear();
  }
}
