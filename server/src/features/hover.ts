// Hover on a Service document: what the cluster made of it. On the name: type, addresses,
// DNS names, each port's way from port to targetPort to nodePort to a host URL, and the
// endpoints table. On the selector: the pods it matches. On a targetPort: the containers
// that expose it. On a nodePort: where the host reaches it. The text is Markdown.

import { MarkupKind, type Hover } from 'vscode-languageserver';
import type { ClusterView } from '../cluster/clusterView';
import { listText, podCount, selectedPods as selectedPodsText, type PodOrigin } from '../cluster/findingWording';
import { podIsReady } from '../cluster/selectorChecks';
import type { ServiceDoc } from '../cluster/serviceDocument';
import type { ManifestFile } from '../documents';
import type { Position } from '../manifest/positions';
import type { Pod, Service } from '../validation/kubeTypes';
import { documentAtPosition, fileRange, namespaceOf, serviceOf } from './documentPosition';
import type { FieldPathSegment } from './finding';
import { declaredPorts, portsForTarget, selectedPods } from './selectedContainers';
import { allEndpoints, clusterDomainOf, clusterIPText, dnsNames, endpointCounts, externalIPText, isLive, nodePortReach } from './serviceFacts';

export function hover(file: ManifestFile, position: Position, view: ClusterView): Hover | null {
  const hit = documentAtPosition(file, position);
  if (!hit) return null;
  const svc = serviceOf(hit.doc);
  const node = svc ? hit.doc.nodeAt(hit.offset) : undefined;
  if (!svc || !node) return null;
  const value = hoverText(node.path, svc, namespaceOf(hit.doc, view), view);
  if (!value) return null;
  return { contents: { kind: MarkupKind.Markdown, value }, range: fileRange(file, hit.placed, node.range) };
}

function hoverText(path: FieldPathSegment[], svc: ServiceDoc, namespace: string, view: ClusterView): string | undefined {
  const [a, b, c, d] = path;
  if (a === 'metadata' && b === 'name' && path.length === 2) return serviceText(svc, namespace, view);
  if (a !== 'spec') return undefined;
  if (b === 'selector') return selectorText(svc, namespace, view);
  if (b === 'ports' && typeof c === 'number' && path.length === 4) {
    const port = svc.ports.find((p) => p.index === c);
    if (!port) return undefined;
    if (d === 'targetPort' && port.targetPort !== undefined) return targetPortText(port.targetPort, port.protocol, svc, namespace, view);
    if (d === 'nodePort' && port.nodePort !== undefined) return nodePortText(port.nodePort, `${port.port ?? '?'}/${port.protocol}`, namespace, svc, view);
  }
  return undefined;
}

