// The ReplicaSet controller (pkg/controller/replicaset): keeps the number of active pods that a
// ReplicaSet owns equal to spec.replicas, creating pods from the template with
// `generateName: <rs>-` and deleting the least valuable first, and reports status.

import { clone, deepEqual, objectKey, splitKey } from '../api/objects';
import { R } from '../api/resources';
import { labelSelectorAsMatcher, type LabelMatcher } from '../api/selectors';
import type { Pod, ReplicaSet, ReplicaSetStatus } from '../api/types';
import type { StoreEvent } from '../store/store';
import { QueueController, type ControllerContext, type Watch } from './controller';
import { EventRecorder } from './events';
import {
  controllerRef,
  controllerRefOf,
  isPodActive,
  isPodReady,
  maxContainerRestarts,
  podAvailability,
  podCondition,
} from './podState';

export const REPLICASET_CONTROLLER = 'replicaset-controller';

/** The controller's burstReplicas: at most this many pods are created or deleted in one sync. */
const BURST_REPLICAS = 500;

export interface ReplicaSetControllerOptions extends ControllerContext {
  events?: EventRecorder;
}

/** The ReplicaSets a pod event concerns: the controlling owner before and after the change. */
export function replicaSetKeysForPod(event: StoreEvent): string[] {
  const keys = new Set<string>();
  for (const obj of [event.object, event.old]) {
    if (!obj) continue;
    const ref = controllerRefOf(obj, 'ReplicaSet');
    if (ref) keys.add(`${obj.metadata.namespace ?? ''}/${ref.name}`);
  }
  return [...keys];
}

const phaseOrdinal: Readonly<Record<string, number>> = { Pending: 0, Unknown: 1, Running: 2 };

function deletionCost(pod: Pod): number {
  const raw = pod.metadata.annotations?.['controller.kubernetes.io/pod-deletion-cost'];
  const n = raw === undefined ? 0 : Number(raw);
  return Number.isInteger(n) ? n : 0;
}

function readyTime(pod: Pod): number {
  if (!isPodReady(pod)) return 0;
  const t = Date.parse(podCondition(pod, 'Ready')?.lastTransitionTime ?? '');
  return Number.isNaN(t) ? 0 : t;
}

function created(pod: Pod): number {
  const t = Date.parse(pod.metadata.creationTimestamp ?? '');
  return Number.isNaN(t) ? 0 : t;
}

/** afterOrZero: a zero time sorts first, then the later time. */
function afterOrZero(a: number, b: number): boolean {
  if (a === 0 || b === 0) return a === 0;
  return a > b;
}

/** logarithmicRankDiff: times are compared by the power-of-two bucket of their age, in nanoseconds. */
function logRankDiff(a: number, b: number, now: number): number {
  const rank = (t: number) => {
    const d = (now - t) * 1e6;
    return d > 0 ? Math.floor(Math.log2(d)) : -1;
  };
  return rank(a) - rank(b);
}

/**
 * controller.ActivePodsWithRanks.Less (with PodDeletionCost and LogarithmicScaleDown on, as in
 * 1.32): true when `a` should be deleted before `b`. `rankA`/`rankB` count related active pods
 * on the same node.
 */
