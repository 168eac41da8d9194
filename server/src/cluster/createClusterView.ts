// The server's one ClusterView, built from the LSP initialize options: the emulator (found
// through its state dir, with the workspace's pod templates while it is not running), a
// kubeconfig context (the same fallback while it is unreachable), or the workspace alone.

import { systemClock, type Clock } from './clock';
import { parseClusterOption, type Environment } from './clusterOptions';
import type { ClusterView } from './clusterView';
import { emulatorTargets } from './emulatorTargets';
import { KubeApiView } from './kubeApiView';
import { kubeconfigTargets } from './kubeconfigTargets';
import { SwitchingView } from './switchingView';
import { WorkspaceView } from './workspaceView';
import type { KubeObject } from '../validation/kubeTypes';

export interface CreateClusterViewOptions {
  initializationOptions: unknown;
  workspaceFolders: string[];
  log: (m: string) => void;
  workspaceObjects: () => readonly KubeObject[];
}

/** Seams for tests: time, randomness, the environment and the polling period. */
export interface ClusterViewDependencies {
  clock?: Clock;
  rand?: () => number;
  environment?: Environment;
  pollMs?: number;
}

export function createClusterView(opts: CreateClusterViewOptions): ClusterView {
  return createClusterViewWith(opts, {});
}

export function createClusterViewWith(opts: CreateClusterViewOptions, deps: ClusterViewDependencies): ClusterView {
  const { log, workspaceObjects } = opts;
  const clock = deps.clock ?? systemClock;
  const { choice, problem } = parseClusterOption(opts.initializationOptions, opts.workspaceFolders ?? [], deps.environment);
  if (problem) log(`${problem}; using the emulator in its default state dir`);
  if (choice.kind === 'workspace') {
    log('cluster: none configured; using the workspace pod templates');
    return new WorkspaceView({ workspaceObjects, reason: () => 'no cluster configured', log });
  }
  const targets =
    choice.kind === 'emulator'
      ? emulatorTargets({ stateDir: choice.stateDir, clock, log, pollMs: deps.pollMs })
      : kubeconfigTargets({ path: choice.path, context: choice.context, clock, log, pollMs: deps.pollMs });
  return new SwitchingView({
    targets,
    workspaceObjects,
    log,
    connect: (target) =>
      new KubeApiView({
        connection: target.connection,
        source: target.source,
        label: target.label,
        defaultNamespace: target.defaultNamespace,
        clock,
        rand: deps.rand,
        log,
      }),
  });
}
