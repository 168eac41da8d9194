// Finds Kubernetes objects in a manifest file's text: which object a line belongs to (for
// "the Service under the cursor"), and where an object of the cluster is declared (for
// "Reveal Manifest"). Documents that do not parse, or lack kind or metadata.name, are skipped.

import { isMap, isScalar, parseDocument } from 'yaml';
import { kubectlYamlOptions } from '../../../server/src/manifest/kubectlYaml';
import { splitDocuments } from '../../../server/src/manifest/splitDocuments';

export interface ObjectRef {
  kind: string;
  name: string;
  /** Absent when the manifest leaves it to the context's default namespace. */
  namespace?: string;
}

export interface LocatedObject extends ObjectRef {
  /** Zero-based index of the document in the file. */
  document: number;
  /** Zero-based position of the `metadata.name` value. */
  line: number;
  character: number;
}

const LINE_BREAK = /\r\n|\r|\n/g;

function stringAt(map: unknown, key: string): string | undefined {
  if (!isMap(map)) return undefined;
  const node = map.get(key, true);
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

/** Every object declared in `text`, in file order. */
export function objectsIn(text: string): LocatedObject[] {
  const found: LocatedObject[] = [];
  splitDocuments(text).forEach((chunk, document) => {
    let contents: unknown;
    try {
      contents = parseDocument(chunk.text, kubectlYamlOptions).contents;
    } catch {
      return;
    }
    if (!isMap(contents)) return;
    const kind = stringAt(contents, 'kind');
    const metadata = contents.get('metadata', true);
    const nameNode = isMap(metadata) ? metadata.get('name', true) : undefined;
    if (!kind || !isScalar(nameNode) || typeof nameNode.value !== 'string' || !nameNode.range) return;
    const before = chunk.text.slice(0, nameNode.range[0]);
    const breaks = before.match(LINE_BREAK)?.length ?? 0;
    const lineStart = Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r')) + 1;
    const namespace = stringAt(metadata, 'namespace');
    found.push({
      kind,
      name: nameNode.value,
      ...(namespace ? { namespace } : {}),
      document,
      line: chunk.line + breaks,
      character: before.length - lineStart,
    });
  });
  return found;
}

/** The object whose document holds `line`, if that document declares one. */
export function objectAtLine(text: string, line: number): LocatedObject | undefined {
  const chunks = splitDocuments(text);
  let document = -1;
  for (let i = 0; i < chunks.length; i++) if ((chunks[i]?.line ?? 0) <= line) document = i;
  return objectsIn(text).find((o) => o.document === document);
}

/**
 * Where `target` is declared in `text`. A manifest without a namespace counts for the
 * `default` namespace, where kubectl's default context puts it; such matches come after the
 * exact ones. When nothing matches that way, namespace-less manifests of the same kind and
 * name are returned, since they may have been applied with `-n`.
 */
export function declarationsOf(text: string, target: Required<ObjectRef>): LocatedObject[] {
  const same = objectsIn(text).filter((o) => o.kind === target.kind && o.name === target.name);
  const exact = same.filter((o) => o.namespace === target.namespace);
  const implied = same.filter((o) => o.namespace === undefined && target.namespace === 'default');
  if (exact.length || implied.length) return [...exact, ...implied];
  return same.filter((o) => o.namespace === undefined);
}
