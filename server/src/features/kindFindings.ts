// Whether a document says what it is. kubectl refuses a document without apiVersion or kind
// before sending anything (its messages are used), and a built-in kind under an apiVersion
// that does not serve it fails on every cluster with "no matches for kind".

import type { ManifestDocument } from '../manifest/manifestDocument';
import { builtinVersions } from './builtinKinds';
import type { Finding } from './finding';

export function kindFindings(doc: ManifestDocument): Finding[] {
  const obj = doc.object;
  if (!obj) return [];
  const findings: Finding[] = [];
  for (const field of ['apiVersion', 'kind'] as const) {
    const v = obj[field];
    if (v === undefined || v === null || v === '') {
      findings.push({ path: [field], on: 'key', severity: 'error', code: field, message: `${field} not set` });
    } else if (typeof v !== 'string') {
      findings.push({ path: [field], on: 'value', severity: 'error', code: field, message: `${field} must be a string` });
    }
  }
  if (doc.apiVersion && doc.kind) {
    const versions = builtinVersions(doc.kind);
    if (versions && !versions.includes(doc.apiVersion)) {
      findings.push({
        path: ['apiVersion'],
        on: 'value',
        severity: 'error',
        code: 'apiVersion',
        message: `no matches for kind ${JSON.stringify(doc.kind)} in version ${JSON.stringify(doc.apiVersion)}`,
        data: { expected: versions },
      });
    }
  }
  return findings;
}
