// The cluster-aware checks of one Service document, run against whatever view the server has:
// the selector against the namespace's pods, readiness of the pods it selects, targetPorts
// against their containers, nodePorts against the cluster's allocations, and the file against
// the cluster's copy. With the workspace view the pods are the workspace's pod templates, so
// only the checks that make sense without a live cluster run, and the messages say so.

import type { Finding } from '../features/finding';
import type { ClusterView } from './clusterView';
import { defaultNamespaceOf } from './defaultNamespace';
import type { PodOrigin } from './findingWording';
import { nodePortFindings } from './nodePortChecks';
import { matchingPods, noReadyPodFindings, unmatchedSelectorFindings } from './selectorChecks';
import { readServiceDocument } from './serviceDocument';
import { driftFindings } from './serviceDrift';
import { targetPortFindings } from './targetPortChecks';
import type { KubeObject } from '../validation/kubeTypes';

export function clusterFindings(object: KubeObject, view: ClusterView): Finding[] {
  try {
    return check(object, view);
  } catch {
    // A document shaped in a way no check foresaw gets no cluster findings rather than
    // breaking diagnostics for the whole file; its validation findings still say what is wrong.
    return [];
  }
}

function check(object: KubeObject, view: ClusterView): Finding[] {
  const kind = view.source.kind;
  if (kind === 'none') return [];
  const svc = readServiceDocument(object);
  if (!svc) return [];
  const origin: PodOrigin = kind === 'workspace' ? 'workspace' : 'cluster';
  const live = origin === 'cluster';
  // A live cache that is not connected is empty or stale; findings from it would mislead.
  if (live && !view.connected) return [];
  const namespace = svc.namespace ?? defaultNamespaceOf(view);
  const out: Finding[] = [];

  // ExternalName Services have no selector semantics and no endpoints: nothing to match.
  if (svc.type !== 'ExternalName' && svc.selector) {
    const pods = view.pods(namespace);
    const selector = svc.selector;
    const matched = matchingPods(pods, selector);
    if (matched.length === 0) out.push(...unmatchedSelectorFindings(svc, pods, namespace, origin));
    else {
      if (live) out.push(...noReadyPodFindings(svc, matched));
      out.push(...targetPortFindings(svc, matched, origin));
    }
  }
  if (live) {
    out.push(...nodePortFindings(svc, namespace, view));
    const existing = svc.name ? view.service(namespace, svc.name) : undefined;
    if (existing) out.push(...driftFindings(object, existing));
  }
  return out;
}
