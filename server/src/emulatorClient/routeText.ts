// A dial's route in a few lines, as `ksl curl -v` prints it and "Call Service" shows it.

import type { RouteSummary } from './dialClient';

/** The kube-proxy chains the connection passed (with its DNAT or REJECT), the pod that answered, and why it failed. */
export function routeLines(route: RouteSummary): string[] {
  const lines: string[] = [];
  // The trace holds the whole netfilter walk; the chains kube-proxy wrote for Services tell the story.
  const chains = route.trace.filter((c) => /^nat\/KUBE-(SERVICES|NODEPORTS|SVC|SVL|EXT|FW|SEP)/.test(c)).map((c) => c.slice(4));
  if (route.verdict === 'dnat' && route.podIP) chains.push(`DNAT ${route.podIP}:${route.podPort ?? ''}`);
  if (route.verdict === 'reject') chains.push(...route.trace.filter((c) => /^filter\/KUBE-/.test(c)).map((c) => c.slice(7)), 'REJECT');
  if (chains.length > 0) lines.push(`Routed by kube-proxy: ${chains.join(' -> ')}`);
  if (route.pod) lines.push(`Answered by pod ${route.pod.namespace}/${route.pod.name} (${route.podIP ?? ''}:${route.podPort ?? ''})`);
  if (route.message) lines.push(route.message);
  return lines;
}
