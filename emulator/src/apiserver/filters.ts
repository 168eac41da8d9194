// Turns a request's `labelSelector` and `fieldSelector` into one predicate. Parse errors are
// ApiError 400s, thrown before anything is listed or watched.

import type { ResourceType } from '../api/resources';
import { parseFieldSelector, parseLabelSelector } from '../api/selectors';
import type { KubeObject } from '../api/types';

export function buildFilter(
  rt: ResourceType,
  labelSelector: string | null,
  fieldSelector: string | null,
): (obj: KubeObject) => boolean {
  const labels = labelSelector ? parseLabelSelector(labelSelector) : undefined;
  const fields = fieldSelector ? parseFieldSelector(fieldSelector, rt.key) : undefined;
  if (!labels && !fields) return () => true;
  return (obj) => (!labels || labels.matches(obj.metadata.labels)) && (!fields || fields.matches(obj));
}
