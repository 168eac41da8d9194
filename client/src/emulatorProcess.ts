// The workspace's emulator: one `ksl serve` child process per workspace, with its state in the
// workspace's storage folder. It is started on first need (or at startup with
// `ksl.emulator.autoStart`), stopped with the window, and restarted with a notification when it
// crashes. Its state changes are events the status bar and the tree follow.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { emulatorSettings, serveArgs } from './settings';

export type EmulatorState =
  | { kind: 'stopped' }
  | { kind: 'starting' }
  | { kind: 'running'; api: string; dns: string; kubeconfig: string; stateDir: string }
  | { kind: 'failed'; message: string };

/** Restarts after a crash are spaced out, and stop after this many in a row. */
const MAX_CRASH_RESTARTS = 3;
const START_TIMEOUT_MS = 20_000;
/** The last line of `ksl serve`'s banner (emulator/src/cli/serveCommand.ts). */
const SERVING_LINE = 'Serving until Ctrl-C.';

export class EmulatorProcess implements vscode.Disposable {
  private child: ChildProcess | undefined;
  private current: EmulatorState = { kind: 'stopped' };
  private starting: Promise<EmulatorState> | undefined;
  private crashes = 0;
  private stopping = false;
  private readonly changed = new vscode.EventEmitter<EmulatorState>();
  readonly onDidChangeState = this.changed.event;

  constructor(
    private readonly cliPath: string,
    readonly stateDir: string,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  get state(): EmulatorState {
    return this.current;
  }

  /** The process id of the running `ksl serve`, if one runs: tests crash it on purpose. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  private set(state: EmulatorState): void {
    this.current = state;
    this.changed.fire(state);
  }

  /** Starts the emulator unless it runs already; resolves when its API and DNS are up. */
  ensureRunning(): Promise<EmulatorState> {
    if (this.current.kind === 'running') return Promise.resolve(this.current);
    this.starting ??= this.start().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private start(): Promise<EmulatorState> {
    mkdirSync(this.stateDir, { recursive: true, mode: 0o700 });
    // A file from a run that did not stop cleanly would look like a running emulator.
    rmSync(join(this.stateDir, 'endpoints.json'), { force: true });
    this.stopping = false;
    this.set({ kind: 'starting' });
    const args = [this.cliPath, ...serveArgs(emulatorSettings(), this.stateDir)];
    this.output.appendLine(`starting: node ${args.join(' ')}`);
    // VS Code's executable runs as plain Node with ELECTRON_RUN_AS_NODE, so no separate Node is needed.
    const child = spawn(process.execPath, args, {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout?.setEncoding('utf8').on('data', (t: string) => this.output.append(t));
    child.stderr?.setEncoding('utf8').on('data', (t: string) => this.output.append(t));

    return new Promise<EmulatorState>((resolve) => {
      let settled = false;
      const finish = (state: EmulatorState): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.set(state);
        resolve(state);
      };
      const timer = setTimeout(
        () => finish({ kind: 'failed', message: `the emulator did not come up within ${START_TIMEOUT_MS / 1000} s; see the "Kube Service Lab" output` }),
        START_TIMEOUT_MS,
      );
      // `ksl serve` writes endpoints.json once every listener is up, then prints its banner,
      // which ends with SERVING_LINE.
      let seen = '';
      child.stdout?.on('data', (t: string) => {
        if (settled) return;
        seen = (seen + t).slice(-4096);
        if (!seen.includes(SERVING_LINE)) return;
        const endpoints = this.readEndpoints();
        if (!endpoints) {
          finish({ kind: 'failed', message: `the emulator started but ${join(this.stateDir, 'endpoints.json')} is missing` });
          return;
        }
        this.crashes = 0;
        finish({ kind: 'running', ...endpoints, kubeconfig: join(this.stateDir, 'kubeconfig'), stateDir: this.stateDir });
      });
      child.once('error', (err) => finish({ kind: 'failed', message: `could not start the emulator: ${err.message}` }));
      child.once('exit', (code, signal) => {
        this.child = undefined;
        const why = signal ? `was killed (${signal})` : `exited with code ${code}`;
        if (!settled) {
          finish({ kind: 'failed', message: `the emulator ${why} while starting; see the "Kube Service Lab" output` });
          return;
        }
        if (this.stopping) {
          this.set({ kind: 'stopped' });
          return;
        }
        this.onCrash(why);
      });
    });
  }

  private onCrash(why: string): void {
    this.crashes++;
    if (this.crashes > MAX_CRASH_RESTARTS) {
      this.set({ kind: 'failed', message: `the emulator ${why}, and kept crashing after ${MAX_CRASH_RESTARTS} restarts` });
      void vscode.window.showErrorMessage(
        `Kube Service Lab: the emulator ${why} ${this.crashes} times in a row, so it was not restarted. See the "Kube Service Lab" output, then run "Kube Service Lab: Start Emulator".`,
      );
      return;
    }
    void vscode.window.showWarningMessage(`Kube Service Lab: the emulator ${why}; restarting it. Its state is kept.`);
    // The process is gone: until the state says so, ensureRunning would take it for running.
    this.set({ kind: 'starting' });
    setTimeout(() => void this.ensureRunning(), 500 * this.crashes);
  }

  private readEndpoints(): { api: string; dns: string } | undefined {
    const path = join(this.stateDir, 'endpoints.json');
    if (!existsSync(path)) return undefined;
    try {
      const parsed = JSON.parse(readFileSync(path, 'utf8')) as { api?: string; dns?: string };
      return parsed.api && parsed.dns ? { api: parsed.api, dns: parsed.dns } : undefined;
    } catch {
      return undefined;
    }
  }

  /** Stops the emulator and waits for it to exit (SIGTERM: it compacts its log and removes endpoints.json). */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) {
      if (this.current.kind !== 'stopped') this.set({ kind: 'stopped' });
      return;
    }
    this.stopping = true;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }

  /** Stops the emulator and deletes its state: the next start is a fresh cluster. */
  async reset(): Promise<void> {
    await this.stop();
    rmSync(this.stateDir, { recursive: true, force: true });
  }

  dispose(): void {
    this.stopping = true;
    this.child?.kill('SIGTERM');
    this.changed.dispose();
  }
}
