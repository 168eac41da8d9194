// metav1.LabelSelector (matchLabels + matchExpressions) as Deployments and ReplicaSets use it:
// validation with apimachinery's messages, conversion to requirements, and matching.
// Service selectors are plain maps and are checked with validateLabels instead.

import type { LabelSelector } from './kubeTypes';
import { type FieldError, forbidden, invalid, required } from './fieldErrors';
import { isValidLabelValue } from './content';
import { child, index, sortedMap, validateLabelName, validateLabels } from './objectMeta';

/** metav1 validation.ValidateLabelSelector with AllowInvalidLabelValueInSelector off, as workloads use it. */
export function validateLabelSelector(selector: LabelSelector | null | undefined, path: string): FieldError[] {
  if (!selector) return [];
  const errs = validateLabels(selector.matchLabels, child(path, 'matchLabels'));
  (selector.matchExpressions ?? []).forEach((expr, i) => {
    const p = index(child(path, 'matchExpressions'), i);
    const values = expr.values ?? [];
    switch (expr.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) errs.push(required(child(p, 'values'), "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) errs.push(forbidden(child(p, 'values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default:
        errs.push(invalid(child(p, 'operator'), expr.operator ?? '', 'not a valid selector operator'));
    }
    errs.push(...validateLabelName(expr.key ?? '', child(p, 'key')));
    values.forEach((v, j) => {
      for (const msg of isValidLabelValue(v)) errs.push(invalid(index(child(p, 'values'), j), v, msg));
    });
  });
  return errs;
}

/** The selector as *metav1.LabelSelector marshals to JSON (omitempty fields dropped), for bad values in messages. */
export function labelSelectorJSON(selector: LabelSelector | null | undefined): Record<string, unknown> | null {
  if (!selector) return null;
  const out: Record<string, unknown> = {};
  if (selector.matchLabels && Object.keys(selector.matchLabels).length > 0) out['matchLabels'] = sortedMap(selector.matchLabels);
  if (selector.matchExpressions && selector.matchExpressions.length > 0) {
    out['matchExpressions'] = selector.matchExpressions.map((e) => {
      const r: Record<string, unknown> = { key: e.key ?? '', operator: e.operator ?? '' };
      if (e.values && e.values.length > 0) r['values'] = e.values;
      return r;
    });
  }
  return out;
}

/** Whether a selector (nil matches nothing, empty matches everything) selects the given labels. */
export function labelSelectorMatches(selector: LabelSelector | null | undefined, labels: Record<string, string> | null | undefined): boolean {
  if (!selector) return false;
  const set = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (!Object.prototype.hasOwnProperty.call(set, k) || set[k] !== v) return false;
  }
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(set, e.key);
    const value = set[e.key];
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
        if (!has || value === undefined || !values.includes(value)) return false;
        break;
      case 'NotIn':
        if (has && value !== undefined && values.includes(value)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** True when the selector selects every object: non-nil with no matchLabels and no matchExpressions. */
export function labelSelectorIsEmpty(selector: LabelSelector | null | undefined): boolean {
  return !!selector && Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
}
