// Runs a manifest through the document cache and the checks, as the server and `ksl lint` do,
// and reports each finding with the text it underlines, so tests read like what a user sees.

import { ManifestCache } from '../../../../server/src/documents';
import { entryFindings, type ClusterChecks } from '../../../../server/src/features/cachedFindings';
import { LineIndex } from '../../../../server/src/manifest/positions';

export interface Seen {
  severity: string;
  code: string;
  message: string;
  /** The underlined text. */
  text: string;
  /** 1-based line of the underline's start in the file. */
  line: number;
}

export function check(yaml: string, cluster?: ClusterChecks): Seen[] {
  const file = new ManifestCache().update('file:///test.yaml', 1, yaml);
  const lines = new LineIndex(yaml);
  const out: Seen[] = [];
  for (const placed of file.documents) {
    for (const f of entryFindings(placed.entry, cluster)) {
      const r = file.toFileRange(placed, f.range);
      out.push({
        severity: f.severity,
        code: f.code,
        message: f.message,
        text: yaml.slice(lines.offsetAt(r.start), lines.offsetAt(r.end)),
        line: r.start.line + 1,
      });
    }
  }
  return out;
}

/** The findings of one severity, without the line (for table tests). */
export function errors(yaml: string, severity = 'error'): Omit<Seen, 'line' | 'severity'>[] {
  return check(yaml)
    .filter((s) => s.severity === severity)
    .map(({ code, message, text }) => ({ code, message, text }));
}

/** A Service manifest with the given lines under `spec:` (indented by the caller's two spaces). */
export function service(spec: string, metadata = '  name: web\n'): string {
  return `apiVersion: v1\nkind: Service\nmetadata:\n${metadata}spec:\n${spec}`;
}
