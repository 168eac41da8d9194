// A kubeconfig context as the cluster to watch. The file is re-read when it changes, so
// switching the current context, or refreshed credentials written into the file, take effect
// without restarting the server.

import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { Clock } from './clock';
import { WatchedTargets, type TargetSource, type TargetState } from './clusterTargets';
import { loadKubeconfig } from './kubeconfigConnection';

export interface KubeconfigTargetsOptions {
  path: string;
  /** The context to use; the file's current-context when absent. */
  context?: string;
  clock: Clock;
  log: (message: string) => void;
  pollMs?: number;
}

export function kubeconfigTargets(opts: KubeconfigTargetsOptions): TargetSource {
  const { path, context, log } = opts;
  const read = async (previous: TargetState): Promise<TargetState> => {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      return { reason: `cannot read kubeconfig ${path}${code ? ` (${code})` : ''}` };
    }
    const key = `${context ?? ''}\u0000${text}`;
    if (previous.target?.key === key) return previous;
    try {
      const ctx = await loadKubeconfig(text, { path, context });
      return {
        target: {
          key,
          source: { kind: 'kubeconfig', context: ctx.context, url: ctx.server },
          label: `context ${ctx.context} at ${ctx.server}`,
          defaultNamespace: ctx.namespace,
          connection: ctx.connection,
        },
      };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      log(`kubeconfig ${path}: ${message}`);
      return { reason: `kubeconfig ${path} is unusable: ${message}` };
    }
  };
  return new WatchedTargets({
    read,
    initial: { reason: `reading kubeconfig ${path}` },
    directory: dirname(path),
    files: [basename(path)],
    clock: opts.clock,
    pollMs: opts.pollMs ?? 5000,
    log,
  });
}
