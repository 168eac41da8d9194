// Quick fixes for what the diagnostics report on a Service, and one refactoring:
// - a selector label no pod has → the nearest label that exists (the diagnostic names it);
// - a named targetPort no container declares → the close name that one does;
// - a port without the name a multi-port Service needs → a name (the container port's own,
//   a well-known one for the port number, or `tcp-9000`), unique in the Service;
// - a nodePort out of range or taken → a free one in range;
// - a numeric targetPort → the name the selected containers give that port.
// Every edit is computed against the document's current text, found again by field path.

import { CodeActionKind, type CodeAction, type Diagnostic, type Range, type TextEdit } from 'vscode-languageserver';
import type { ClusterView } from '../cluster/clusterView';
import type { ServiceDoc } from '../cluster/serviceDocument';
import type { ManifestFile, PlacedDocument } from '../documents';
import type { MapEntry } from '../manifest/manifestDocument';
import type { OffsetRange } from '../manifest/positions';
import { documentAtPosition, fileRange, namespaceOf, serviceOf, type DocumentHit } from './documentPosition';
import { freeNodePorts, takenNodePorts } from './freeNodePorts';
import { declaredPorts, portsForTarget, selectedPods } from './selectedContainers';

const WELL_KNOWN_PORT_NAMES: Readonly<Record<number, string>> = {
  22: 'ssh',
  25: 'smtp',
  53: 'dns',
  80: 'http',
  443: 'https',
  2379: 'etcd',
  3306: 'mysql',
  5432: 'postgres',
  6379: 'redis',
  8080: 'http',
  8443: 'https',
  9090: 'metrics',
  27017: 'mongodb',
};

interface Target {
  file: ManifestFile;
  hit: DocumentHit;
  svc: ServiceDoc;
  namespace: string;
  view: ClusterView;
  decoded: Decoded;
}

export function codeActions(file: ManifestFile, range: Range, diagnostics: readonly Diagnostic[], view: ClusterView): CodeAction[] {
  const out: CodeAction[] = [];
  // A request may carry thousands of diagnostics, most in the same document: each document's
  // Service is decoded once per request, not once per diagnostic.
  const services = new Map<PlacedDocument, Decoded | undefined>();
  for (const d of diagnostics) {
    const t = target(file, d.range.start, view, services);
    const action = t ? quickFix(t, d) : undefined;
    if (action) out.push(action);
  }
  const t = target(file, range.start, view, services);
  const refactor = t ? targetPortNameRefactor(t) : undefined;
  if (refactor) out.push(refactor);
  return out;
}

/** What a document decodes to, shared by every position in it within one request. */
interface Decoded {
  svc: ServiceDoc;
  namespace: string;
  /** The selector's entries by key (the first of duplicates), built when a fix first needs them. */
  selector?: Map<string, MapEntry>;
}

function target(file: ManifestFile, position: Range['start'], view: ClusterView, services: Map<PlacedDocument, Decoded | undefined>): Target | undefined {
  const hit = documentAtPosition(file, position);
  if (!hit) return undefined;
  let decoded: Decoded | undefined;
  if (services.has(hit.placed)) decoded = services.get(hit.placed);
  else {
    const svc = serviceOf(hit.doc);
    decoded = svc ? { svc, namespace: namespaceOf(hit.doc, view) } : undefined;
    services.set(hit.placed, decoded);
  }
  if (!decoded) return undefined;
  return { file, hit, svc: decoded.svc, namespace: decoded.namespace, view, decoded };
}

function edit(t: Target, range: OffsetRange, newText: string): TextEdit {
  return { range: fileRange(t.file, t.hit.placed, range), newText };
}

function action(t: Target, title: string, kind: string, edits: TextEdit[], diagnostic?: Diagnostic, preferred = false): CodeAction {
  const a: CodeAction = { title, kind, edit: { changes: { [t.file.uri]: edits } } };
  if (diagnostic) a.diagnostics = [diagnostic];
  if (preferred) a.isPreferred = true;
  return a;
}

function dataOf(d: Diagnostic): Record<string, unknown> {
  return d.data !== null && typeof d.data === 'object' && !Array.isArray(d.data) ? (d.data as Record<string, unknown>) : {};
}

function quickFix(t: Target, d: Diagnostic): CodeAction | undefined {
  const code = typeof d.code === 'string' ? d.code : '';
  const data = dataOf(d);
  const path = Array.isArray(data['path']) ? (data['path'] as unknown[]) : [];
  if (code === 'ksl/selector-matches-no-pod' && typeof data['suggestedValue'] === 'string' && path[1] === 'selector' && typeof path[2] === 'string') {
    return selectorFix(t, d, path[2], typeof data['suggestedKey'] === 'string' ? data['suggestedKey'] : path[2], data['suggestedValue']);
  }
  if (code === 'ksl/target-port-name-not-declared' && typeof data['suggestedValue'] === 'string' && typeof path[2] === 'number') {
    const loc = t.hit.doc.locate(['spec', 'ports', path[2], 'targetPort'], 'value');
    if (!loc.exact) return undefined;
    return action(t, `Change targetPort to "${data['suggestedValue']}"`, CodeActionKind.QuickFix, [edit(t, loc.range, data['suggestedValue'])], d, true);
  }
  const field = /^spec\.ports\[(\d+)\]\.(name|nodePort)$/.exec(code);
  if (!field) return undefined;
  const index = Number(field[1]);
  const message = typeof d.message === 'string' ? d.message : d.message.value;
  if (field[2] === 'name' && message.endsWith('Required value')) return portNameFix(t, d, index);
  if (field[2] === 'nodePort' && /not in the valid range|already allocated/.test(message)) return nodePortFix(t, d, index);
  return undefined;
}

