// Everything that can be said about one manifest document from its text alone, in the order
// kubectl and the apiserver would say it: problems of the YAML itself, a missing or wrong
// apiVersion and kind, decoding (unknown fields, wrong types), then the apiserver's create
// path for the kind (defaulting, allocation limits, validation, warnings). The result depends
// only on the document's text, so callers cache it per text. It carries no LSP types: the
// language server and `ksl lint` share it.

import type { ManifestDocument } from '../manifest/manifestDocument';
import { appendAll } from '../validation/fieldErrors';
import type { KubeObject, Service } from '../validation/kubeTypes';
import { apiserverObject } from './apiserverObject';
import { decodingFindings } from './decodingFindings';
import type { Finding } from './finding';
import { fieldErrorFinding, locateFinding, problemFinding, type LocatedFinding } from './findingRanges';
import { kindFindings } from './kindFindings';
import { defaultServiceCheckOptions, serviceFindings, type ServiceCheckOptions } from './serviceFindings';
import { workloadErrors } from './workloadFindings';

export interface DocumentCheck {
  findings: LocatedFinding[];
  /**
   * The object as written, for the checks against a cluster (which default what they compare
   * and take a missing namespace from the cluster's context); undefined unless the document
   * is a readable object whose values fit their types.
   */
  object: KubeObject | undefined;
}

export type CheckOptions = ServiceCheckOptions;
export const defaultCheckOptions: CheckOptions = defaultServiceCheckOptions;

function withoutRepeats(findings: LocatedFinding[]): LocatedFinding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.severity}\0${f.code}\0${f.message}\0${f.range.start.line}:${f.range.start.character}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function ruleFindings(doc: ManifestDocument, options: CheckOptions): { findings: Finding[]; object: KubeObject | undefined } {
  const findings = kindFindings(doc);
  const decoding = decodingFindings(doc);
  appendAll(findings, decoding.findings);
  if (!decoding.decodes) return { findings, object: undefined };
  const written = doc.object as KubeObject | undefined;
  const object = apiserverObject(doc, decoding.unknownFields);
  if (!object || doc.apiVersion === undefined || doc.kind === undefined) return { findings, object: written };
  if (doc.apiVersion === 'v1' && doc.kind === 'Service') {
    appendAll(findings, serviceFindings(object as Service, doc.value, options));
  } else {
    for (const e of workloadErrors(doc.apiVersion, doc.kind, object)) findings.push(fieldErrorFinding(e, doc.value));
  }
  return { findings, object: written };
}

/** The findings of one document, located in its text. Never throws. */
export function checkDocument(doc: ManifestDocument, options: CheckOptions = defaultCheckOptions): DocumentCheck {
  const located = doc.problems.map((p) => problemFinding(doc, p));
  if (doc.empty || doc.unreadable || !doc.object) return { findings: located, object: undefined };
  try {
    const { findings, object } = ruleFindings(doc, options);
    for (const f of findings) located.push(locateFinding(doc, f));
    return { findings: withoutRepeats(located), object };
  } catch (err) {
    // A rule that fails on odd input must not take the document's other findings with it.
    located.push({
      path: [],
      on: 'key',
      severity: 'warning',
      code: 'ksl/internal',
      message: `the checks could not finish for this document: ${(err as Error)?.message ?? String(err)}`,
      range: doc.range16(doc.anchorRange()),
    });
    return { findings: located, object: undefined };
  }
}

/** Cluster findings (path-based, from the cluster checks) located in the document's text. */
export function locateFindings(doc: ManifestDocument, findings: readonly Finding[]): LocatedFinding[] {
  return findings.map((f) => locateFinding(doc, f));
}