/** Inline code that survives any text (backticks cannot close it early). */
function code(text: string): string {
  const clean = text.replace(/`/g, "'");
  return `\`${clean}\``;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function table(header: string[], rows: string[][]): string[] {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];
}

function originOf(view: ClusterView): PodOrigin {
  return view.source.kind === 'workspace' ? 'workspace' : 'cluster';
}

function serviceText(svc: ServiceDoc, namespace: string, view: ClusterView): string {
  const name = svc.name ?? '';
  const live = isLive(view) ? view.service(namespace, name) : undefined;
  const type = live?.spec?.type || svc.type;
  const lines = [`**Service** ${code(`${namespace}/${name}`)} · ${type}`, ''];
  const names = dnsNames(name, namespace, clusterDomainOf(view))
    .map(code)
    .join(' · ');
  if (!live) {
    lines.push(isLive(view) ? `Not applied to ${view.describe()}: no ClusterIP or endpoints yet.` : `No cluster: ${view.describe()}.`, '');
    lines.push(`**DNS** (once applied) ${names}`);
    return lines.join('\n');
  }
  lines.push(addressLine(live), '', `**DNS** ${names}`);
  if (type === 'ExternalName') return lines.join('\n');
  const ports = Array.isArray(live.spec.ports) ? live.spec.ports : [];
  if (ports.length > 0) {
    lines.push('', '**Ports**');
    for (const p of ports) {
      const protocol = p.protocol || 'TCP';
      let line = `- ${p.name ? `${code(p.name)} ` : ''}${p.port}/${protocol} → targetPort ${p.targetPort ?? p.port}`;
      if (p.nodePort) line += ` → nodePort ${p.nodePort} → ${nodePortReach(view, p.nodePort).text}`;
      lines.push(line);
    }
  }
  lines.push('', ...endpointsSection(live, namespace, view));
  return lines.join('\n');
}

function addressLine(live: Service): string {
  const spec = live.spec ?? {};
  if (spec.type === 'ExternalName') return `External name ${code(spec.externalName ?? '')}: the DNS names are CNAMEs to it`;
  const ip = clusterIPText(live);
  if (ip === 'None') return `ClusterIP ${code('None')}: headless, the DNS names resolve to the ready pods' IPs`;
  const external = externalIPText(live);
  return `ClusterIP ${code(ip ?? '<none>')}${external ? ` · External IP ${code(external)}` : ''}`;
}

function endpointsSection(live: Service, namespace: string, view: ClusterView): string[] {
  const name = live.metadata.name ?? '';
  const slices = view.endpointSlices(namespace, name);
  const endpoints = allEndpoints(slices);
  if (endpoints.length === 0) {
    const selector = live.spec.selector ?? {};
    const why = Object.keys(selector).length === 0 ? 'the Service has no selector, so its endpoints are managed by hand' : 'no pod that the selector matches is running';
    return [`**Endpoints** none: ${why}`];
  }
  const { ready, total } = endpointCounts(slices);
  const rows = endpoints.map((e) => [e.pod ?? '', `${e.ip}:${e.port}`, e.ready ? 'yes' : 'no', e.node ?? '']);
  return [`**Endpoints** ${ready}/${total} ready`, '', ...table(['Pod', 'IP:port', 'Ready', 'Node'], rows)];
}

function selectorLabel(svc: ServiceDoc): string {
  return (svc.selector ?? []).map(([k, v]) => `${k}=${v}`).join(',');
}

function podPhase(pod: Pod): string {
  return pod.metadata.deletionTimestamp ? 'Terminating' : pod.status?.phase || 'Unknown';
}

function selectorText(svc: ServiceDoc, namespace: string, view: ClusterView): string {
  if (!svc.selector) return '**Selector** empty: the Service selects no pods, so its endpoints are managed by hand';
  const origin = originOf(view);
  const pods = selectedPods(view, svc, namespace);
  const head = `**Selector** ${code(selectorLabel(svc))} matches`;
  if (origin === 'workspace') {
    if (pods.length === 0) return `${head} no pod template in the workspace in ${code(namespace)} (no cluster is connected)`;
    const items = pods.map((p) => `- ${p.metadata.ownerReferences?.find((o) => o.controller)?.kind ?? 'Pod'} ${code(ownerName(p))}`);
    return [`${head} ${podCount(pods.length, origin)} in the workspace in ${code(namespace)} (no cluster is connected)`, '', ...items].join('\n');
  }
  if (pods.length === 0) return `${head} no pod in ${code(namespace)}`;
  const ready = pods.filter(podIsReady).length;
  const sorted = [...pods].sort((x, y) => (x.metadata.name ?? '').localeCompare(y.metadata.name ?? ''));
  const rows = sorted.map((p) => [p.metadata.name ?? '', podPhase(p), podIsReady(p) ? 'yes' : 'no', p.status?.podIP ?? '']);
  return [`${head} ${podCount(pods.length, origin)} in ${code(namespace)}, ${ready} ready`, '', ...table(['Pod', 'Phase', 'Ready', 'IP'], rows)].join('\n');
}

/** The workload a template pod stands for, or the pod's own name. */
function ownerName(pod: Pod): string {
  return pod.metadata.ownerReferences?.find((o) => o.controller)?.name ?? pod.metadata.name ?? '';
}

function targetPortText(target: number | string, protocol: string, svc: ServiceDoc, namespace: string, view: ClusterView): string {
  const head = `**targetPort** ${code(String(target))}`;
  if (!svc.selector) return `${head}: the Service has no selector, so no container is chosen by it`;
  const origin = originOf(view);
  const pods = selectedPods(view, svc, namespace);
  if (pods.length === 0) return `${head}: the selector matches no ${origin === 'cluster' ? 'pod' : 'pod template'} in ${code(namespace)}`;
  const exposing = portsForTarget(declaredPorts(pods), target, protocol);
  if (exposing.length === 0) {
    const they = typeof target === 'number' ? `${target}/${protocol}` : `a port named ${code(target)} for ${protocol}`;
    return `${head}: no container of ${selectedPodsText(pods.length, origin)} declares ${they}`;
  }
  const items = exposing.map((p) => {
    const port = `${p.port}/${p.protocol}${p.name ? ` (${code(p.name)})` : ''}`;
    return `- container ${code(p.container)} port ${port} in ${podCount(p.pods.length, origin)}: ${listText(p.pods)}`;
  });
  return [`${head} is exposed by`, '', ...items].join('\n');
}

function nodePortText(nodePort: number, servicePort: string, namespace: string, svc: ServiceDoc, view: ClusterView): string {
  const reach = nodePortReach(view, nodePort);
  return `**nodePort** ${code(String(nodePort))} reaches port ${servicePort} of ${code(`${namespace}/${svc.name ?? ''}`)} from outside the cluster at ${reach.text}`;
}
