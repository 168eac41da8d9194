// From a position in a file to the document under it and back. Features reason in one
// document's offsets (that is what the manifest parser gives) and answer in the file's
// positions (that is what the editor wants); these helpers are the two crossings.

import type { ManifestFile, PlacedDocument } from '../documents';
import type { ClusterView } from '../cluster/clusterView';
import { defaultNamespaceOf } from '../cluster/defaultNamespace';
import { readServiceDocument, type ServiceDoc } from '../cluster/serviceDocument';
import type { ManifestDocument } from '../manifest/manifestDocument';
import type { OffsetRange, Position, Range } from '../manifest/positions';
import type { KubeObject } from '../validation/kubeTypes';

export interface DocumentHit {
  placed: PlacedDocument;
  /** The document's index in the file, as requests and code lens arguments count them. */
  index: number;
  doc: ManifestDocument;
  /** The position as an offset into the document's text. */
  offset: number;
}

export function documentAtPosition(file: ManifestFile, position: Position): DocumentHit | undefined {
  const found = file.documentAt(position);
  if (!found) return undefined;
  const doc = found.placed.entry.doc;
  return { placed: found.placed, index: file.documents.indexOf(found.placed), doc, offset: doc.lines.offsetAt(found.position) };
}

/** A range of `placed`'s text in file positions. */
export function fileRange(file: ManifestFile, placed: PlacedDocument, range: OffsetRange): Range {
  return file.toFileRange(placed, placed.entry.doc.range16(range));
}

/** The namespace the document's object lands in: its own, or the cluster context's. */
export function namespaceOf(doc: ManifestDocument, view: ClusterView): string {
  return doc.namespace || defaultNamespaceOf(view);
}

/** The Service as the cluster checks read it, for a readable `v1` Service document. */
export function serviceOf(doc: ManifestDocument): ServiceDoc | undefined {
  if (doc.unreadable || doc.apiVersion !== 'v1' || doc.kind !== 'Service' || !doc.object) return undefined;
  return readServiceDocument(doc.object as KubeObject);
}
