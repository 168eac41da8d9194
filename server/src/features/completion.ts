// Completion in Service documents: selector keys and values from the pods that exist (live
// pods and the workspace's pod templates), the values of the enum fields, targetPort names
// from the containers the selector picks, and a free nodePort. The caret's field comes from
// the text's indentation (caretContext.ts), since a line being typed rarely parses.

import { CompletionItemKind, MarkupKind, type CompletionItem, type Range } from 'vscode-languageserver';
import type { ClusterView } from '../cluster/clusterView';
import { defaultNamespaceOf } from '../cluster/defaultNamespace';
import { plural } from '../cluster/findingWording';
import { podTemplateOf, templatePod } from '../cluster/podTemplates';
import { podMatches } from '../cluster/selectorChecks';
import { readServiceDocument, type ServiceDoc } from '../cluster/serviceDocument';
import type { ManifestFile } from '../documents';
import type { ManifestDocument } from '../manifest/manifestDocument';
import type { Position } from '../manifest/positions';
import type { KubeObject, Pod } from '../validation/kubeTypes';
import { caretContext, type CaretContext } from './caretContext';
import { documentAtPosition, fileRange } from './documentPosition';
import { formatFieldPath } from './finding';
import { freeNodePorts, takenNodePorts } from './freeNodePorts';
import { declaredPorts } from './selectedContainers';

type Choice = [value: string, description: string];

const enums: Readonly<Record<string, readonly Choice[]>> = {
  'spec.type': [
    ['ClusterIP', 'A virtual IP reachable inside the cluster (the default).'],
    ['NodePort', 'A ClusterIP, plus a port (30000-32767) on every node that forwards to it.'],
    ['LoadBalancer', "A NodePort, plus an external load balancer from the cloud (or the emulator's tunnel)."],
    ['ExternalName', 'A DNS CNAME to spec.externalName; no ClusterIP, no proxying, no endpoints.'],
  ],
  'spec.ports[].protocol': [
    ['TCP', 'The default.'],
    ['UDP', 'For DNS and other datagram services.'],
    ['SCTP', 'Stream Control Transmission Protocol.'],
  ],
  'spec.sessionAffinity': [
    ['None', 'Each connection may go to any endpoint (the default).'],
    ['ClientIP', 'Connections from one client IP stay on one endpoint (for 3 hours unless sessionAffinityConfig says otherwise).'],
  ],
  'spec.externalTrafficPolicy': [
    ['Cluster', 'Traffic from outside may go to endpoints on any node; the client source IP is replaced (the default).'],
    ['Local', "Traffic from outside goes only to endpoints on the node that received it, which keeps the client's source IP."],
  ],
  'spec.internalTrafficPolicy': [
    ['Cluster', 'Traffic from pods may go to any endpoint (the default).'],
    ['Local', "Traffic from pods goes only to endpoints on the sending pod's node."],
  ],
  'spec.ipFamilyPolicy': [
    ['SingleStack', 'One IP family (the default).'],
    ['PreferDualStack', 'Both families when the cluster has them, one otherwise.'],
    ['RequireDualStack', 'Both families, or the Service is rejected.'],
  ],
};

export function completion(file: ManifestFile, position: Position, view: ClusterView, workspace: readonly KubeObject[]): CompletionItem[] {
  const hit = documentAtPosition(file, position);
  if (!hit) return [];
  const ctx = caretContext(hit.doc.text, hit.offset);
  if (!ctx || kindOf(hit.doc) !== 'Service') return [];
  const range = fileRange(file, hit.placed, ctx.range);
  const shape = formatFieldPath(ctx.path.map((seg) => (typeof seg === 'number' ? -1 : seg))).replace(/\[-1\]/g, '[]');
  const svc = hit.doc.object ? readServiceDocument(hit.doc.object as KubeObject) : undefined;
  const namespace = hit.doc.namespace || defaultNamespaceOf(view);

  if (ctx.on === 'value' && enums[shape]) return enums[shape]!.map(([value, doc], i) => item(value, CompletionItemKind.EnumMember, range, value, i, undefined, doc));
  if (ctx.path[0] !== 'spec') return [];
  if (ctx.path[1] === 'selector' && ctx.path.length === 3) {
    const labels = labelCounts(podsFor(view, workspace, namespace));
    return ctx.on === 'key' ? selectorKeyItems(labels, selectorKeysIn(hit.doc, ctx), range) : selectorValueItems(labels, String(ctx.path[2]), range);
  }
  if (ctx.on !== 'value' || ctx.path[1] !== 'ports' || typeof ctx.path[2] !== 'number' || ctx.path.length !== 4 || !svc) return [];
  const index = ctx.path[2];
  if (ctx.path[3] === 'targetPort') return targetPortItems(svc, index, podsFor(view, workspace, namespace), range);
  if (ctx.path[3] === 'nodePort') {
    const port = svc.ports.find((p) => p.index === index)?.port;
    return freeNodePorts(takenNodePorts(view, svc, namespace, index), port, 2).map((n, i) => item(String(n), CompletionItemKind.Value, range, String(n), i, 'free nodePort'));
  }
  return [];
}

