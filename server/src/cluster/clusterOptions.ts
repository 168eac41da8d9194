// `initializationOptions.cluster`, read defensively: it comes from whatever LSP client started
// the server. The forms:
//   1. absent (or null)                            the emulator in the default state dir
//   2. {"emulator": false}                         no cluster: the workspace's pod templates
//   3. {"emulator": true} / {"emulator": {}}       the emulator in the default state dir
//   4. {"emulator": {"stateDir": "<dir>"}}         the emulator in that state dir
//   5. {"kubeconfig": "<path>", "context": "<n>"}  a kubeconfig context (context optional)
// Relative paths resolve against the first workspace folder; `~/` against the home directory.
// Anything else is reported and treated as form 1.

import { homedir } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type ClusterChoice =
  | { kind: 'workspace' }
  | { kind: 'emulator'; stateDir: string }
  | { kind: 'kubeconfig'; path: string; context?: string };

export interface ClusterChoiceResult {
  choice: ClusterChoice;
  /** What was wrong with the options, when they were not understood. */
  problem?: string;
}

export interface Environment {
  env: Record<string, string | undefined>;
  home: string;
  cwd: string;
}

const processEnvironment = (): Environment => ({ env: process.env, home: homedir(), cwd: process.cwd() });

/** The emulator's default state dir, as `ksl serve` uses it. */
export function defaultStateDir(environment: Environment = processEnvironment()): string {
  const fromEnv = environment.env['KSL_STATE_DIR'];
  return fromEnv ? resolve(environment.cwd, fromEnv) : join(environment.home, '.kube-service-lab', 'state');
}

/** kubectl's kubeconfig when none is named: the first file of $KUBECONFIG, else ~/.kube/config. */
export function defaultKubeconfigPath(environment: Environment = processEnvironment()): string {
  const first = (environment.env['KUBECONFIG'] ?? '').split(delimiter).find((p) => p !== '');
  return first ?? join(environment.home, '.kube', 'config');
}

function folderPath(folder: string): string | undefined {
  if (folder.startsWith('file:')) {
    try {
      return fileURLToPath(folder);
    } catch {
      return undefined;
    }
  }
  return isAbsolute(folder) ? folder : undefined;
}

function resolvePath(p: string, workspaceFolders: readonly string[], environment: Environment): string {
  if (p === '~') return environment.home;
  if (p.startsWith('~/')) return join(environment.home, p.slice(2));
  if (isAbsolute(p)) return p;
  const base = workspaceFolders.map(folderPath).find((f) => f !== undefined) ?? environment.cwd;
  return resolve(base, p);
}

function record(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

export function parseClusterOption(
  initializationOptions: unknown,
  workspaceFolders: readonly string[],
  environment: Environment = processEnvironment(),
): ClusterChoiceResult {
  const fallback: ClusterChoice = { kind: 'emulator', stateDir: defaultStateDir(environment) };
  const cluster = record(initializationOptions)?.['cluster'];
  if (cluster === undefined || cluster === null) return { choice: fallback };
  const c = record(cluster);
  if (!c) return { choice: fallback, problem: 'initializationOptions.cluster must be an object' };
  if (c['kubeconfig'] !== undefined) {
    const path = c['kubeconfig'];
    const context = c['context'];
    if (typeof path !== 'string' || !path) return { choice: fallback, problem: 'initializationOptions.cluster.kubeconfig must be a file path' };
    if (context !== undefined && context !== null && typeof context !== 'string') {
      return { choice: fallback, problem: 'initializationOptions.cluster.context must be a string' };
    }
    const choice: ClusterChoice = { kind: 'kubeconfig', path: resolvePath(path, workspaceFolders, environment) };
    if (typeof context === 'string' && context) choice.context = context;
    return { choice };
  }
  const emulator = c['emulator'];
  if (emulator === false) return { choice: { kind: 'workspace' } };
  if (emulator === undefined || emulator === true) return { choice: fallback };
  const e = record(emulator);
  if (!e) return { choice: fallback, problem: 'initializationOptions.cluster.emulator must be false or an object' };
  const stateDir = e['stateDir'];
  if (stateDir === undefined || stateDir === null || stateDir === '') return { choice: fallback };
  if (typeof stateDir !== 'string') return { choice: fallback, problem: 'initializationOptions.cluster.emulator.stateDir must be a path' };
  return { choice: { kind: 'emulator', stateDir: resolvePath(stateDir, workspaceFolders, environment) } };
}
