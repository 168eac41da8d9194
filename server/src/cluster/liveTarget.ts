// The cluster target behind a cluster view: its connection, for the requests that write to
// the cluster or use the emulator's own services (apply, delete, scale, DNS, traffic), and
// what it says about the cluster beyond the cache (the emulator's DNS domain, a context's
// name), which features show. ClusterView has no member for it, so the views that have a
// target carry it as `liveTarget()` and callers read it through this one function; any other
// view (the workspace's, a test's fake) has none and says why.

import type { TargetState } from './clusterTargets';
import type { ClusterView } from './clusterView';

export interface WithLiveTarget {
  /** The cluster the view connects to now (connected or still trying), or why there is none. */
  liveTarget(): TargetState;
}

export function liveTargetOf(view: ClusterView): TargetState {
  const accessor = (view as Partial<WithLiveTarget>).liveTarget;
  if (typeof accessor === 'function') return accessor.call(view);
  return { reason: view.source.kind === 'workspace' ? 'no cluster is configured' : 'the cluster view has no connection' };
}