/** The kind, also for a document that does not parse while it is being typed. */
function kindOf(doc: ManifestDocument): string | undefined {
  return doc.kind ?? /^kind:[ \t]*["']?([A-Za-z]+)/m.exec(doc.text)?.[1];
}

function item(label: string, kind: CompletionItemKind, range: Range, newText: string, rank: number, detail?: string, documentation?: string): CompletionItem {
  const out: CompletionItem = { label, kind, textEdit: { range, newText }, sortText: String(rank).padStart(4, '0') };
  if (detail) out.detail = detail;
  if (documentation) out.documentation = { kind: MarkupKind.Markdown, value: documentation };
  return out;
}

/**
 * The pods a selector can be written for: the namespace's pods in the view, and the
 * workspace's pod templates too when the view is a live cluster (a workspace view already
 * consists of them).
 */
function podsFor(view: ClusterView, workspace: readonly KubeObject[], namespace: string): { live: readonly Pod[]; templates: Pod[] } {
  if (view.source.kind === 'workspace') return { live: [], templates: [...view.pods(namespace)] };
  const fallback = defaultNamespaceOf(view);
  const templates: Pod[] = [];
  for (const obj of workspace) {
    const t = obj && typeof obj === 'object' ? podTemplateOf(obj, fallback) : undefined;
    if (t && t.namespace === namespace) templates.push(templatePod(t));
  }
  return { live: view.pods(namespace), templates };
}

interface LabelCount {
  key: string;
  value: string;
  live: number;
  templates: number;
}

function labelCounts(pods: { live: readonly Pod[]; templates: readonly Pod[] }): LabelCount[] {
  const out = new Map<string, LabelCount>();
  const add = (list: readonly Pod[], field: 'live' | 'templates'): void => {
    for (const pod of list) {
      for (const [key, value] of Object.entries(pod.metadata.labels ?? {})) {
        if (typeof value !== 'string') continue;
        const id = `${key}\u0000${value}`;
        const entry = out.get(id) ?? { key, value, live: 0, templates: 0 };
        entry[field]++;
        out.set(id, entry);
      }
    }
  };
  add(pods.live, 'live');
  add(pods.templates, 'templates');
  return [...out.values()].sort((a, b) => b.live + b.templates - (a.live + a.templates) || a.key.localeCompare(b.key) || a.value.localeCompare(b.value));
}

function whoHas(live: number, templates: number): string {
  const parts: string[] = [];
  if (live > 0) parts.push(plural(live, 'pod'));
  if (templates > 0) parts.push(plural(templates, 'workspace pod template'));
  return parts.join(', ');
}

/** The selector keys already written, other than the one being typed. */
function selectorKeysIn(doc: ManifestDocument, ctx: CaretContext): Set<string> {
  return new Set(doc.mapEntries(['spec', 'selector']).map((e) => e.key).filter((k) => k !== ctx.prefix));
}

function selectorKeyItems(labels: readonly LabelCount[], written: ReadonlySet<string>, range: Range): CompletionItem[] {
  const out: CompletionItem[] = [];
  const keys = new Map<string, { live: number; templates: number }>();
  for (const l of labels) {
    if (written.has(l.key)) continue;
    out.push({ ...item(`${l.key}: ${l.value}`, CompletionItemKind.Value, range, `${l.key}: ${l.value}`, out.length, whoHas(l.live, l.templates)), filterText: l.key });
    const k = keys.get(l.key) ?? { live: 0, templates: 0 };
    k.live += l.live;
    k.templates += l.templates;
    keys.set(l.key, k);
  }
  for (const [key, k] of keys) out.push(item(key, CompletionItemKind.Property, range, `${key}: `, out.length, `label key on ${whoHas(k.live, k.templates)}`));
  return out;
}

function selectorValueItems(labels: readonly LabelCount[], key: string, range: Range): CompletionItem[] {
  return labels.filter((l) => l.key === key).map((l, i) => item(l.value, CompletionItemKind.Value, range, l.value, i, whoHas(l.live, l.templates)));
}

function targetPortItems(svc: ServiceDoc, index: number, pods: { live: readonly Pod[]; templates: readonly Pod[] }, range: Range): CompletionItem[] {
  const port = svc.ports.find((p) => p.index === index);
  const protocol = port?.protocol ?? 'TCP';
  const selector = svc.selector;
  const selected = selector ? [...pods.live, ...pods.templates].filter((p) => podMatches(p, selector)) : [];
  const declared = declaredPorts(selected).filter((d) => d.protocol === protocol);
  const named = declared.filter((d) => d.name).sort((a, b) => a.name!.localeCompare(b.name!));
  const numbered = declared.filter((d) => !d.name).sort((a, b) => a.port - b.port);
  const out: CompletionItem[] = [];
  const seen = new Set<string>();
  for (const d of [...named, ...numbered]) {
    const text = d.name ?? String(d.port);
    if (seen.has(text)) continue;
    seen.add(text);
    out.push(item(text, d.name ? CompletionItemKind.Reference : CompletionItemKind.Value, range, text, out.length, `container ${d.container} port ${d.port}/${d.protocol}`));
  }
  return out;
}
