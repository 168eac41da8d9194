// The outline: one symbol per object document (`Service web`, `Deployment web`), with a
// Service's ports and a workload's containers beneath it. Documents that do not parse, or
// that hold no object, have no symbol.

import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import type { ManifestFile, PlacedDocument } from '../documents';
import type { ManifestDocument } from '../manifest/manifestDocument';
import { podTemplateOf } from '../manifest/podTemplates';
import type { FieldPathSegment } from './finding';
import { fileRange, serviceOf } from './documentPosition';

const kinds: Readonly<Record<string, SymbolKind>> = {
  Service: SymbolKind.Interface,
  Deployment: SymbolKind.Class,
  ReplicaSet: SymbolKind.Class,
  StatefulSet: SymbolKind.Class,
  DaemonSet: SymbolKind.Class,
  Job: SymbolKind.Class,
  CronJob: SymbolKind.Class,
  Pod: SymbolKind.Object,
  Namespace: SymbolKind.Namespace,
  ConfigMap: SymbolKind.Constant,
  Secret: SymbolKind.Constant,
};

export function documentSymbols(file: ManifestFile): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  for (const placed of file.documents) {
    const symbol = documentSymbol(file, placed);
    if (symbol) out.push(symbol);
  }
  return out;
}

function documentSymbol(file: ManifestFile, placed: PlacedDocument): DocumentSymbol | undefined {
  const doc = placed.entry.doc;
  if (doc.unreadable || !doc.object || doc.range.end <= doc.range.start) return undefined;
  const kind = doc.kind ?? 'Object';
  const nameLoc = doc.locate(['metadata', 'name'], 'value');
  const symbol: DocumentSymbol = {
    name: `${kind} ${doc.name ?? '(unnamed)'}`,
    kind: kinds[kind] ?? SymbolKind.Module,
    range: fileRange(file, placed, doc.range),
    selectionRange: fileRange(file, placed, nameLoc.exact ? nameLoc.range : doc.anchorRange()),
    children: children(file, placed, doc),
  };
  if (doc.namespace) symbol.detail = doc.namespace;
  return symbol;
}

function child(file: ManifestFile, placed: PlacedDocument, doc: ManifestDocument, path: FieldPathSegment[], name: string, kind: SymbolKind, detail?: string): DocumentSymbol | undefined {
  const item = doc.locate(path, 'value');
  const key = doc.locate(path, 'key');
  if (!item.exact || !key.exact) return undefined;
  const symbol: DocumentSymbol = { name, kind, range: fileRange(file, placed, item.range), selectionRange: fileRange(file, placed, key.range) };
  if (detail) symbol.detail = detail;
  return symbol;
}

function children(file: ManifestFile, placed: PlacedDocument, doc: ManifestDocument): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  const svc = serviceOf(doc);
  if (svc) {
    for (const p of svc.ports) {
      const name = `${p.port ?? '?'}/${p.protocol}`;
      const target = p.targetPort !== undefined ? `→ ${p.targetPort}` : undefined;
      const named = (doc.object?.['spec'] as { ports?: { name?: unknown }[] } | undefined)?.ports?.[p.index]?.name;
      const s = child(file, placed, doc, ['spec', 'ports', p.index], typeof named === 'string' && named ? `${named} ${name}` : name, SymbolKind.Field, target);
      if (s) out.push(s);
    }
    return out;
  }
  const template = podTemplateOf(doc.object);
  const containers = template?.template.spec?.containers;
  if (!template || !Array.isArray(containers)) return out;
  containers.forEach((c, i) => {
    const name = c && typeof c === 'object' && typeof c.name === 'string' ? c.name : `container ${i}`;
    const image = c && typeof c === 'object' && typeof c.image === 'string' ? c.image : undefined;
    const s = child(file, placed, doc, [...template.path, 'spec', 'containers', i], name, SymbolKind.Object, image);
    if (s) out.push(s);
  });
  return out;
}
