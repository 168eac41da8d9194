// Code lenses above each Service and workload document: one applies the document to the
// cluster, one says in a line how its object is doing there (endpoints for a Service, ready
// replicas for a workload) and, for what the cluster tree shows, reveals it there. A lens
// whose command id is empty is a plain label in VS Code, which suits "not applied".

import type { CodeLens, Command } from 'vscode-languageserver';
import type { ClusterView } from '../cluster/clusterView';
import { liveTargetOf } from '../cluster/liveTarget';
import { podIsReady } from '../cluster/selectorChecks';
import type { ManifestFile, PlacedDocument } from '../documents';
import { hasPodTemplate } from '../manifest/podTemplates';
import type { Service } from '../validation/kubeTypes';
import { APPLY_TO_EMULATOR_COMMAND, REVEAL_IN_EXPLORER_COMMAND, type DocumentsParams, type RevealInExplorerArgs } from '../protocol';
import { fileRange, namespaceOf } from './documentPosition';
import { clusterIPText, endpointCounts, externalIPText, isLive } from './serviceFacts';

export function codeLenses(file: ManifestFile, view: ClusterView): CodeLens[] {
  const out: CodeLens[] = [];
  const live = isLive(view);
  const applyTitle = applyTitleFor(view);
  file.documents.forEach((placed, index) => {
    const doc = placed.entry.doc;
    if (doc.unreadable || !doc.kind || !doc.name) return;
    const isService = doc.kind === 'Service' && doc.apiVersion === 'v1';
    if (!isService && !hasPodTemplate(doc.kind)) return;
    const range = fileRange(file, placed, doc.anchorRange());
    const args: DocumentsParams = { uri: file.uri, documents: [index] };
    out.push({ range, command: { title: applyTitle, command: APPLY_TO_EMULATOR_COMMAND, arguments: [args] } });
    if (live) out.push({ range, command: statusCommand(placed, view) });
  });
  return out;
}

/** "Apply to emulator", or the kubeconfig context the requests would write to. */
function applyTitleFor(view: ClusterView): string {
  const source = liveTargetOf(view).target?.source;
  return source?.kind === 'kubeconfig' ? `Apply to context ${source.context}` : 'Apply to emulator';
}

function label(title: string): Command {
  return { title, command: '' };
}

function reveal(title: string, args: RevealInExplorerArgs): Command {
  return { title, command: REVEAL_IN_EXPLORER_COMMAND, arguments: [args] };
}

function statusCommand(placed: PlacedDocument, view: ClusterView): Command {
  const doc = placed.entry.doc;
  const kind = doc.kind ?? '';
  const name = doc.name ?? '';
  const namespace = namespaceOf(doc, view);
  const args: RevealInExplorerArgs = { namespace, kind, name };
  if (kind === 'Service') {
    const svc = view.service(namespace, name);
    return svc ? reveal(serviceStatus(svc, view), args) : label('not applied');
  }
  if (kind === 'Deployment') {
    const dep = view.deployments(namespace).find((d) => d.metadata.name === name);
    if (!dep) return label('not applied');
    return reveal(`${dep.status?.readyReplicas ?? 0}/${dep.spec?.replicas ?? 1} pods ready`, args);
  }
  if (kind === 'Pod') {
    const pod = view.pods(namespace).find((p) => p.metadata.name === name);
    if (!pod) return label('not applied');
    const phase = pod.metadata.deletionTimestamp ? 'Terminating' : pod.status?.phase || 'Unknown';
    const ip = pod.status?.podIP ? ` · ${pod.status.podIP}` : '';
    return reveal(`${phase} · ${podIsReady(pod) ? 'ready' : 'not ready'}${ip}`, args);
  }
  // The cache holds no ReplicaSets, StatefulSets or Jobs; their pods say how they are doing.
  const owned = view.pods(namespace).filter((p) => p.metadata.ownerReferences?.some((o) => o.controller && o.kind === kind && o.name === name));
  if (owned.length === 0) return label('no pods');
  return label(`${owned.filter(podIsReady).length}/${owned.length} pods ready`);
}

function serviceStatus(svc: Service, view: ClusterView): string {
  if (svc.spec?.type === 'ExternalName') return `ExternalName ${svc.spec.externalName ?? ''}`;
  const { ready, total } = endpointCounts(view.endpointSlices(svc.metadata.namespace ?? '', svc.metadata.name ?? ''));
  const endpoints = total === 0 ? 'no endpoints' : `${ready}/${total} endpoints ready`;
  const ip = clusterIPText(svc);
  const address = ip === 'None' ? 'headless' : `ClusterIP ${ip ?? '<none>'}`;
  const external = externalIPText(svc);
  return `${endpoints} · ${address}${external ? ` · external ${external}` : ''}`;
}
