// What the status bar item says: the cluster the editor looks at, its state, and how many
// Services and pods it has ("ksl: 5 svc · 7 pods"). Kept apart from the item so it can be
// tested without VS Code.

import type { ClusterSnapshot } from '../../server/src/protocol';
import type { EmulatorState } from './emulatorProcess';
import type { ClusterSourceSetting } from './settings';

export interface StatusInput {
  source: ClusterSourceSetting;
  emulator: EmulatorState;
  /** The last snapshot the language server gave, if any. */
  snapshot?: ClusterSnapshot;
}

const CLICK = 'Click to choose a cluster.';

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function counts(s: ClusterSnapshot): string {
  return `${s.services.length} svc · ${plural(s.pods.length, 'pod', 'pods')}`;
}

function countsTooltip(s: ClusterSnapshot): string {
  const namespaces = plural(s.namespaces.length, 'namespace', 'namespaces');
  return `${plural(s.services.length, 'Service', 'Services')}, ${plural(s.deployments.length, 'Deployment', 'Deployments')} and ${plural(s.pods.length, 'pod', 'pods')} in ${namespaces}.`;
}

export function statusText({ source, emulator, snapshot }: StatusInput): { text: string; tooltip: string } {
  if (source.kind === 'kubeconfig') {
    const name = source.context || 'kubeconfig';
    if (!snapshot) return { text: `$(cloud) ksl: ${name}`, tooltip: `The editor looks at the kubeconfig context ${name}. ${CLICK}` };
    if (!snapshot.connected) return { text: `$(warning) ksl: ${name} unreachable`, tooltip: `Cannot reach ${snapshot.source}. ${CLICK}` };
    return { text: `$(cloud) ksl: ${name} · ${counts(snapshot)}`, tooltip: `${snapshot.source}: ${countsTooltip(snapshot)} ${CLICK}` };
  }
  switch (emulator.kind) {
    case 'stopped':
      return { text: '$(circle-outline) ksl: stopped', tooltip: `The Kube Service Lab emulator is not running. ${CLICK}` };
    case 'starting':
      return { text: '$(sync~spin) ksl: starting', tooltip: 'The Kube Service Lab emulator is starting.' };
    case 'failed':
      return { text: '$(error) ksl: failed', tooltip: `The emulator failed: ${emulator.message} ${CLICK}` };
    case 'running': {
      const where = `Emulator API ${emulator.api}, DNS ${emulator.dns}.`;
      if (!snapshot || !snapshot.emulator) return { text: '$(server-environment) ksl: emulator', tooltip: `${where} ${CLICK}` };
      if (!snapshot.connected) return { text: '$(sync~spin) ksl: connecting', tooltip: `${where} The language server is connecting to it. ${CLICK}` };
      return { text: `$(server-environment) ksl: ${counts(snapshot)}`, tooltip: `${where} ${countsTooltip(snapshot)} ${CLICK}` };
    }
  }
}