export function deleteBefore(a: Pod, b: Pod, rankA: number, rankB: number, now: number): boolean {
  const na = a.spec.nodeName ?? '';
  const nb = b.spec.nodeName ?? '';
  if (na !== nb && (na === '' || nb === '')) return na === '';
  const pa = phaseOrdinal[a.status?.phase ?? ''] ?? 0;
  const pb = phaseOrdinal[b.status?.phase ?? ''] ?? 0;
  if (pa !== pb) return pa < pb;
  if (isPodReady(a) !== isPodReady(b)) return !isPodReady(a);
  const ca = deletionCost(a);
  const cb = deletionCost(b);
  if (ca !== cb) return ca < cb;
  if (rankA !== rankB) return rankA > rankB;
  if (isPodReady(a) && isPodReady(b)) {
    const ra = readyTime(a);
    const rb = readyTime(b);
    if (ra !== rb) {
      if (ra === 0 || rb === 0) return afterOrZero(ra, rb);
      const diff = logRankDiff(ra, rb, now);
      if (diff === 0) return (a.metadata.uid ?? '') < (b.metadata.uid ?? '');
      return diff < 0;
    }
  }
  const ma = maxContainerRestarts(a);
  const mb = maxContainerRestarts(b);
  if (ma !== mb) return ma > mb;
  const ta = created(a);
  const tb = created(b);
  if (ta !== tb) {
    if (ta === 0 || tb === 0) return afterOrZero(ta, tb);
    const diff = logRankDiff(ta, tb, now);
    if (diff === 0) return (a.metadata.uid ?? '') < (b.metadata.uid ?? '');
    return diff < 0;
  }
  return false;
}

/** getPodsToDelete: the `count` pods to delete first, ranked against related pods on the same node. */
export function podsToDelete(pods: readonly Pod[], related: readonly Pod[], count: number, now: number): Pod[] {
  if (count >= pods.length) return [...pods];
  const onNode = new Map<string, number>();
  for (const p of related) if (isPodActive(p)) onNode.set(p.spec.nodeName ?? '', (onNode.get(p.spec.nodeName ?? '') ?? 0) + 1);
  const ranked = pods.map((pod) => ({ pod, rank: onNode.get(pod.spec.nodeName ?? '') ?? 0 }));
  ranked.sort((x, y) => (deleteBefore(x.pod, y.pod, x.rank, y.rank, now) ? -1 : deleteBefore(y.pod, x.pod, y.rank, x.rank, now) ? 1 : 0));
  return ranked.slice(0, count).map((r) => r.pod);
}

export class ReplicaSetController extends QueueController {
  private readonly events: EventRecorder;

  constructor(opts: ReplicaSetControllerOptions) {
    super(REPLICASET_CONTROLLER, opts);
    this.events =
      opts.events ?? new EventRecorder({ client: opts.client, clock: opts.clock, source: { component: REPLICASET_CONTROLLER }, log: opts.log });
  }

  protected watches(): Watch[] {
    return [
      { resource: R.replicasets, keys: (e) => [objectKey(e.object)] },
      { resource: R.pods, keys: replicaSetKeysForPod },
    ];
  }

  protected initialKeys(): Iterable<string> {
    return this.client.list(R.replicasets).map(objectKey);
  }

  sync(key: string): void {
    const { namespace, name } = splitKey(key);
    const rs = this.client.get<ReplicaSet>(R.replicasets, namespace, name);
    // A deleted ReplicaSet's pods are the garbage collector's business.
    if (!rs) return;
    let selector: LabelMatcher;
    try {
      selector = labelSelectorAsMatcher(rs.spec.selector);
    } catch (err) {
      this.log(`${REPLICASET_CONTROLLER}: invalid selector on ${key}: ${(err as Error).message}`);
      return;
    }
    const owned = () =>
      this.client
        .list<Pod>(R.pods, namespace)
        .filter((p) => controllerRefOf(p)?.uid === rs.metadata.uid && selector.matches(p.metadata.labels));
    if (!rs.metadata.deletionTimestamp) this.manageReplicas(rs, owned().filter(isPodActive));
    this.updateStatus(rs, owned().filter(isPodActive));
  }

