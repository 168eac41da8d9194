// The Deployment controller (pkg/controller/deployment): one ReplicaSet per pod template, named
// `<deployment>-<pod-template-hash>`, rolled out with the RollingUpdate arithmetic of
// kube-controller-manager (maxSurge rounded up, maxUnavailable rounded down, scale-downs bounded
// by available pods) or Recreate; proportional scaling when spec.replicas changes mid-rollout;
// old ReplicaSets pruned to revisionHistoryLimit; status and the Available/Progressing
// conditions with their real reasons and messages. Functions keep the names of their Go
// counterparts, so each can be checked against the source.

import { ApiError } from '../api/errors';
import { clone, deepEqual, objectKey, splitKey } from '../api/objects';
import { R } from '../api/resources';
import { labelSelectorAsMatcher } from '../api/selectors';
import type {
  Deployment,
  DeploymentCondition,
  DeploymentStatus,
  IntOrString,
  LabelSelector,
  Pod,
  PodTemplateSpec,
  ReplicaSet,
} from '../api/types';
import { rfc3339 } from '../clock';
import type { StoreEvent } from '../store/store';
import type { ClusterClient } from './clusterClient';
import { QueueController, type ControllerContext, type Watch } from './controller';
import { EventRecorder } from './events';
import { controllerRef, controllerRefOf } from './podState';

export const DEPLOYMENT_CONTROLLER = 'deployment-controller';
export const POD_TEMPLATE_HASH = 'pod-template-hash';
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';

/** Annotations a Deployment does not copy to its ReplicaSets (deployment_util skipCopyAnnotation). */
const SKIP_COPY = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION_ANNOTATION,
  'deployment.kubernetes.io/revision-history',
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  'deprecated.deployment.rollback.to',
]);

// ---------------------------------------------------------------------------------------------
// Pure helpers (deployment_util.go, controller_utils.go)

/** rand.SafeEncodeString: each character mapped through the generateName alphabet by its code. */
export function safeEncodeString(s: string): string {
  const alphanums = 'bcdfghjklmnpqrstvwxz2456789';
  let out = '';
  for (let i = 0; i < s.length; i++) out += alphanums[s.charCodeAt(i) % alphanums.length];
  return out;
}

