// The Service's selector against the pods that exist: a selector that matches none gets a
// warning on the label no pod carries, naming the closest labels that do exist (a likely
// typo), and a selector whose pods are all unready gets a warning listing them with their
// status, because either way the Service has no endpoints to send traffic to.

import type { Finding } from '../features/finding';
import { editDistanceWithin, typoBudget } from './labelDistance';
import { labelText, listText, noPodHas, podCount, podsHave, type PodOrigin } from './findingWording';
import type { ServiceDoc } from './serviceDocument';
import type { Pod } from '../validation/kubeTypes';

const SELECTOR_PATH = ['spec', 'selector'];

export function podMatches(pod: Pod, selector: readonly [string, string][]): boolean {
  const labels = pod.metadata.labels ?? {};
  for (const [k, v] of selector) if (!Object.prototype.hasOwnProperty.call(labels, k) || labels[k] !== v) return false;
  return true;
}

interface LabelHolders {
  key: string;
  value: string;
  pods: Pod[];
}

/**
 * The views here hand out the same frozen array until its contents change, so the pairs are
 * gathered once per array. Arrays that are not frozen (another view's) may be changed in
 * place and are never cached.
 */
const holdersCache = new WeakMap<readonly Pod[], Map<string, LabelHolders>>();

/** Every key=value pair on the pods, with the pods that carry it. */
function labelHolders(pods: readonly Pod[]): Map<string, LabelHolders> {
  const cached = holdersCache.get(pods);
  if (cached) return cached;
  const out = new Map<string, LabelHolders>();
  for (const pod of pods) {
    for (const [key, value] of Object.entries(pod.metadata.labels ?? {})) {
      if (typeof value !== 'string') continue;
      const id = labelText(key, value);
      const entry = out.get(id);
      if (entry) entry.pods.push(pod);
      else out.set(id, { key, value, pods: [pod] });
    }
  }
  if (Object.isFrozen(pods)) holdersCache.set(pods, out);
  return out;
}

/**
 * Warnings for a selector that matches no pod of `pods` (the namespace's pods or pod
 * templates). Each selector label that no pod carries gets its own warning on its value; when
 * every label exists but never all on one pod, the warning is on the selector as a whole.
 */
export function unmatchedSelectorFindings(svc: ServiceDoc, pods: readonly Pod[], namespace: string, origin: PodOrigin): Finding[] {
  const selector = svc.selector;
  if (!selector) return [];
  const holders = labelHolders(pods);
  const missing = selector.filter(([k, v]) => !holders.has(labelText(k, v)));
  const code = 'ksl/selector-matches-no-pod';
  if (missing.length === 0) {
    const wanted = selector.map(([k, v]) => labelText(k, v));
    const counts = selector.map(([k, v]) => `${podsHave(holders.get(labelText(k, v))?.pods ?? [], origin)} ${labelText(k, v)}`);
    return [
      {
        path: SELECTOR_PATH,
        on: 'key',
        severity: 'warning',
        code,
        message: `${noPodHas(origin)} ${wanted.join(',')}; ${counts.join(', ')}`,
      },
    ];
  }
  return missing.map(([key, value]) => {
    const close = closestLabels(key, value, holders);
    const head = `${noPodHas(origin)} ${labelText(key, value)}`;
    if (close.length === 0) {
      return { path: [...SELECTOR_PATH, key], on: 'value', severity: 'warning', code, message: `${head}; ${whatExists(pods, namespace, origin)}` };
    }
    const best = close[0];
    const named = close.map((c) => `${podsHave(c.pods, origin)} ${labelText(c.key, c.value)}`);
    const finding: Finding = {
      path: [...SELECTOR_PATH, key],
      on: best.key === key ? 'value' : 'key',
      severity: 'warning',
      code,
      message: `${head}; ${named.join(', ')}`,
      data: { suggestedKey: best.key, suggestedValue: best.value },
    };
    return finding;
  });
}

/**
 * Label keys are at most 317 characters (a 253-character prefix, a slash and a 63-character
 * name) and values at most 63. Anything longer is no typo of a real label, and comparing it
 * would cost its length squared.
 */
const LONGEST_LABEL_PART = 317;

/**
 * The existing labels nearest to key=value by labelDistance: all those at the smallest
 * distance, most common first, at most three. A namespace has thousands of distinct labels
 * but few distinct keys, so each key's distance is computed once, and a value is compared only
 * as far as could still beat the best found so far.
 */
