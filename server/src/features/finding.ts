// A problem found in one manifest document, located by field path rather than by text range:
// validation and cluster checks speak in paths (`spec.ports[0].port`), and the diagnostics
// feature maps each path to the key or value it names in the YAML source.

export type FindingSeverity = 'error' | 'warning' | 'information' | 'hint';

export type FieldPathSegment = string | number;

export interface Finding {
  /** From the document root: `['spec', 'ports', 0, 'port']`. */
  path: FieldPathSegment[];
  /** Whether the finding belongs on the field's key or on its value. */
  on: 'key' | 'value';
  severity: FindingSeverity;
  /** The field path for apiserver rules (`spec.ports[0].port`); a `ksl/...` name for other checks. */
  code: string;
  message: string;
  /** Machine-readable details a code action can use (a suggested label value, a free port). */
  data?: Record<string, unknown>;
}

/** `spec.ports[0].port` for `['spec', 'ports', 0, 'port']`. */
export function formatFieldPath(path: readonly FieldPathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${seg}` : seg;
  }
  return out;
}