function fnv32a(bytes: Uint8Array, hash = 0x811c9dc5): number {
  let h = hash;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** JSON with object keys sorted, so equal templates hash equally whatever their key order. */
function canonicalJSON(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJSON).join(',')}]`;
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJSON(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * controller.ComputeHash: FNV-32a over the template (here its canonical JSON, since Go's spew
 * dump has no TypeScript equivalent), then the collision count as 8 little-endian bytes, printed
 * in decimal and safe-encoded. The result looks like `775855699b`.
 */
export function computeHash(template: PodTemplateSpec, collisionCount?: number): string {
  let h = fnv32a(new TextEncoder().encode(canonicalJSON(template)));
  if (collisionCount !== undefined) {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(bytes, h);
  }
  return safeEncodeString(String(h));
}

/** intstr.GetScaledValueFromIntOrPercent; a malformed value counts as 0 (validation rejects it anyway). */
export function scaledValue(value: IntOrString | undefined, total: number, roundUp: boolean): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  const m = /^(-?\d+)%$/.exec(value);
  if (!m) return 0;
  const v = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(v) : Math.floor(v);
}

export function replicasOf(d: Deployment): number {
  return d.spec.replicas ?? 1;
}

function isRollingUpdate(d: Deployment): boolean {
  return (d.spec.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

/** ResolveFenceposts: surge rounded up, unavailable down, and never both zero. */
export function resolveFenceposts(
  maxSurge: IntOrString | undefined,
  maxUnavailable: IntOrString | undefined,
  desired: number,
): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge ?? '25%', desired, true);
  let unavailable = scaledValue(maxUnavailable ?? '25%', desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

export function maxSurge(d: Deployment): number {
  if (!isRollingUpdate(d)) return 0;
  const ru = d.spec.strategy?.rollingUpdate;
  return resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, replicasOf(d)).surge;
}

export function maxUnavailable(d: Deployment): number {
  const replicas = replicasOf(d);
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  const ru = d.spec.strategy?.rollingUpdate;
  const { unavailable } = resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, replicas);
  return Math.min(unavailable, replicas);
}

const specReplicas = (rs: ReplicaSet | undefined): number => rs?.spec.replicas ?? 1;
const sum = (rss: readonly (ReplicaSet | undefined)[], f: (rs: ReplicaSet) => number): number =>
  rss.reduce((n, rs) => n + (rs ? f(rs) : 0), 0);
const replicaCount = (rss: readonly (ReplicaSet | undefined)[]) => sum(rss, specReplicas);
const actualCount = (rss: readonly (ReplicaSet | undefined)[]) => sum(rss, (rs) => rs.status?.replicas ?? 0);
const readyCount = (rss: readonly (ReplicaSet | undefined)[]) => sum(rss, (rs) => rs.status?.readyReplicas ?? 0);
const availableCount = (rss: readonly (ReplicaSet | undefined)[]) => sum(rss, (rs) => rs.status?.availableReplicas ?? 0);

function created(rs: ReplicaSet): number {
  return Date.parse(rs.metadata.creationTimestamp ?? '') || 0;
}

/** ReplicaSetsByCreationTimestamp: oldest first, ties broken by name. */
function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  return created(a) - created(b) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
}

export function revisionOf(rs: ReplicaSet | Deployment): number {
  const n = Number(rs.metadata.annotations?.[REVISION_ANNOTATION] ?? '0');
  return Number.isInteger(n) ? n : 0;
}

function withoutHash(template: PodTemplateSpec | undefined): unknown {
  const t = clone(template ?? { spec: { containers: [] } });
  if (t.metadata?.labels) {
    delete t.metadata.labels[POD_TEMPLATE_HASH];
    if (Object.keys(t.metadata.labels).length === 0) delete t.metadata.labels;
  }
  return t;
}

/** EqualIgnoreHash: the templates are equal once the pod-template-hash label is ignored. */
export function equalIgnoreHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  return deepEqual(withoutHash(a), withoutHash(b));
}

function desiredAnnotation(rs: ReplicaSet): number | undefined {
  const raw = rs.metadata.annotations?.[DESIRED_REPLICAS_ANNOTATION];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  return Number.isInteger(n) ? n : undefined;
}

function maxReplicasAnnotation(rs: ReplicaSet): number | undefined {
  const raw = rs.metadata.annotations?.[MAX_REPLICAS_ANNOTATION];
  const n = raw === undefined ? NaN : Number(raw);
  return Number.isInteger(n) ? n : undefined;
}

/** SetReplicasAnnotations; returns whether anything changed. */
function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  const a = (rs.metadata.annotations ??= {});
  let changed = false;
  if (a[DESIRED_REPLICAS_ANNOTATION] !== String(desired)) {
    a[DESIRED_REPLICAS_ANNOTATION] = String(desired);
    changed = true;
  }
  if (a[MAX_REPLICAS_ANNOTATION] !== String(max)) {
    a[MAX_REPLICAS_ANNOTATION] = String(max);
    changed = true;
  }
  return changed;
}

function condition(status: DeploymentStatus | undefined, type: string): DeploymentCondition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

/** SetDeploymentCondition: same status and reason → unchanged; same status → keep lastTransitionTime. */
function setCondition(status: DeploymentStatus, next: DeploymentCondition): void {
  const current = condition(status, next.type);
  if (current && current.status === next.status && current.reason === next.reason) return;
  if (current && current.status === next.status) next.lastTransitionTime = current.lastTransitionTime;
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== next.type), next];
}

function removeCondition(status: DeploymentStatus, type: string): void {
  if (status.conditions) status.conditions = status.conditions.filter((c) => c.type !== type);
}

function hasProgressDeadline(d: Deployment): boolean {
  return (d.spec.progressDeadlineSeconds ?? 600) !== 2147483647;
}

/** util.DeploymentComplete. */
export function deploymentComplete(d: Deployment, status: DeploymentStatus): boolean {
  const replicas = replicasOf(d);
  return (
    (status.updatedReplicas ?? 0) === replicas &&
    (status.replicas ?? 0) === replicas &&
    (status.availableReplicas ?? 0) === replicas &&
    (status.observedGeneration ?? 0) >= (d.metadata.generation ?? 0)
  );
}

/** util.DeploymentProgressing: more updated, ready or available pods, or fewer old ones. */
function deploymentProgressing(d: Deployment, next: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (next.replicas ?? 0) - (next.updatedReplicas ?? 0);
  return (
    (next.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (next.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (next.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/** NewRSNewReplicas: how far the new ReplicaSet may grow now. */
export function newRSNewReplicas(d: Deployment, allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet): number {
  if (!isRollingUpdate(d)) return replicasOf(d);
  const surge = scaledValue(d.spec.strategy?.rollingUpdate?.maxSurge ?? '25%', replicasOf(d), true);
  const current = replicaCount(allRSs);
  const maxTotal = replicasOf(d) + surge;
  if (current >= maxTotal) return specReplicas(newRS);
  const up = Math.min(maxTotal - current, replicasOf(d) - specReplicas(newRS));
  return specReplicas(newRS) + up;
}

/** Go's integer.RoundToInt32: round half away from zero. */
function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** getReplicaSetFraction: the change in size this ReplicaSet gets in a proportional scale. */
function replicaSetFraction(rs: ReplicaSet, d: Deployment): number {
  if (replicasOf(d) === 0) return -specReplicas(rs);
  const maxNow = replicasOf(d) + maxSurge(d);
  let before = maxReplicasAnnotation(rs);
  if (!before) before = d.status?.replicas ?? 0;
  if (!before) return 0;
  return roundHalfAway((specReplicas(rs) * maxNow) / before) - specReplicas(rs);
}

/** GetProportion. */
function proportion(rs: ReplicaSet, d: Deployment, toAdd: number, added: number): number {
  if (specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

// ---------------------------------------------------------------------------------------------
// The controller

export interface DeploymentControllerOptions extends ControllerContext {
  events?: EventRecorder;
}

/** A ReplicaSet event concerns the Deployment that controls it (before and after the change). */
export function deploymentKeysForReplicaSet(event: StoreEvent): string[] {
  const keys = new Set<string>();
  for (const obj of [event.object, event.old]) {
    const ref = obj && controllerRefOf(obj, 'Deployment');
    if (ref) keys.add(`${obj.metadata.namespace ?? ''}/${ref.name}`);
  }
  return [...keys];
}

export class DeploymentController extends QueueController {
  private readonly events: EventRecorder;

  constructor(opts: DeploymentControllerOptions) {
    super(DEPLOYMENT_CONTROLLER, opts);
    this.events =
      opts.events ?? new EventRecorder({ client: opts.client, clock: opts.clock, source: { component: DEPLOYMENT_CONTROLLER }, log: opts.log });
  }

  protected watches(): Watch[] {
    return [
      { resource: R.deployments, keys: (e) => [objectKey(e.object)] },
      { resource: R.replicasets, keys: deploymentKeysForReplicaSet },
      // Recreate waits for old pods to be gone, which only pod events announce.
      { resource: R.pods, keys: (e) => (e.type === 'DELETED' ? this.deploymentKeysForPod(e) : []) },
    ];
  }

  private deploymentKeysForPod(event: StoreEvent): string[] {
    const ref = controllerRefOf(event.object, 'ReplicaSet');
    if (!ref) return [];
    const rs = this.client.get<ReplicaSet>(R.replicasets, event.object.metadata.namespace ?? '', ref.name);
    return rs ? deploymentKeysForReplicaSet({ ...event, object: rs, old: undefined }) : [];
  }

  protected initialKeys(): Iterable<string> {
    return this.client.list(R.deployments).map(objectKey);
  }

  sync(key: string): void {
    const { namespace, name } = splitKey(key);
    const d = this.client.get<Deployment>(R.deployments, namespace, name);
    // A deleted Deployment's ReplicaSets are the garbage collector's business.
    if (!d) return;
    const env: SyncEnv = {
      client: this.client,
      events: this.events,
      now: this.clock.now(),
      requeueAfter: (k, ms) => this.queue.addAfter(k, ms),
    };
    new DeploymentSync(env, d).run();
  }
}

/** What one reconciliation needs from its controller. */
interface SyncEnv {
  client: ClusterClient;
  events: EventRecorder;
  now: number;
  requeueAfter(key: string, ms: number): void;
}

/** One reconciliation of one Deployment; holds the freshest copy of it as writes happen. */
class DeploymentSync {
  private d: Deployment;
  private readonly client: ClusterClient;
  private readonly events: EventRecorder;
  private readonly now: number;

  constructor(
    private readonly env: SyncEnv,
    d: Deployment,
  ) {
    this.d = d;
    this.client = env.client;
    this.events = env.events;
    this.now = env.now;
  }

  private get namespace(): string {
    return this.d.metadata.namespace ?? '';
  }

  run(): void {
    const d = this.d;
    let everything = false;
    try {
      everything = labelSelectorAsMatcher(d.spec.selector).empty();
    } catch {
      return;
    }
    if (everything) {
      this.events.warning(d, 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      if ((d.status?.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) {
        this.writeStatus({ ...clone(d.status ?? {}), observedGeneration: d.metadata.generation });
      }
      return;
    }
    const rsList = this.ownedReplicaSets();
    if (d.metadata.deletionTimestamp) return this.syncStatusOnly(rsList);
    if (d.spec.paused || this.isScalingEvent(rsList)) return this.syncScale(rsList);
    if (isRollingUpdate(d)) this.rolloutRolling(rsList);
    else this.rolloutRecreate(rsList);
  }

  private ownedReplicaSets(): ReplicaSet[] {
    return this.client
      .list<ReplicaSet>(R.replicasets, this.namespace)
      .filter((rs) => controllerRefOf(rs)?.uid === this.d.metadata.uid);
  }

  // --- ReplicaSets and revisions (sync.go getAllReplicaSetsAndSyncRevision / getNewReplicaSet)

  private findNewReplicaSet(rsList: ReplicaSet[]): ReplicaSet | undefined {
    return [...rsList].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec.template, this.d.spec.template));
  }

  private getAllReplicaSetsAndSyncRevision(
    rsList: ReplicaSet[],
    createIfNotExisted: boolean,
  ): { newRS: ReplicaSet | undefined; oldRSs: ReplicaSet[] } {
    const existing = this.findNewReplicaSet(rsList);
    const oldRSs = rsList.filter((rs) => rs !== existing);
    const newRS = this.getNewReplicaSet(existing, oldRSs, createIfNotExisted);
    return { newRS, oldRSs };
  }

  /** SetNewReplicaSetAnnotations; returns whether the ReplicaSet's annotations changed. */
  private setNewReplicaSetAnnotations(rs: ReplicaSet, newRevision: number, exists: boolean): boolean {
    const annotations = (rs.metadata.annotations ??= {});
    let changed = false;
    for (const [k, v] of Object.entries(this.d.metadata.annotations ?? {})) {
      if (SKIP_COPY.has(k) || annotations[k] === v) continue;
      annotations[k] = v;
      changed = true;
    }
    if (revisionOf(rs) < newRevision) {
      annotations[REVISION_ANNOTATION] = String(newRevision);
      changed = true;
    }
    if (!exists && setReplicasAnnotations(rs, replicasOf(this.d), replicasOf(this.d) + maxSurge(this.d))) changed = true;
    return changed;
  }

  private getNewReplicaSet(existing: ReplicaSet | undefined, oldRSs: ReplicaSet[], create: boolean): ReplicaSet | undefined {
    const d = this.d;
    const newRevision = Math.max(0, ...oldRSs.map(revisionOf)) + 1;
    if (existing) {
      const copy = clone(existing);
      const annotationsUpdated = this.setNewReplicaSetAnnotations(copy, newRevision, true);
      const minReadyChanged = (copy.spec.minReadySeconds ?? 0) !== (d.spec.minReadySeconds ?? 0);
      let rs = existing;
      if (annotationsUpdated || minReadyChanged) {
        copy.spec.minReadySeconds = d.spec.minReadySeconds ?? 0;
        rs = this.client.update<ReplicaSet>(R.replicasets, copy);
      }
      const status = clone(d.status ?? {});
      let statusChanged = false;
      if (hasProgressDeadline(d) && !condition(status, 'Progressing')) {
        setCondition(status, this.newCondition('Progressing', 'True', 'FoundNewReplicaSet', `Found new replica set ${JSON.stringify(rs.metadata.name)}`));
        statusChanged = true;
      }
      this.setDeploymentRevision(rs.metadata.annotations?.[REVISION_ANNOTATION] ?? String(newRevision));
      if (statusChanged) this.writeStatus(status);
      return rs;
    }
    if (!create) return undefined;

    const collisionCount = d.status?.collisionCount;
    const hash = computeHash(d.spec.template, collisionCount);
    const template = clone(d.spec.template);
    template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH]: hash } };
    const selector: LabelSelector = clone(d.spec.selector);
    selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH]: hash };
    const rs: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${d.metadata.name ?? ''}-${hash}`,
        namespace: this.namespace,
        ownerReferences: [controllerRef(d, 'apps/v1', 'Deployment')],
        labels: clone(template.metadata.labels),
      },
      spec: { replicas: 0, minReadySeconds: d.spec.minReadySeconds ?? 0, selector, template },
    };
    const count = newRSNewReplicas(d, [...oldRSs, rs], rs);
    rs.spec.replicas = count;
    this.setNewReplicaSetAnnotations(rs, newRevision, false);
    let createdRS: ReplicaSet;
    try {
      createdRS = this.client.create<ReplicaSet>(R.replicasets, rs);
    } catch (err) {
      if (!(err instanceof ApiError) || err.reason !== 'AlreadyExists') throw err;
      const clash = this.client.get<ReplicaSet>(R.replicasets, this.namespace, rs.metadata.name ?? '');
      // Our own ReplicaSet from an earlier pass that the list missed: use it.
      if (clash && controllerRefOf(clash)?.uid === d.metadata.uid && equalIgnoreHash(clash.spec.template, d.spec.template)) return clash;
      // A hash collision: bump collisionCount so the next pass computes another name.
      this.writeStatus({ ...clone(d.status ?? {}), collisionCount: (collisionCount ?? 0) + 1 });
      throw err;
    }
    if (count > 0) {
      this.events.normal(d, 'ScalingReplicaSet', `Scaled up replica set ${createdRS.metadata.name ?? ''} from 0 to ${count}`);
    }
    this.setDeploymentRevision(String(newRevision));
    if (hasProgressDeadline(d)) {
      const status = clone(this.d.status ?? {});
      setCondition(status, this.newCondition('Progressing', 'True', 'NewReplicaSetCreated', `Created new replica set ${JSON.stringify(createdRS.metadata.name)}`));
      this.writeStatus(status);
    }
    return createdRS;
  }

  private setDeploymentRevision(revision: string): void {
    if (this.d.metadata.annotations?.[REVISION_ANNOTATION] === revision) return;
    const copy = clone(this.d);
    copy.metadata.annotations = { ...(copy.metadata.annotations ?? {}), [REVISION_ANNOTATION]: revision };
    this.d = this.client.update<Deployment>(R.deployments, copy);
  }

  private newCondition(type: string, status: string, reason: string, message: string): DeploymentCondition {
    const t = rfc3339(this.now);
    return { type, status, lastUpdateTime: t, lastTransitionTime: t, reason, message };
  }

  // --- Scaling ReplicaSets (sync.go scaleReplicaSet*)

  private scaleReplicaSetAndRecordEvent(rs: ReplicaSet, newScale: number): { scaled: boolean; rs: ReplicaSet } {
    if (specReplicas(rs) === newScale) return { scaled: false, rs };
    return this.scaleReplicaSet(rs, newScale, specReplicas(rs) < newScale ? 'up' : 'down');
  }

  private scaleReplicaSet(rs: ReplicaSet, newScale: number, operation: string): { scaled: boolean; rs: ReplicaSet } {
    const sizeNeedsUpdate = specReplicas(rs) !== newScale;
    const desired = replicasOf(this.d);
    const max = desired + maxSurge(this.d);
    const copy = clone(rs);
    const annotationsNeedUpdate = setReplicasAnnotations(copy, desired, max);
    if (!sizeNeedsUpdate && !annotationsNeedUpdate) return { scaled: false, rs };
    const oldScale = specReplicas(rs);
    copy.spec.replicas = newScale;
    const updated = this.client.update<ReplicaSet>(R.replicasets, copy);
    if (sizeNeedsUpdate) {
      this.events.normal(this.d, 'ScalingReplicaSet', `Scaled ${operation} replica set ${rs.metadata.name ?? ''} from ${oldScale} to ${newScale}`);
    }
    return { scaled: sizeNeedsUpdate, rs: updated };
  }

  // --- Scaling events (sync.go isScalingEvent / sync / scale)

  private isScalingEvent(rsList: ReplicaSet[]): boolean {
    const { newRS, oldRSs } = this.getAllReplicaSetsAndSyncRevision(rsList, false);
    for (const rs of [...oldRSs, newRS]) {
      if (!rs || specReplicas(rs) === 0) continue;
      const desired = desiredAnnotation(rs);
      if (desired !== undefined && desired !== replicasOf(this.d)) return true;
    }
    return false;
  }

  private syncScale(rsList: ReplicaSet[]): void {
    let { newRS, oldRSs } = this.getAllReplicaSetsAndSyncRevision(rsList, false);
    ({ newRS, oldRSs } = this.scale(newRS, oldRSs));
    if (this.d.spec.paused) this.cleanupDeployment(oldRSs);
    this.syncDeploymentStatus([...oldRSs, newRS], newRS);
  }

  /** FindActiveOrLatest: the one active ReplicaSet, or the newest when none is active. */
  private findActiveOrLatest(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): ReplicaSet | undefined {
    if (!newRS && oldRSs.length === 0) return undefined;
    const sortedOld = [...oldRSs].sort(byCreation).reverse();
    const active = [...sortedOld, newRS].filter((rs): rs is ReplicaSet => !!rs && specReplicas(rs) > 0);
    if (active.length === 0) return newRS ?? sortedOld[0];
    return active.length === 1 ? active[0] : undefined;
  }

  private scale(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): { newRS: ReplicaSet | undefined; oldRSs: ReplicaSet[] } {
    const d = this.d;
    const replace = (rs: ReplicaSet, updated: ReplicaSet) => {
      if (rs === newRS) newRS = updated;
      else oldRSs = oldRSs.map((o) => (o === rs ? updated : o));
    };
    const single = this.findActiveOrLatest(newRS, oldRSs);
    if (single) {
      if (specReplicas(single) !== replicasOf(d)) replace(single, this.scaleReplicaSetAndRecordEvent(single, replicasOf(d)).rs);
      return { newRS, oldRSs };
    }
    // IsSaturated: the new ReplicaSet runs everything; old ones go to zero.
    if (
      newRS &&
      desiredAnnotation(newRS) === replicasOf(d) &&
      specReplicas(newRS) === replicasOf(d) &&
      (newRS.status?.availableReplicas ?? 0) === replicasOf(d)
    ) {
      for (const old of oldRSs.filter((rs) => specReplicas(rs) > 0)) replace(old, this.scaleReplicaSetAndRecordEvent(old, 0).rs);
      return { newRS, oldRSs };
    }
    if (!isRollingUpdate(d)) return { newRS, oldRSs };
    const all = [...oldRSs, newRS].filter((rs): rs is ReplicaSet => !!rs && specReplicas(rs) > 0);
    const allowed = replicasOf(d) > 0 ? replicasOf(d) + maxSurge(d) : 0;
    const toAdd = allowed - replicaCount(all);
    let operation = '';
    if (toAdd > 0) {
      // ReplicaSetsBySizeNewer: bigger first, then newer first.
      all.sort((a, b) => specReplicas(b) - specReplicas(a) || -byCreation(a, b));
      operation = 'up';
    } else if (toAdd < 0) {
      // ReplicaSetsBySizeOlder: bigger first, then older first.
      all.sort((a, b) => specReplicas(b) - specReplicas(a) || byCreation(a, b));
      operation = 'down';
    }
    let added = 0;
    const sizes = new Map<ReplicaSet, number>();
    for (const rs of all) {
      if (toAdd !== 0) {
        const p = proportion(rs, d, toAdd, added);
        sizes.set(rs, specReplicas(rs) + p);
        added += p;
      } else {
        sizes.set(rs, specReplicas(rs));
      }
    }
    all.forEach((rs, i) => {
      let size = sizes.get(rs) ?? 0;
      // Leftovers go to the largest ReplicaSet.
      if (i === 0 && toAdd !== 0) size = Math.max(0, size + toAdd - added);
      replace(rs, this.scaleReplicaSet(rs, size, operation).rs);
    });
    return { newRS, oldRSs };
  }

  // --- RollingUpdate (rolling.go)

  private rolloutRolling(rsList: ReplicaSet[]): void {
    const got = this.getAllReplicaSetsAndSyncRevision(rsList, true);
    let newRS = got.newRS as ReplicaSet;
    let oldRSs = got.oldRSs;

    // reconcileNewReplicaSet
    const desired = replicasOf(this.d);
    if (specReplicas(newRS) !== desired) {
      const target = specReplicas(newRS) > desired ? desired : newRSNewReplicas(this.d, [...oldRSs, newRS], newRS);
      const r = this.scaleReplicaSetAndRecordEvent(newRS, target);
      newRS = r.rs;
      if (r.scaled) return this.syncRolloutStatus([...oldRSs, newRS], newRS);
    }

    // reconcileOldReplicaSets
    const r = this.reconcileOldReplicaSets(oldRSs, newRS);
    oldRSs = r.oldRSs;
    if (r.scaledDown) return this.syncRolloutStatus([...oldRSs, newRS], newRS);

    if (deploymentComplete(this.d, this.d.status ?? {})) oldRSs = this.cleanupDeployment(oldRSs);
    this.syncRolloutStatus([...oldRSs, newRS], newRS);
  }

  private reconcileOldReplicaSets(oldRSs: ReplicaSet[], newRS: ReplicaSet): { scaledDown: boolean; oldRSs: ReplicaSet[] } {
    const active = oldRSs.filter((rs) => specReplicas(rs) > 0);
    if (replicaCount(active) === 0) return { scaledDown: false, oldRSs };
    const allPods = replicaCount([...oldRSs, newRS]);
    const minAvailable = replicasOf(this.d) - maxUnavailable(this.d);
    const newRSUnavailable = specReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
    const maxScaledDown = allPods - minAvailable - newRSUnavailable;
    if (maxScaledDown <= 0) return { scaledDown: false, oldRSs };

    const replace = (rs: ReplicaSet, updated: ReplicaSet) => {
      oldRSs = oldRSs.map((o) => (o === rs ? updated : o));
    };

    // cleanupUnhealthyReplicas: old pods that are not available go first.
    let cleaned = 0;
    for (const rs of oldRSs.filter((o) => specReplicas(o) > 0).sort(byCreation)) {
      if (cleaned >= maxScaledDown) break;
      const available = rs.status?.availableReplicas ?? 0;
      if (specReplicas(rs) === available) continue;
      const down = Math.min(maxScaledDown - cleaned, specReplicas(rs) - available);
      replace(rs, this.scaleReplicaSetAndRecordEvent(rs, specReplicas(rs) - down).rs);
      cleaned += down;
    }

    // scaleDownOldReplicaSetsForRollingUpdate: then as many as availability allows.
    const all = [...oldRSs, newRS];
    const available = availableCount(all);
    let scaled = 0;
    if (available > minAvailable) {
      const total = available - minAvailable;
      for (const rs of oldRSs.filter((o) => specReplicas(o) > 0).sort(byCreation)) {
        if (scaled >= total) break;
        const down = Math.min(specReplicas(rs), total - scaled);
        replace(rs, this.scaleReplicaSetAndRecordEvent(rs, specReplicas(rs) - down).rs);
        scaled += down;
      }
    }
    return { scaledDown: cleaned + scaled > 0, oldRSs };
  }

  // --- Recreate (recreate.go)

  private rolloutRecreate(rsList: ReplicaSet[]): void {
    let { newRS, oldRSs } = this.getAllReplicaSetsAndSyncRevision(rsList, false);
    let scaledDown = false;
    oldRSs = oldRSs.map((rs) => {
      if (specReplicas(rs) === 0) return rs;
      const r = this.scaleReplicaSetAndRecordEvent(rs, 0);
      scaledDown ||= r.scaled;
      return r.rs;
    });
    if (scaledDown) return this.syncRolloutStatus([...oldRSs, newRS], newRS);
    if (this.oldPodsRunning(newRS, oldRSs)) return this.syncRolloutStatus([...oldRSs, newRS], newRS);
    if (!newRS) ({ newRS, oldRSs } = this.getAllReplicaSetsAndSyncRevision(this.ownedReplicaSets(), true));
    if (newRS) newRS = this.scaleReplicaSetAndRecordEvent(newRS, replicasOf(this.d)).rs;
    if (deploymentComplete(this.d, this.d.status ?? {})) oldRSs = this.cleanupDeployment(oldRSs);
    this.syncRolloutStatus([...oldRSs, newRS], newRS);
  }

  /** oldPodsRunning: any old ReplicaSet still reports pods, or any of its pods has not finished. */
  private oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): boolean {
    if (actualCount(oldRSs) > 0) return true;
    const oldUIDs = new Set(oldRSs.map((rs) => rs.metadata.uid));
    return this.client
      .list<Pod>(R.pods, this.namespace)
      .some((p) => {
        const owner = controllerRefOf(p)?.uid;
        if (!owner || owner === newRS?.metadata.uid || !oldUIDs.has(owner)) return false;
        return p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded';
      });
  }

  // --- History (sync.go cleanupDeployment)

  private cleanupDeployment(oldRSs: ReplicaSet[]): ReplicaSet[] {
    const limit = this.d.spec.revisionHistoryLimit ?? 10;
    const alive = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp);
    const diff = alive.length - limit;
    if (diff <= 0) return oldRSs;
    const byRevision = [...alive].sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b));
    const deleted = new Set<ReplicaSet>();
    for (const rs of byRevision.slice(0, diff)) {
      if ((rs.status?.replicas ?? 0) !== 0 || specReplicas(rs) !== 0) continue;
      if ((rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
      try {
        this.client.delete(R.replicasets, this.namespace, rs.metadata.name ?? '');
        deleted.add(rs);
      } catch (err) {
        if (!(err instanceof ApiError) || err.code !== 404) throw err;
      }
    }
    return oldRSs.filter((rs) => !deleted.has(rs));
  }

  // --- Status (sync.go calculateStatus / syncDeploymentStatus, progress.go syncRolloutStatus)

  private calculateStatus(allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined): DeploymentStatus {
    const d = this.d;
    const available = availableCount(allRSs);
    const unavailable = Math.max(0, replicaCount(allRSs) - available);
    const status: DeploymentStatus = {};
    if (d.metadata.generation !== undefined) status.observedGeneration = d.metadata.generation;
    // Zero counts are left out, as the API's omitempty JSON does.
    const counts: [keyof DeploymentStatus, number][] = [
      ['replicas', actualCount(allRSs)],
      ['updatedReplicas', actualCount([newRS])],
      ['readyReplicas', readyCount(allRSs)],
      ['availableReplicas', available],
      ['unavailableReplicas', unavailable],
    ];
    for (const [k, v] of counts) if (v) (status as Record<string, number>)[k] = v;
    if (d.status?.conditions) status.conditions = clone(d.status.conditions);
    if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
    if (available >= replicasOf(d) - maxUnavailable(d)) {
      setCondition(status, this.newCondition('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'));
    } else {
      setCondition(status, this.newCondition('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.'));
    }
    return status;
  }

  private syncStatusOnly(rsList: ReplicaSet[]): void {
    const { newRS, oldRSs } = this.getAllReplicaSetsAndSyncRevision(rsList, false);
    this.syncDeploymentStatus([...oldRSs, newRS], newRS);
  }

  private syncDeploymentStatus(allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined): void {
    this.writeStatus(this.calculateStatus(allRSs, newRS));
  }

  private syncRolloutStatus(allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined): void {
    const d = this.d;
    const next = this.calculateStatus(allRSs, newRS);
    if (!hasProgressDeadline(d)) removeCondition(next, 'Progressing');
    const current = condition(d.status, 'Progressing');
    const alreadyComplete = (next.replicas ?? 0) === (next.updatedReplicas ?? 0) && current?.reason === 'NewReplicaSetAvailable';
    const rsName = JSON.stringify(newRS?.metadata.name ?? '');
    if (hasProgressDeadline(d) && !alreadyComplete) {
      if (deploymentComplete(d, next)) {
        const msg = newRS ? `ReplicaSet ${rsName} has successfully progressed.` : 'Deployment has successfully progressed.';
        setCondition(next, this.newCondition('Progressing', 'True', 'NewReplicaSetAvailable', msg));
      } else if (deploymentProgressing(d, next)) {
        const msg = newRS ? `ReplicaSet ${rsName} is progressing.` : 'Deployment is progressing.';
        const c = this.newCondition('Progressing', 'True', 'ReplicaSetUpdated', msg);
        if (current?.status === 'True') c.lastTransitionTime = current.lastTransitionTime;
        removeCondition(next, 'Progressing');
        setCondition(next, c);
      } else if (this.timedOut(d)) {
        const msg = newRS ? `ReplicaSet ${rsName} has timed out progressing.` : `Deployment ${JSON.stringify(d.metadata.name ?? '')} has timed out progressing.`;
        setCondition(next, this.newCondition('Progressing', 'False', 'ProgressDeadlineExceeded', msg));
      }
    }
    if (deepEqual(next, d.status ?? {})) {
      this.requeueStuckDeployment(next);
      return;
    }
    this.writeStatus(next);
  }

  /** util.DeploymentTimedOut, judged on the Progressing condition's lastUpdateTime. */
  private timedOut(d: Deployment): boolean {
    const c = condition(d.status, 'Progressing');
    if (!c || c.reason === 'NewReplicaSetAvailable') return false;
    if (c.reason === 'ProgressDeadlineExceeded') return true;
    const from = Date.parse(c.lastUpdateTime ?? '');
    return !Number.isNaN(from) && from + (d.spec.progressDeadlineSeconds ?? 600) * 1000 < this.now;
  }

  /** requeueStuckDeployment: come back when the progress deadline would pass. */
  private requeueStuckDeployment(next: DeploymentStatus): void {
    const d = this.d;
    const c = condition(d.status, 'Progressing');
    if (!hasProgressDeadline(d) || !c || deploymentComplete(d, next) || c.reason === 'ProgressDeadlineExceeded') return;
    const from = Date.parse(c.lastUpdateTime ?? '');
    if (Number.isNaN(from)) return;
    const after = from + (d.spec.progressDeadlineSeconds ?? 600) * 1000 - this.now;
    this.env.requeueAfter(objectKey(d), after < 1000 ? 0 : after + 1000);
  }

  private writeStatus(status: DeploymentStatus): void {
    if (deepEqual(status, this.d.status ?? {})) return;
    this.d = this.client.updateStatus<Deployment>(R.deployments, { ...this.d, status });
  }
}
