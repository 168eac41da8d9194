// From the apiserver's rendered field paths back to path segments. Two renderings exist:
// - field.Path (validation errors): `spec.ports[0].port`, with map keys in brackets:
//   `metadata.annotations[service.kubernetes.io/topology-mode]`;
// - sigs.k8s.io/json strict errors: map keys joined with dots like fields
//   (`metadata.labels.app.kubernetes.io/name`), which only the object itself can disambiguate.

import type { FieldPathSegment } from '../features/finding';

/** Segments of a field.Path string. Brackets holding digits are indices, anything else a map key. */
export function parseFieldPath(field: string): FieldPathSegment[] {
  const out: FieldPathSegment[] = [];
  let i = 0;
  let name = '';
  const flush = (): void => {
    if (name !== '') out.push(name);
    name = '';
  };
  while (i < field.length) {
    const c = field[i]!;
    if (c === '.') {
      flush();
      i++;
    } else if (c === '[') {
      flush();
      const close = field.indexOf(']', i + 1);
      if (close < 0) {
        name = field.slice(i);
        break;
      }
      const inner = field.slice(i + 1, close);
      out.push(/^\d+$/.test(inner) ? Number(inner) : inner);
      i = close + 1;
    } else {
      name += c;
      i++;
    }
  }
  flush();
  return out;
}

/**
 * Segments of a strict-decoding path, read against the object it came from: at each mapping
 * the longest key that fits the rest of the text wins, so `labels.app.kubernetes.io/name`
 * finds the key `app.kubernetes.io/name`. Text that leaves the object is split on dots.
 */
export function splitStrictPath(rendered: string, value: unknown): FieldPathSegment[] {
  const out: FieldPathSegment[] = [];
  let rest = rendered;
  let cur: unknown = value;
  while (rest.length > 0) {
    const index = /^\[(\d+)\]/.exec(rest);
    if (index) {
      const n = Number(index[1]);
      out.push(n);
      rest = rest.slice(index[0].length).replace(/^\./, '');
      cur = Array.isArray(cur) ? cur[n] : undefined;
      continue;
    }
    let key: string | undefined;
    if (cur !== null && typeof cur === 'object' && !Array.isArray(cur)) {
      for (const k of Object.keys(cur)) {
        const fits = k !== '' && (rest === k || rest.startsWith(k + '.') || rest.startsWith(k + '['));
        if (fits && (key === undefined || k.length > key.length)) key = k;
      }
    }
    // Without a fitting key, take the text up to the next separator; a separator in first
    // place is taken as part of the key so that every turn of the loop consumes text.
    key ??= /^[^.[]*/.exec(rest)![0] || /^.[^.[]*/.exec(rest)![0];
    out.push(key);
    cur = cur !== null && typeof cur === 'object' && !Array.isArray(cur) ? (cur as Record<string, unknown>)[key] : undefined;
    rest = rest.slice(key.length).replace(/^\./, '');
  }
  return out;
}
