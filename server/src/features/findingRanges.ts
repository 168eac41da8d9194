// From what the rules report to where the editor underlines it. The apiserver's field paths
// carry a few quirks that do not name a YAML key as written, and each is mapped here:
// - label, selector and annotation errors name the whole map (`metadata.labels`) and carry the
//   offending key or value as the bad value, so the entry holding it is looked up;
// - pod template labels are reported at `spec.template.labels`, not `...metadata.labels`;
// - `allocateLoadBalancerNodePorts` is reported without `spec.`, and the source ranges as
//   `spec.LoadBalancerSourceRanges` with a capital L;
// - a duplicate Service port names the list item, whose `port` is the useful place;
// - a Service's clusterIPs list is filled from clusterIP before validation, so when the file
//   writes only `clusterIP`, errors about the list's first entry belong there.

import type { ManifestDocument, ManifestProblem } from '../manifest/manifestDocument';
import { parseFieldPath } from '../manifest/fieldPath';
import type { Range } from '../manifest/positions';
import { errorString, type FieldError, type FieldErrorType } from '../validation/fieldErrors';
import type { FieldPathSegment, Finding, FindingSeverity } from './finding';

/** A finding with the range of text it belongs to, relative to its document's first line. */
export interface LocatedFinding extends Finding {
  range: Range;
}

const onValue: ReadonlySet<FieldErrorType> = new Set<FieldErrorType>([
  'FieldValueInvalid',
  'FieldValueDuplicate',
  'FieldValueNotSupported',
  'FieldValueTypeInvalid',
  'FieldValueTooLong',
]);

const keyedMaps: ReadonlySet<string> = new Set(['labels', 'annotations', 'selector', 'matchLabels', 'nodeSelector']);

function valueAt(root: unknown, path: readonly FieldPathSegment[]): unknown {
  let cur = root;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

/** The path of the YAML text a field.Path string names (see the quirks above). */
function textPath(field: string): FieldPathSegment[] {
  const path = parseFieldPath(field);
  if (path[0] === 'allocateLoadBalancerNodePorts') path.unshift('spec');
  const i = path.indexOf('LoadBalancerSourceRanges');
  if (i === 1 && path[0] === 'spec') path[1] = 'loadBalancerSourceRanges';
  const last = path.length - 1;
  if (last >= 1 && path[last - 1] === 'template' && (path[last] === 'labels' || path[last] === 'annotations')) path.splice(last, 0, 'metadata');
  return path;
}

/**
 * For each map a document's value holds, its first key for each string value, built once per
 * map: a map with thousands of bad entries has an error for each, and scanning the map for
 * every error took seconds. A document's value is not changed after it is parsed, so an index
 * stays true for as long as its map lives.
 */
const keysByValue = new WeakMap<object, Map<string, string>>();

/** The first key of `map` whose value is `value`. */
function keyHoldingValue(map: Record<string, unknown>, value: string): string | undefined {
  let index = keysByValue.get(map);
  if (!index) {
    index = new Map();
    for (const [k, v] of Object.entries(map)) if (typeof v === 'string' && !index.has(v)) index.set(v, k);
    keysByValue.set(map, index);
  }
  return index.get(value);
}

/** The path of a field as the file writes it, for a path into the object the rules saw. */
export function pathAsWritten(path: FieldPathSegment[], source: unknown): FieldPathSegment[] {
  if (path[0] === 'spec' && path[1] === 'clusterIPs' && (path.length === 2 || (path.length === 3 && path[2] === 0))) {
    const spec = valueAt(source, ['spec']) as Record<string, unknown> | undefined;
    if (spec && typeof spec === 'object' && (spec['clusterIPs'] === undefined || spec['clusterIPs'] === null) && typeof spec['clusterIP'] === 'string') {
      return ['spec', 'clusterIP'];
    }
  }
  return path;
}

/** A FieldError as a finding, pointed at the key or value it is about in `source` (the document's value). */
export function fieldErrorFinding(e: FieldError, source: unknown, severity: FindingSeverity = 'error'): Finding {
  let path = pathAsWritten(textPath(e.field), source);
  let on: 'key' | 'value' = onValue.has(e.type) ? 'value' : 'key';
  const lastSeg = path[path.length - 1];
  if (typeof lastSeg === 'string' && keyedMaps.has(lastSeg) && typeof e.badValue === 'string') {
    const map = valueAt(source, path);
    if (map !== null && typeof map === 'object' && !Array.isArray(map)) {
      const keyed = map as Record<string, unknown>;
      if (Object.hasOwn(keyed, e.badValue)) {
        path = [...path, e.badValue];
        on = 'key';
      } else {
        const holder = keyHoldingValue(keyed, e.badValue);
        if (holder !== undefined) {
          path = [...path, holder];
          on = 'value';
        }
      }
    }
  }
  if (e.type === 'FieldValueDuplicate' && path.length === 3 && path[0] === 'spec' && path[1] === 'ports' && typeof path[2] === 'number') {
    path = [...path, 'port'];
  }
  const data: Record<string, unknown> = { fieldErrorType: e.type };
  if ('badValue' in e) data['badValue'] = e.badValue;
  return { path, on, severity, code: e.field, message: errorString(e), data };
}

/** The finding with its range in the document's text. */
export function locateFinding(doc: ManifestDocument, finding: Finding): LocatedFinding {
  const location = doc.locate(finding.path, finding.on);
  return { ...finding, range: doc.range16(location.range) };
}

/** A problem of the text itself, as a located finding on the document root. */
export function problemFinding(doc: ManifestDocument, problem: ManifestProblem): LocatedFinding {
  return { path: [], on: 'value', severity: problem.severity, code: problem.code, message: problem.message, range: doc.range16(problem.range) };
}
