// Waiting on a ClusterView without sleeping: a condition is re-checked after every change the
// view announces, with a deadline so a broken cache fails the test instead of hanging it.

import type { ClusterView } from '../../../../server/src/cluster/clusterView';

/** Resolves when `check` holds, re-checking after every onDidChange; rejects after `ms`. */
export function untilView(view: ClusterView, check: () => boolean, what: string, ms = 10_000): Promise<void> {
  if (check()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`timed out after ${ms} ms waiting for ${what} (the view says: ${view.describe()})`));
    }, ms);
    const unsubscribe = view.onDidChange(() => {
      if (!check()) return;
      clearTimeout(timer);
      unsubscribe();
      resolve();
    });
  });
}
