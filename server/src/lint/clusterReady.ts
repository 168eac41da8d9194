// Waiting for a cluster view to fill before a one-shot run (`ksl lint --kubeconfig`) asks it
// anything: the view reports a connection first and then its lists arrive in a burst of
// changes, so the wait ends once the view is connected and quiet for a moment.

import type { ClusterView } from '../cluster/clusterView';

/** Resolves true once `view` is connected and has seen no change for `quietMs`, false after `timeoutMs`. */
export function clusterSettled(view: ClusterView, timeoutMs = 10_000, quietMs = 250): Promise<boolean> {
  return new Promise((resolve) => {
    let quiet: NodeJS.Timeout | undefined;
    const finish = (ok: boolean): void => {
      clearTimeout(deadline);
      clearTimeout(quiet);
      unsubscribe();
      resolve(ok);
    };
    const arm = (): void => {
      clearTimeout(quiet);
      if (view.connected) quiet = setTimeout(() => finish(true), quietMs);
    };
    const deadline = setTimeout(() => finish(view.connected), timeoutMs);
    const unsubscribe = view.onDidChange(arm);
    arm();
  });
}
