// How large a file the language server checks. Reading and checking cost time in proportion to
// the file (about a second for the 5,000-document benchmark file of 1.4 MB), and a file of tens
// of megabytes, such as a dumped Helm release or a log pasted into a .yaml file, would keep the
// server busy for minutes. Above the limit a file is not parsed at all: it gets one diagnostic
// at its top that says so, and every other feature answers as for a file with nothing in it.
//
// The limit, 5 MB, is 3.5 times the benchmark file (about 17,000 Deployment and Service
// documents): no hand-written manifest comes near it, and a file at the limit is still checked
// in a few seconds rather than minutes.

import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import { DIAGNOSTIC_SOURCE } from './diagnostics';

export const MAX_CHECKED_FILE_BYTES = 5 * 1000 * 1000;
export const FILE_TOO_LARGE_CODE = 'ksl/file-too-large';

/** The file's size in UTF-8 bytes when it is over the limit, else undefined. */
export function oversizedBytes(text: string): number | undefined {
  // A UTF-16 code unit is at most 3 UTF-8 bytes, so most files need no counting.
  if (text.length * 3 <= MAX_CHECKED_FILE_BYTES) return undefined;
  const bytes = Buffer.byteLength(text, 'utf8');
  return bytes > MAX_CHECKED_FILE_BYTES ? bytes : undefined;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** Why an oversized file is not checked, in words for its user. */
export function fileTooLargeMessage(bytes: number): string {
  return (
    `This file is ${megabytes(bytes)}, over the ${megabytes(MAX_CHECKED_FILE_BYTES)} that Kube Service Lab checks, so it is not checked ` +
    '(no diagnostics, hints or hovers). Split it into smaller files to have them checked.'
  );
}

/** The one diagnostic of an oversized file, on its first line. */
export function fileTooLargeDiagnostic(text: string, bytes: number): Diagnostic {
  const newline = text.indexOf('\n');
  const firstLine = newline < 0 ? text.length : newline;
  // Long enough to see, short enough not to paint a minified first line red from end to end.
  const end = Math.min(text.charCodeAt(firstLine - 1) === 13 ? firstLine - 1 : firstLine, 200);
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: Math.max(0, end) } },
    severity: DiagnosticSeverity.Warning,
    code: FILE_TOO_LARGE_CODE,
    source: DIAGNOSTIC_SOURCE,
    message: fileTooLargeMessage(bytes),
  };
}
