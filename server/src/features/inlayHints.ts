// Inlay hints on Service documents, from the live cluster only (the workspace's templates
// have no addresses to show): the ClusterIP after metadata.name, each port's endpoints after
// the port, how many selected pods are ready after the selector, and the host URL after a
// nodePort. A hint is placed at the end of the text it annotates.

import type { InlayHint, Range } from 'vscode-languageserver';
import type { ClusterView } from '../cluster/clusterView';
import { podIsReady } from '../cluster/selectorChecks';
import type { ManifestFile, PlacedDocument } from '../documents';
import type { Position } from '../manifest/positions';
import type { Service, ServicePort } from '../validation/kubeTypes';
import { namespaceOf, serviceOf } from './documentPosition';
import { selectedPods } from './selectedContainers';
import { clusterIPText, externalIPText, isLive, nodePortReach, portEndpoints } from './serviceFacts';

/** How many endpoints a port's hint names before it counts the rest (`+1`). */
const ENDPOINTS_SHOWN = 2;

export function inlayHints(file: ManifestFile, range: Range, view: ClusterView): InlayHint[] {
  if (!isLive(view)) return [];
  const out: InlayHint[] = [];
  const docs = file.documents;
  for (let i = 0; i < docs.length; i++) {
    const placed = docs[i]!;
    if (placed.line > range.end.line) break;
    const next = docs[i + 1];
    if (next && next.line <= range.start.line) continue;
    for (const hint of documentHints(placed, view)) if (within(hint.position, range)) out.push(hint);
  }
  return out;
}

function within(p: Position, r: Range): boolean {
  const afterStart = p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character);
  const beforeEnd = p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character);
  return afterStart && beforeEnd;
}

function documentHints(placed: PlacedDocument, view: ClusterView): InlayHint[] {
  const doc = placed.entry.doc;
  const svc = serviceOf(doc);
  if (!svc?.name) return [];
  const namespace = namespaceOf(doc, view);
  const live = view.service(namespace, svc.name);
  const out: InlayHint[] = [];
  const at = (offset: number, label: string, tooltip?: string): void => {
    const p = doc.lines.positionAt(offset);
    const hint: InlayHint = { position: { line: p.line + placed.line, character: p.character }, label, paddingLeft: true };
    if (tooltip) hint.tooltip = tooltip;
    out.push(hint);
  };
  const valueEnd = (path: (string | number)[]): number | undefined => {
    const loc = doc.locate(path, 'value');
    return loc.exact ? loc.range.end : undefined;
  };

  const nameEnd = valueEnd(['metadata', 'name']);
  if (nameEnd !== undefined) at(nameEnd, live ? addressLabel(live) : 'not applied', live ? undefined : `Service ${namespace}/${svc.name} is not in ${view.describe()}`);
  if (!live) return out;

  const selectorEnd = selectorHintOffset(doc.text, doc.locate(['spec', 'selector'], 'key'), doc.locate(['spec', 'selector'], 'value'));
  if (selectorEnd !== undefined && svc.selector) {
    const pods = selectedPods(view, svc, namespace);
    at(selectorEnd, pods.length === 0 ? 'no pods' : `${pods.filter(podIsReady).length}/${pods.length} ready`);
  }

  const slices = view.endpointSlices(namespace, svc.name);
  for (const port of svc.ports) {
    const livePort = matchingPort(live, port.port, port.protocol);
    const portEnd = valueEnd(['spec', 'ports', port.index, 'port']);
    if (livePort && portEnd !== undefined) {
      at(portEnd, endpointsLabel(portEndpoints(slices, livePort)));
      if (port.nodePort === undefined && livePort.nodePort) at(portEnd, `nodePort ${livePort.nodePort} → ${nodePortReach(view, livePort.nodePort).url ?? `<node IP>:${livePort.nodePort}`}`);
    }
    const nodePortEnd = valueEnd(['spec', 'ports', port.index, 'nodePort']);
    if (port.nodePort !== undefined && nodePortEnd !== undefined) {
      const reach = nodePortReach(view, port.nodePort);
      at(nodePortEnd, `→ ${reach.url ?? `<node IP>:${port.nodePort}`}`, reach.url ? undefined : reach.text);
    }
  }
  return out;
}

/** What `kubectl get svc` would show for the Service's addresses. */
function addressLabel(live: Service): string {
  if (live.spec?.type === 'ExternalName') return `CNAME ${live.spec.externalName ?? ''}`;
  const ip = clusterIPText(live) ?? '<none>';
  const external = externalIPText(live);
  return `ClusterIP ${ip}${external ? ` · external ${external}` : ''}`;
}

function matchingPort(live: Service, port: number | undefined, protocol: string): ServicePort | undefined {
  if (port === undefined) return undefined;
  return (live.spec?.ports ?? []).find((p) => p.port === port && (p.protocol || 'TCP') === protocol);
}

function endpointsLabel(endpoints: ReturnType<typeof portEndpoints>): string {
  const ready = endpoints.filter((e) => e.ready);
  const notReady = endpoints.length - ready.length;
  if (ready.length === 0) return notReady > 0 ? `→ no ready endpoints (${notReady} not ready)` : '→ no endpoints';
  const shown = ready.slice(0, ENDPOINTS_SHOWN).map((e) => `${e.ip}:${e.port}`);
  const more = ready.length - shown.length;
  return `→ ${shown.join(', ')}${more > 0 ? ` +${more}` : ''}`;
}

/**
 * Where the selector's hint goes: after a flow mapping written on the key's line
 * (`selector: {app: web}`), otherwise just after the key's colon.
 */
function selectorHintOffset(text: string, key: { range: { start: number; end: number }; exact: boolean }, value: { range: { start: number; end: number }; exact: boolean }): number | undefined {
  if (!key.exact) return undefined;
  const lineEnd = text.indexOf('\n', key.range.end);
  const endOfLine = lineEnd < 0 ? text.length : lineEnd;
  if (value.exact && value.range.start < endOfLine && value.range.start > key.range.end) return value.range.end;
  const colon = text.indexOf(':', key.range.end);
  return colon >= 0 && colon < endOfLine ? colon + 1 : undefined;
}
