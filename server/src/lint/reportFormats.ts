// The three ways `ksl lint` prints its findings:
// - text, like a compiler: `file:line:col: error: message [code]`, then a count;
// - json: the LintFinding array as it is;
// - sarif: a minimal SARIF 2.1.0 log (one run, one rule per code) that code-scanning tools read.

import type { LintFinding, LintSeverity } from './lintFindings';

export type LintFormat = 'text' | 'json' | 'sarif';

export function formatText(findings: readonly LintFinding[], fileCount: number): string {
  const lines = findings.map((f) => `${f.file}:${f.line}:${f.column}: ${f.severity}: ${f.message} [${f.code}]`);
  const count = (s: LintSeverity): number => findings.filter((f) => f.severity === s).length;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  lines.push(`${plural(fileCount, 'file')} checked: ${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${count('info')} info`);
  return lines.join('\n') + '\n';
}

export function formatJson(findings: readonly LintFinding[]): string {
  return JSON.stringify(findings, null, 2) + '\n';
}

const sarifLevels: Record<LintSeverity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/** A SARIF 2.1.0 log. Artifact URIs are the paths as given; regions count UTF-16 code units, SARIF's default. */
export function formatSarif(findings: readonly LintFinding[]): string {
  const ruleIds = [...new Set(findings.map((f) => f.code))].sort();
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'ksl lint',
            rules: ruleIds.map((id) => ({ id })),
          },
        },
        results: findings.map((f) => ({
          ruleId: f.code,
          ruleIndex: ruleIds.indexOf(f.code),
          level: sarifLevels[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: f.file.split('\\').join('/') },
                region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
              },
            },
          ],
        })),
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
