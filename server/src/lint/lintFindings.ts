// The lint engine behind `ksl lint`: the language server's findings for files on disk, with
// 1-based lines and columns as compilers print them. It shares the document cache and the
// checks with the server, so a file lints exactly as the editor shows it. No LSP imports.

import { ManifestCache } from '../documents';
import { entryFindings, type ClusterChecks } from '../features/cachedFindings';
import type { FindingSeverity } from '../features/finding';

export type LintSeverity = 'error' | 'warning' | 'info';

/** One finding in `ksl lint --format json`'s shape. Columns count UTF-16 code units; endColumn is exclusive. */
export interface LintFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: LintSeverity;
  code: string;
  message: string;
}

const lintSeverity: Record<FindingSeverity, LintSeverity> = { error: 'error', warning: 'warning', information: 'info', hint: 'info' };

/** Adds files to a cache, keyed by the name they are reported under. */
export function loadManifests(files: readonly { name: string; text: string }[]): ManifestCache {
  const cache = new ManifestCache();
  for (const f of files) cache.update(f.name, 0, f.text);
  return cache;
}

/** Every finding of every file in the cache, file by file in the order given, then by position. */
export function lintManifests(cache: ManifestCache, cluster?: ClusterChecks): LintFinding[] {
  const out: LintFinding[] = [];
  for (const file of cache.all()) {
    const found: LintFinding[] = [];
    for (const placed of file.documents) {
      for (const f of entryFindings(placed.entry, cluster)) {
        const r = file.toFileRange(placed, f.range);
        found.push({
          file: file.uri,
          line: r.start.line + 1,
          column: r.start.character + 1,
          endLine: r.end.line + 1,
          endColumn: r.end.character + 1,
          severity: lintSeverity[f.severity],
          code: f.code,
          message: f.message,
        });
      }
    }
    found.sort((a, b) => a.line - b.line || a.column - b.column);
    out.push(...found);
  }
  return out;
}

export function hasErrors(findings: readonly LintFinding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}
