// Starts the emulator in its own process, as a user runs it (`node dist/cli.js serve`), and
// finds its API and DNS through the files it leaves in the state directory (endpoints.json,
// token, tls.crt).
//
// With KSL_BENCH_CPU_PROF=<dir> in the environment the emulator runs under `node --cpu-prof`
// and writes its profile to <dir> when it stops, to find where a slow figure's time goes.

import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiClient, type ApiTarget } from './apiClient';
import { withDeadline } from './deadline';
import { readProcMemory, type ProcMemory } from './procStatus';
import type { Resources } from './resources';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(REPO_ROOT, 'dist', 'cli.js');
const STARTED_LINE = 'serving the Kubernetes API at';
const START_TIMEOUT_MS = 60_000;
// The state is thrown away, so a stop that takes longer (compacting a large store) is cut short,
// unless a CPU profile is being written, which happens only at a clean exit.
const PROFILE_DIR = process.env.KSL_BENCH_CPU_PROF;
const STOP_TIMEOUT_MS = PROFILE_DIR ? 120_000 : 5_000;
const STDERR_LINES_KEPT = 40;

export interface EmulatorProcessOptions {
  /** The node's pod CIDR; the CLI's default (a /24: 253 pods) when absent. */
  podCIDR?: string;
  /** Concurrent API connections of the returned client. */
  connections: number;
}

export interface EmulatorProcess {
  pid: number;
  target: ApiTarget;
  api: ApiClient;
  dns: { host: string; port: number };
  stateDir: string;
  kubeconfig: string;
  /** The command line the emulator runs with, for the notes. */
  commandLine: string;
  memory(): ProcMemory | undefined;
  /** The emulator's last lines on standard error, for messages about a failure. */
  recentStderr(): string;
  /** A note with the emulator's last few lines on standard error, if it wrote any. */
  stderrNote(lines?: number): string | undefined;
  /** SIGTERM, then SIGKILL if it has not exited within the stop timeout. */
  stop(): Promise<void>;
}

function serveArgs(stateDir: string, podCIDR: string | undefined): string[] {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`node scripts/build.mjs\` (npm run bench does) first`);
  const profile = PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [];
  const args = [...profile, CLI, 'serve', '--state-dir', stateDir, '--pod-ready-delay', '0', '--dns-port', '0'];
  return podCIDR ? [...args, '--pod-cidr', podCIDR] : args;
}

export async function startEmulatorProcess(resources: Resources, opts: EmulatorProcessOptions): Promise<EmulatorProcess> {
  const stateDir = join(resources.tempDir('ksl-bench-'), 'state');
  const args = serveArgs(stateDir, opts.podCIDR);
  const proc = resources.child(
    spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KSL_STATE_DIR: stateDir } }),
  );
  const stderrLines: string[] = [];
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (chunk: string) => {
    stderrLines.push(...chunk.split('\n').filter((l) => l !== ''));
    if (stderrLines.length > STDERR_LINES_KEPT) stderrLines.splice(0, stderrLines.length - STDERR_LINES_KEPT);
  });
  const recentStderr = (): string => stderrLines.join('\n');
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));

  proc.stdout.setEncoding('utf8');
  const started = new Promise<void>((resolve, reject) => {
    let seen = '';
    proc.stdout.on('data', (chunk: string) => {
      // Everything after the first line is read and dropped, so the pipe never fills.
      if (seen.includes(STARTED_LINE)) return;
      seen += chunk;
      if (seen.includes(STARTED_LINE)) resolve();
    });
    void exited.then((code) => reject(new Error(`the emulator exited (${code}) before serving:\n${recentStderr()}`)));
  });
  await withDeadline(started, START_TIMEOUT_MS, 'starting the emulator');

  const endpoints = JSON.parse(readFileSync(join(stateDir, 'endpoints.json'), 'utf8')) as { api: string; dns: string };
  const target: ApiTarget = {
    url: endpoints.api,
    token: readFileSync(join(stateDir, 'token'), 'utf8').trim(),
    caPem: readFileSync(join(stateDir, 'tls.crt'), 'utf8'),
  };
  const colon = endpoints.dns.lastIndexOf(':');
  const api = new ApiClient(target, opts.connections);
  const pid = proc.pid ?? -1;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      api.close();
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      try {
        await withDeadline(exited, STOP_TIMEOUT_MS, 'stopping the emulator');
      } catch {
        proc.kill('SIGKILL');
        await exited;
      }
    })());
  resources.defer(stop);
  return {
    pid,
    target,
    api,
    dns: { host: endpoints.dns.slice(0, colon), port: Number(endpoints.dns.slice(colon + 1)) },
    stateDir,
    kubeconfig: join(stateDir, 'kubeconfig'),
    commandLine: ['node', ...args].join(' ').replace(CLI, 'dist/cli.js').replace(stateDir, '<tmp>'),
    memory: () => readProcMemory(pid),
    recentStderr,
    stderrNote: (lines = 5) => {
      const tail = stderrLines.slice(-lines).map((l) => (l.length > 300 ? l.slice(0, 300) + '…' : l));
      return tail.length ? `the emulator's last words on stderr: ${tail.join(' | ')}` : undefined;
    },
    stop,
  };
}
