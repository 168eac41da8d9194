// The phrases the cluster checks share, so every message counts and names things the same way:
// live pods are "pods", the workspace's stand-ins are "pod templates" counted by workload kind
// ("1 Deployment template has app=web"), and long lists end in "and N more".

import { templateKindOf } from './podTemplates';
import type { Pod } from '../validation/kubeTypes';

/** Where the pods a check looked at came from. */
export type PodOrigin = 'cluster' | 'workspace';

export function plural(n: number, singular: string, many = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : many}`;
}

/** `a, b, c, and 2 more` (or the whole list when it is short). */
export function listText(items: readonly string[], max = 3): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')}, and ${items.length - max} more`;
}

export function labelText(key: string, value: string): string {
  return `${key}=${value}`;
}

/** `3 pods have` / `1 pod has`; in the workspace `1 Deployment template has`, `2 Deployment templates and 1 Pod have`. */
export function podsHave(pods: readonly Pod[], origin: PodOrigin): string {
  if (origin === 'cluster') return pods.length === 1 ? '1 pod has' : `${pods.length} pods have`;
  const byKind = new Map<string, number>();
  for (const pod of pods) {
    const kind = templateKindOf(pod);
    byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
  }
  const parts = [...byKind].map(([kind, n]) => (kind === 'Pod' ? plural(n, 'Pod') : plural(n, `${kind} template`)));
  const joined = parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
  return `${joined} ${pods.length === 1 ? 'has' : 'have'}`;
}

/** The subject of "no pod has app=wbe". */
export function noPodHas(origin: PodOrigin): string {
  return origin === 'cluster' ? 'no pod has' : 'no pod template in the workspace has';
}

/** `the selected pod`, `the 3 selected pods`, `the 2 selected pod templates`. */
export function selectedPods(n: number, origin: PodOrigin): string {
  const noun = origin === 'cluster' ? 'pod' : 'pod template';
  return n === 1 ? `the selected ${noun}` : `the ${n} selected ${noun}s`;
}

/** `3 pods`, `2 pod templates`. */
export function podCount(n: number, origin: PodOrigin): string {
  return plural(n, origin === 'cluster' ? 'pod' : 'pod template');
}