function closestLabels(key: string, value: string, holders: Map<string, LabelHolders>): LabelHolders[] {
  if (key.length > LONGEST_LABEL_PART || value.length > LONGEST_LABEL_PART) return [];
  const keyBudget = typoBudget(key);
  const valueBudget = typoBudget(value);
  const keyDistances = new Map<string, number>();
  let best = Infinity;
  let found: LabelHolders[] = [];
  for (const entry of holders.values()) {
    if (entry.key.length > LONGEST_LABEL_PART || entry.value.length > LONGEST_LABEL_PART) continue;
    let dk = keyDistances.get(entry.key);
    if (dk === undefined) {
      dk = editDistanceWithin(key, entry.key, keyBudget);
      keyDistances.set(entry.key, dk);
    }
    if (dk > keyBudget) continue;
    const room = Math.min(valueBudget, best - dk);
    if (room < 0) continue;
    const dv = editDistanceWithin(value, entry.value, room);
    const d = dk + dv;
    if (dv > room || d === 0) continue;
    if (d < best) {
      best = d;
      found = [];
    }
    found.push(entry);
  }
  found.sort((a, b) => b.pods.length - a.pods.length || labelText(a.key, a.value).localeCompare(labelText(b.key, b.value)));
  return found.slice(0, 3);
}

/**
 * The pods the selector matches, in the order given (what filtering with podMatches gives).
 * For a view's frozen array the label index narrows the search to the pods carrying the
 * selector's first label, so checking thousands of Services against thousands of pods does
 * not compare every pair.
 */
export function matchingPods(pods: readonly Pod[], selector: readonly [string, string][]): Pod[] {
  if (selector.length === 0 || !Object.isFrozen(pods)) return pods.filter((p) => podMatches(p, selector));
  const [key, value] = selector[0]!;
  const candidates = labelHolders(pods).get(labelText(key, value))?.pods ?? [];
  return candidates.filter((p) => podMatches(p, selector));
}

/** The label keys the pods use, sorted; kept per frozen array like the label index. */
const keysCache = new WeakMap<readonly Pod[], string[]>();

function labelKeys(pods: readonly Pod[]): string[] {
  const cached = keysCache.get(pods);
  if (cached) return cached;
  const keys = [...new Set(pods.flatMap((p) => Object.keys(p.metadata.labels ?? {})))].sort();
  if (Object.isFrozen(pods)) keysCache.set(pods, keys);
  return keys;
}

/** When no label is close: how many pods there are and which label keys they use. */
function whatExists(pods: readonly Pod[], namespace: string, origin: PodOrigin): string {
  if (pods.length === 0) {
    return origin === 'cluster' ? `namespace ${namespace} has no pods` : `the workspace has no pod templates in namespace ${namespace}`;
  }
  const keys = labelKeys(pods);
  const where = origin === 'cluster' ? `the ${podCount(pods.length, origin)} in namespace ${namespace}` : `the workspace's ${podCount(pods.length, origin)} in namespace ${namespace}`;
  if (keys.length === 0) return `${where} ${pods.length === 1 ? 'has' : 'have'} no labels`;
  return `${where} ${pods.length === 1 ? 'has' : 'have'} the label ${keys.length === 1 ? 'key' : 'keys'} ${listText(keys, 6)}`;
}

/** Ready as the endpoints controller counts it: the Ready condition is True and the pod is not being deleted. */
export function podIsReady(pod: Pod): boolean {
  if (pod.metadata.deletionTimestamp) return false;
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** What `kubectl get pods` would say about a pod that is not ready. */
export function podStatusText(pod: Pod): string {
  if (pod.metadata.deletionTimestamp) return 'Terminating';
  const phase = pod.status?.phase || 'Unknown';
  const waiting = (pod.status?.containerStatuses ?? [])
    .map((cs) => cs.state?.['waiting']?.['reason'])
    .find((r): r is string => typeof r === 'string' && r !== '');
  if (waiting) return `${phase}, ${waiting}`;
  return phase === 'Running' ? 'Running, not ready' : phase;
}

/**
 * A warning when pods match but none is ready, so the Service has no ready endpoints. With
 * publishNotReadyAddresses the Service sends traffic to unready pods anyway, so it is quiet.
 */
export function noReadyPodFindings(svc: ServiceDoc, matched: readonly Pod[]): Finding[] {
  if (!svc.selector || matched.length === 0 || svc.publishNotReadyAddresses) return [];
  if (matched.some(podIsReady)) return [];
  const selector = svc.selector.map(([k, v]) => labelText(k, v)).join(',');
  const listed = listText(matched.map((p) => `${p.metadata.name ?? ''} (${podStatusText(p)})`));
  const message =
    matched.length === 1
      ? `1 pod matches ${selector}, but it is not ready: ${listed}`
      : `${matched.length} pods match ${selector}, but none is ready: ${listed}`;
  return [{ path: SELECTOR_PATH, on: 'key', severity: 'warning', code: 'ksl/selector-no-ready-pod', message }];
}
