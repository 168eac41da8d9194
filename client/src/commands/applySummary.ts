// The words "Apply to Emulator" and "Delete from Emulator" report with: a one-line summary for
// the notification ("3 created, 1 unchanged, 1 failed") and kubectl-style lines for the output
// channel, where the apiserver's messages for failures are kept whole.

import type { ApplyOutcome, DocumentResult } from '../../../server/src/protocol';

/** The order outcomes appear in a summary: what changed first, failures last. */
const OUTCOME_ORDER: readonly ApplyOutcome[] = ['created', 'configured', 'unchanged', 'deleted', 'not found', 'skipped', 'failed'];

/** API groups of the kinds a lesson applies, for kubectl's `deployment.apps/web` naming. */
const KIND_GROUPS: Record<string, string> = {
  Deployment: 'apps',
  ReplicaSet: 'apps',
  StatefulSet: 'apps',
  DaemonSet: 'apps',
  Job: 'batch',
  CronJob: 'batch',
  EndpointSlice: 'discovery.k8s.io',
  Ingress: 'networking.k8s.io',
  NetworkPolicy: 'networking.k8s.io',
};

/** How kubectl names an object in its output: `service/web`, `deployment.apps/web`. */
export function objectName(kind: string, name: string): string {
  const group = KIND_GROUPS[kind];
  const resource = kind.toLowerCase() || 'object';
  return `${group ? `${resource}.${group}` : resource}/${name || '(no name)'}`;
}

/** "3 created, 1 unchanged, 1 failed": the count of each outcome that occurred, in a fixed order. */
export function summaryText(results: readonly DocumentResult[]): string {
  if (results.length === 0) return 'no documents';
  const counts = new Map<ApplyOutcome, number>();
  for (const r of results) counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
  return OUTCOME_ORDER.filter((o) => counts.has(o))
    .map((o) => `${counts.get(o)} ${o}`)
    .join(', ');
}

/** One line per document, as kubectl prints them, prefixed with the file for failures and skips. */
export function resultLines(file: string, results: readonly DocumentResult[]): string[] {
  return results.map((r) => {
    const name = objectName(r.kind, r.name);
    // kubectl names no namespace; one is added when it is not the default, to tell objects apart.
    const where = r.namespace && r.namespace !== 'default' ? ` (namespace ${r.namespace})` : '';
    const quoted = `${name.replace('/', ' "')}"`;
    switch (r.outcome) {
      case 'failed':
        return `${file} (document ${r.document + 1}): ${name}${where}: ${r.message ?? 'failed'}`;
      case 'skipped':
        return `${file} (document ${r.document + 1}): skipped${r.message ? `: ${r.message}` : ''}`;
      case 'deleted':
        return `${quoted} deleted${where}`;
      case 'not found':
        return r.message ?? `${quoted} not found${where}`;
      default:
        return `${name} ${r.outcome}${where}`;
    }
  });
}

/** The failures' messages, for the notification to quote the first. */
export function failures(results: readonly DocumentResult[]): DocumentResult[] {
  return results.filter((r) => r.outcome === 'failed');
}
