// The cluster a request writes to or acts in: the view's live target, or a UserError saying
// why there is none and what to do. Requests that use the emulator's own services (its DNS
// server, its pod network) also need the emulator and say so on any other cluster.

import type { ClusterTarget } from '../cluster/clusterTargets';
import type { ClusterView } from '../cluster/clusterView';
import { NOT_RUNNING } from '../cluster/emulatorTargets';
import { liveTargetOf } from '../cluster/liveTarget';
import { UserError } from './userError';

const START_HINT = 'start it with "Kube Service Lab: Start Emulator" or `ksl serve`';

/** The live target, or a UserError: "`what` needs a cluster, and ...". */
export function clusterTarget(view: ClusterView, what: string): ClusterTarget {
  const state = liveTargetOf(view);
  if (state.target) return state.target;
  const hint = state.reason.startsWith(NOT_RUNNING) ? `; ${START_HINT}` : '';
  throw new UserError(`${what} needs a cluster, and there is none: ${state.reason}${hint}`);
}

export interface EmulatorTarget {
  target: ClusterTarget;
  dns: { host: string; port: number };
  clusterDomain: string;
}

/** The live target when it is the emulator, or a UserError saying that `what` needs the emulator. */
export function emulatorTarget(view: ClusterView, what: string): EmulatorTarget {
  const state = liveTargetOf(view);
  if (!state.target) {
    const hint = state.reason.startsWith(NOT_RUNNING) ? `; ${START_HINT}` : '';
    throw new UserError(`${what} needs the emulator, and it is not available: ${state.reason}${hint}`);
  }
  const target = state.target;
  const emulator = target.emulator;
  if (!emulator) {
    throw new UserError(`${what} needs the emulator: the current cluster is ${target.label}, whose DNS and pod network the editor cannot reach from this machine`);
  }
  const dns = /^(.+):(\d+)$/.exec(emulator.dns ?? '');
  if (!dns) throw new UserError(`${what} needs the emulator's DNS server, and its endpoints.json names none; restart the emulator`);
  return { target, dns: { host: dns[1]!, port: Number(dns[2]) }, clusterDomain: emulator.clusterDomain };
}
