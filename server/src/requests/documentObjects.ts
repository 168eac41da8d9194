// What apply and delete need from each document of a file: the object, its kind, name and
// namespace, or the reason it is skipped (it does not parse, it is not an object). Documents
// with nothing in them are left out, as kubectl leaves them out. Also kubectl's wording of an
// API error.

import type { ManifestFile } from '../documents';
import type { DocumentResult } from '../protocol';
import type { KubeObject } from '../validation/kubeTypes';
import { statusMessage } from '../emulatorClient/kubeStatus';
import { statusReason, type ApiAnswer } from './apiCall';

export type DocumentSubject =
  | { ok: true; result: DocumentResult; object: KubeObject; apiVersion: string; kind: string; name: string }
  | { ok: false; result: DocumentResult };

/** The subject of document `index`, or undefined for an empty document. */
export function documentSubject(file: ManifestFile, index: number): DocumentSubject | undefined {
  const placed = file.documents[index];
  if (!placed) return undefined;
  const doc = placed.entry.doc;
  if (doc.empty) return undefined;
  const result: DocumentResult = { document: index, kind: doc.kind ?? '', name: doc.name ?? '', outcome: 'skipped' };
  if (doc.namespace) result.namespace = doc.namespace;
  const problem = doc.problems.find((p) => p.severity === 'error');
  if (problem) {
    const line = placed.line + doc.lines.positionAt(problem.range.start).line + 1;
    return { ok: false, result: { ...result, message: `the YAML does not parse (line ${line}: ${problem.message})` } };
  }
  const object = doc.object as KubeObject | undefined;
  if (!object || !doc.apiVersion || !doc.kind) {
    return { ok: false, result: { ...result, message: 'not a Kubernetes object: apiVersion and kind are required' } };
  }
  if (!doc.name) {
    const generated = typeof (object.metadata as Record<string, unknown> | undefined)?.['generateName'] === 'string';
    const message = generated ? 'cannot use generate name with apply' : 'resource name may not be empty';
    return { ok: false, result: { ...result, outcome: 'failed', message } };
  }
  return { ok: true, result, object, apiVersion: doc.apiVersion, kind: doc.kind, name: doc.name };
}

/**
 * Runs `act` on each usable document among `indexes`, in order and one at a time (as kubectl
 * does), and collects the results; skipped documents report why, empty ones are left out.
 */
export async function eachSubject(
  file: ManifestFile,
  indexes: readonly number[],
  act: (subject: Extract<DocumentSubject, { ok: true }>) => Promise<DocumentResult>,
): Promise<DocumentResult[]> {
  const out: DocumentResult[] = [];
  for (const index of indexes) {
    const subject = documentSubject(file, index);
    if (!subject) continue;
    out.push(subject.ok ? await act(subject) : subject.result);
  }
  return out;
}

/** An API error as kubectl prints it: `The Service "web" is invalid: ...`, `Error from server (NotFound): ...`. */
export function kubectlErrorText(answer: ApiAnswer): string {
  const message = statusMessage(answer.body) || `the API answered ${answer.status}`;
  const reason = statusReason(answer.body);
  if (answer.status === 422 || reason === 'Invalid') return `The ${message}`;
  return reason ? `Error from server (${reason}): ${message}` : `Error from server: ${message}`;
}
