// A minimal OpenAPI v3. kubectl's default `--validate=strict` checks, per group-version, that
// the PATCH operation of each kind accepts the `fieldValidation` query parameter; when it does,
// kubectl leaves validation to the server and sends `fieldValidation=Strict`. The document
// deliberately leaves `strategic-merge-patch+json` out of the request bodies: advertising it
// would make kubectl compute patches from the (absent) schemas instead of its compiled-in types.

import { RESOURCES } from '../api/resources';
import { KUBERNETES_VERSION } from './version';

function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

function hashOf(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).toUpperCase().padStart(8, '0');
}

const docs = new Map<string, string>();
for (const r of RESOURCES) {
  const key = gvPath(r.group, r.version);
  const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  const path = r.namespaced ? `${base}/namespaces/{namespace}/${r.resource}/{name}` : `${base}/${r.resource}/{name}`;
  const doc: { paths: Record<string, unknown> } = docs.has(key)
    ? (JSON.parse(docs.get(key)!) as { paths: Record<string, unknown> })
    : { openapi: '3.0.0', info: { title: 'Kubernetes', version: KUBERNETES_VERSION }, paths: {}, components: { schemas: {} } } as { paths: Record<string, unknown> };
  doc.paths[path] = {
    patch: {
      'x-kubernetes-group-version-kind': { group: r.group, version: r.version, kind: r.kind },
      parameters: [
        { name: 'dryRun', in: 'query', schema: { type: 'string', uniqueItems: true } },
        { name: 'fieldManager', in: 'query', schema: { type: 'string', uniqueItems: true } },
        { name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } },
        { name: 'force', in: 'query', schema: { type: 'boolean', uniqueItems: true } },
      ],
      requestBody: {
        content: { 'application/json-patch+json': {}, 'application/merge-patch+json': {}, 'application/apply-patch+yaml': {} },
      },
      responses: {},
    },
  };
  docs.set(key, JSON.stringify(doc));
}

/** `/openapi/v3`: the index of group-version documents with their content hashes. */
export function openApiIndex(): Record<string, unknown> {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const [key, text] of docs) paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hashOf(text)}` };
  return { paths };
}

/** The document for `api/v1` or `apis/apps/v1`, or undefined. */
export function openApiDocument(gv: string): string | undefined {
  return docs.get(gv);
}