  private manageReplicas(rs: ReplicaSet, active: Pod[]): void {
    const desired = rs.spec.replicas ?? 1;
    const diff = active.length - desired;
    if (diff < 0) {
      const n = Math.min(-diff, BURST_REPLICAS);
      for (let i = 0; i < n; i++) {
        let pod: Pod;
        try {
          pod = this.client.create<Pod>(R.pods, this.podFromTemplate(rs));
        } catch (err) {
          this.events.warning(rs, 'FailedCreate', `Error creating: ${(err as Error).message}`);
          throw err;
        }
        this.events.normal(rs, 'SuccessfulCreate', `Created pod: ${pod.metadata.name ?? ''}`);
      }
    } else if (diff > 0) {
      const victims = podsToDelete(active, this.relatedPods(rs), Math.min(diff, BURST_REPLICAS), this.clock.now());
      for (const pod of victims) {
        const podName = pod.metadata.name ?? '';
        try {
          this.client.delete(R.pods, rs.metadata.namespace ?? '', podName);
        } catch (err) {
          if ((err as { code?: number }).code === 404) continue;
          this.events.warning(rs, 'FailedDelete', `Error deleting: ${(err as Error).message}`);
          throw err;
        }
        this.events.normal(rs, 'SuccessfulDelete', `Deleted pod: ${podName}`);
      }
    }
  }

  /**
   * getIndirectlyRelatedPods: the pods of every ReplicaSet controlled by the same owner (the
   * Deployment), so that scale-down prefers nodes where the Deployment is doubled up.
   */
  private relatedPods(rs: ReplicaSet): Pod[] {
    const owner = controllerRefOf(rs);
    const namespace = rs.metadata.namespace ?? '';
    const siblings = owner
      ? this.client.list<ReplicaSet>(R.replicasets, namespace).filter((r) => controllerRefOf(r)?.uid === owner.uid)
      : [rs];
    const uids = new Set(siblings.map((r) => r.metadata.uid));
    return this.client.list<Pod>(R.pods, namespace).filter((p) => uids.has(controllerRefOf(p)?.uid));
  }

  private podFromTemplate(rs: ReplicaSet): Pod {
    const template = rs.spec.template ?? { spec: { containers: [] } };
    const meta = template.metadata ?? {};
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        generateName: `${rs.metadata.name ?? ''}-`,
        namespace: rs.metadata.namespace,
        ownerReferences: [controllerRef(rs, 'apps/v1', 'ReplicaSet')],
      },
      spec: clone(template.spec),
    };
    if (meta.labels) pod.metadata.labels = clone(meta.labels);
    if (meta.annotations) pod.metadata.annotations = clone(meta.annotations);
    if (meta.finalizers) pod.metadata.finalizers = clone(meta.finalizers);
    return pod;
  }

  private updateStatus(rs: ReplicaSet, active: Pod[]): void {
    const now = this.clock.now();
    const minReady = rs.spec.minReadySeconds ?? 0;
    const templateLabels = rs.spec.template?.metadata?.labels ?? {};
    let fullyLabeled = 0;
    let ready = 0;
    let available = 0;
    let nextCheck: number | undefined;
    for (const pod of active) {
      const labels = pod.metadata.labels ?? {};
      if (Object.entries(templateLabels).every(([k, v]) => labels[k] === v)) fullyLabeled++;
      if (!isPodReady(pod)) continue;
      ready++;
      const a = podAvailability(pod, minReady, now);
      if (a.available) available++;
      else if (a.at !== undefined) nextCheck = Math.min(nextCheck ?? a.at, a.at);
    }
    const status: ReplicaSetStatus = { replicas: active.length };
    if (fullyLabeled) status.fullyLabeledReplicas = fullyLabeled;
    if (ready) status.readyReplicas = ready;
    if (available) status.availableReplicas = available;
    if (rs.metadata.generation !== undefined) status.observedGeneration = rs.metadata.generation;
    if (nextCheck !== undefined) this.queue.addAfter(objectKey(rs), nextCheck - now);
    if (deepEqual(status, rs.status ?? {})) return;
    const latest = this.client.get<ReplicaSet>(R.replicasets, rs.metadata.namespace ?? '', rs.metadata.name ?? '');
    if (!latest) return;
    this.client.updateStatus(R.replicasets, { ...latest, status });
  }
}
