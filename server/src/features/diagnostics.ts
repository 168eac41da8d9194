// Findings → LSP diagnostics for a whole file, in file coordinates. The findings themselves
// come memoised from the document cache (cachedFindings.ts).

import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { ManifestFile, PlacedDocument } from '../documents';
import { entryFindings, staticCheck, type ClusterChecks } from './cachedFindings';
import type { CheckOptions } from './documentFindings';
import type { FindingSeverity } from './finding';
import type { LocatedFinding } from './findingRanges';

export const DIAGNOSTIC_SOURCE = 'kube-service-lab';

const severities: Record<FindingSeverity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(finding: LocatedFinding, file: ManifestFile, placed: PlacedDocument): Diagnostic {
  return {
    range: file.toFileRange(placed, finding.range),
    severity: severities[finding.severity],
    code: finding.code,
    source: DIAGNOSTIC_SOURCE,
    message: finding.message,
    data: { path: finding.path, ...(finding.data ?? {}) },
  };
}

/** The diagnostics of one placed document. */
export function documentDiagnostics(file: ManifestFile, placed: PlacedDocument, cluster?: ClusterChecks, options?: CheckOptions): Diagnostic[] {
  return entryFindings(placed.entry, cluster, options).map((f) => toDiagnostic(f, file, placed));
}

export function fileDiagnostics(file: ManifestFile, cluster?: ClusterChecks, options?: CheckOptions): Diagnostic[] {
  return file.documents.flatMap((placed) => documentDiagnostics(file, placed, cluster, options));
}

/**
 * The same as fileDiagnostics, giving the event loop a turn after every `sliceMs` of work so
 * a large file does not hold up other requests. Resolves to undefined as soon as
 * `cancelled()` says a newer run has made this one pointless. Every document is checked on
 * its own first and the cluster checks run after, so a cluster view that reads the whole
 * workspace finds it parsed.
 */
export async function fileDiagnosticsInSlices(
  file: ManifestFile,
  cancelled: () => boolean,
  cluster?: ClusterChecks,
  options?: CheckOptions,
  sliceMs = 10,
): Promise<Diagnostic[] | undefined> {
  let sliceStart = performance.now();
  // Checking the clock after every document is cheap; awaiting after every one is not.
  const overdue = (): boolean => performance.now() - sliceStart > sliceMs;
  const turn = async (): Promise<boolean> => {
    await new Promise<void>((resolve) => setImmediate(resolve));
    sliceStart = performance.now();
    return !cancelled();
  };
  for (const placed of file.documents) {
    if (overdue() && !(await turn())) return undefined;
    staticCheck(placed.entry, options);
  }
  const out: Diagnostic[] = [];
  for (const placed of file.documents) {
    if (overdue() && !(await turn())) return undefined;
    for (const d of documentDiagnostics(file, placed, cluster, options)) out.push(d);
  }
  return cancelled() ? undefined : out;
}