function selectorFix(t: Target, d: Diagnostic, key: string, newKey: string, newValue: string): CodeAction | undefined {
  const entry = selectorEntries(t).get(key);
  if (!entry) return undefined;
  const edits: TextEdit[] = [];
  if (newKey !== key) edits.push(edit(t, entry.keyRange, newKey));
  if (entry.value !== newValue) edits.push(edit(t, entry.valueRange, newValue));
  if (edits.length === 0) return undefined;
  return action(t, `Change the selector to ${newKey}=${newValue}`, CodeActionKind.QuickFix, edits, d, true);
}

function selectorEntries(t: Target): Map<string, MapEntry> {
  if (!t.decoded.selector) {
    const byKey = new Map<string, MapEntry>();
    for (const e of t.hit.doc.mapEntries(['spec', 'selector'])) if (!byKey.has(e.key)) byKey.set(e.key, e);
    t.decoded.selector = byKey;
  }
  return t.decoded.selector;
}

function portNameFix(t: Target, d: Diagnostic, index: number): CodeAction | undefined {
  const doc = t.hit.doc;
  const first = doc.locate(['spec', 'ports', index], 'key');
  if (!first.exact) return undefined;
  const name = portName(t, index);
  const start = first.range.start;
  const lineStart = doc.lines.lineStart(doc.lines.positionAt(start).line);
  const before = doc.text.slice(lineStart, start).trimEnd();
  // In a flow mapping (`- {port: 80}`) the name joins the same line; in a block mapping it
  // takes its own line at the item's indentation, above the first key.
  const inFlow = before.endsWith('{') || before.endsWith(',');
  const text = inFlow ? `name: ${name}, ` : `name: ${name}\n${' '.repeat(start - lineStart)}`;
  return action(t, `Name the port "${name}"`, CodeActionKind.QuickFix, [edit(t, { start, end: start }, text)], d, true);
}

/** A name for port `index`: what the container calls its target, else a conventional one; unique in the Service. */
function portName(t: Target, index: number): string {
  const spec = (t.hit.doc.object?.['spec'] ?? {}) as { ports?: unknown };
  const used = new Set<string>();
  if (Array.isArray(spec.ports)) {
    for (const p of spec.ports) {
      const n = p && typeof p === 'object' ? (p as Record<string, unknown>)['name'] : undefined;
      if (typeof n === 'string' && n) used.add(n);
    }
  }
  const port = t.svc.ports.find((p) => p.index === index);
  const target = port?.targetPort ?? port?.port;
  const protocol = port?.protocol ?? 'TCP';
  let base: string;
  if (typeof target === 'string') base = target;
  else {
    const fromContainer = target !== undefined ? portsForTarget(declaredPorts(selectedPods(t.view, t.svc, t.namespace)), target, protocol).find((p) => p.name)?.name : undefined;
    const wellKnown = port?.port !== undefined ? WELL_KNOWN_PORT_NAMES[port.port] : undefined;
    base = fromContainer ?? (wellKnown ? (protocol === 'TCP' ? wellKnown : `${wellKnown}-${protocol.toLowerCase()}`) : `${protocol.toLowerCase()}-${port?.port ?? index + 1}`);
  }
  if (!used.has(base)) return base;
  const withPort = `${base}-${port?.port ?? index + 1}`;
  if (!used.has(withPort)) return withPort;
  for (let n = 2; ; n++) if (!used.has(`${base}-${n}`)) return `${base}-${n}`;
}

function nodePortFix(t: Target, d: Diagnostic, index: number): CodeAction | undefined {
  const loc = t.hit.doc.locate(['spec', 'ports', index, 'nodePort'], 'value');
  if (!loc.exact) return undefined;
  const port = t.svc.ports.find((p) => p.index === index);
  const [free] = freeNodePorts(takenNodePorts(t.view, t.svc, t.namespace, index), port?.port, 1);
  if (free === undefined) return undefined;
  return action(t, `Use the free nodePort ${free}`, CodeActionKind.QuickFix, [edit(t, loc.range, String(free))], d, true);
}

/** On a numeric targetPort (at the start of the requested range). */
function targetPortNameRefactor(t: Target): CodeAction | undefined {
  const node = t.hit.doc.nodeAt(t.hit.offset);
  if (!node || node.on !== 'value' || node.path.length !== 4 || node.path[1] !== 'ports' || node.path[3] !== 'targetPort' || typeof node.path[2] !== 'number') return undefined;
  const index = node.path[2];
  const port = t.svc.ports.find((p) => p.index === index);
  if (!port || typeof port.targetPort !== 'number') return undefined;
  const names = new Set(
    portsForTarget(declaredPorts(selectedPods(t.view, t.svc, t.namespace)), port.targetPort, port.protocol)
      .map((p) => p.name)
      .filter((n): n is string => !!n),
  );
  // Pods that call the port by different names would each resolve their own: no single name fits.
  if (names.size !== 1) return undefined;
  const [name] = names;
  return action(t, `Use the container port's name "${name}" for targetPort ${port.targetPort}`, CodeActionKind.RefactorRewrite, [edit(t, node.range, name!)]);
}
