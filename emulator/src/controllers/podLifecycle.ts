// The scheduler and the kubelet of the emulator's single node. No container runs: a pod is
// bound to the node, then "started" on the next pass (an IP from the node's pod CIDR, phase
// Running, containers running but not ready), and becomes Ready after a delay on the injected
// clock. Deleting a pod makes it Terminating (see podGracefulDeleter); the kubelet then stops
// its containers and removes it, which frees its IP.
//
// The annotation `kube-service-lab.dev/readiness: "fail"` stands in for a failing readiness
// probe, so users can watch a pod drop out of a Service's ready endpoints and come back.

import { createHash } from 'node:crypto';
import { clone, deepEqual, objectKey, splitKey } from '../api/objects';
import { R } from '../api/resources';
import type { Container, ContainerStatus, Pod, PodCondition, PodStatus } from '../api/types';
import { rfc3339, type Clock } from '../clock';
import { PodIPAllocator } from '../registry/allocators/podIPAllocator';
import type { GracefulDeleter } from '../registry/registry';
import { QueueController, type ControllerContext, type Watch } from './controller';
import { EventRecorder } from './events';
import { isPodReady, isPodTerminal } from './podState';

export const READINESS_ANNOTATION = 'kube-service-lab.dev/readiness';

export interface PodLifecycleOptions {
  nodeName?: string;
  nodeIP?: string;
  podCIDR?: string;
  /** How long a started pod stays not ready, like an initial readiness probe delay. */
  readyDelayMs?: number;
  /** How long a terminating pod lingers before it is removed (capped by its grace period). */
  terminationDelayMs?: number;
}

export interface PodLifecycleControllerOptions extends ControllerContext, PodLifecycleOptions {
  kubeletEvents?: EventRecorder;
  schedulerEvents?: EventRecorder;
}

const DEFAULT_GRACE_SECONDS = 30;

/**
 * The pod registry's graceful deletion (BeforeDelete + CheckGracefulDelete for pods): a pod
 * that runs on a node gets a deletionTimestamp `grace` seconds ahead and stays until the kubelet
 * removes it; a pod never scheduled, a finished pod, or a deletion with grace 0 goes at once
 * (undefined). Deleting a pod that is already terminating changes nothing unless it shortens
 * the grace period.
 */
export function podGracefulDeleter(clock: Clock): GracefulDeleter {
  return (obj, gracePeriodSeconds) => {
    const pod = obj as Pod;
    const spec = pod.spec as Pod['spec'] & { terminationGracePeriodSeconds?: number };
    let grace = gracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS;
    if (grace < 0) grace = 0;
    if (!spec.nodeName || isPodTerminal(pod)) grace = 0;
    if (grace === 0) return undefined;
    const current = pod.metadata.deletionGracePeriodSeconds;
    if (pod.metadata.deletionTimestamp && current !== undefined && current <= grace) return obj;
    const next = clone(pod);
    next.metadata.deletionTimestamp = rfc3339(clock.now() + grace * 1000);
    next.metadata.deletionGracePeriodSeconds = grace;
    return next;
  };
}

/** How containerd reports an image reference: registry and tag made explicit. */
export function normalizeImage(image: string): string {
  let name = image;
  let tag = '';
  const at = name.indexOf('@');
  if (at < 0) {
    const colon = name.lastIndexOf(':');
    if (colon > name.lastIndexOf('/')) {
      tag = name.slice(colon);
      name = name.slice(0, colon);
    } else {
      tag = ':latest';
    }
  }
  const first = name.split('/')[0];
  const hasRegistry = name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!hasRegistry) name = name.includes('/') ? `docker.io/${name}` : `docker.io/library/${name}`;
  return name + tag;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function imageID(image: string): string {
  const normalized = normalizeImage(image);
  const repo = normalized.replace(/(@.*|:[^:/]*)$/, '');
  return `${repo}@sha256:${sha256(normalized)}`;
}

/** The QoS class the apiserver computes: BestEffort without any requests or limits. */
function qosClassOf(pod: Pod): string {
  const all = [...(pod.spec.initContainers ?? []), ...pod.spec.containers];
  const resources = all.map((c) => (c.resources ?? {}) as { requests?: Record<string, string>; limits?: Record<string, string> });
  const any = resources.some((r) => Object.keys(r.requests ?? {}).length || Object.keys(r.limits ?? {}).length);
  if (!any) return 'BestEffort';
  const guaranteed = resources.every((r) => {
    const limits = r.limits ?? {};
    const requests = r.requests ?? {};
    return ['cpu', 'memory'].every((k) => limits[k] !== undefined && (requests[k] === undefined || requests[k] === limits[k]));
  });
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** Replaces or adds a condition, keeping lastTransitionTime when the status did not change. */
function setCondition(conditions: PodCondition[], next: PodCondition): void {
  const i = conditions.findIndex((c) => c.type === next.type);
  if (i < 0) {
    conditions.push(next);
    return;
  }
  const old = conditions[i];
  conditions[i] = old.status === next.status ? { ...next, lastTransitionTime: old.lastTransitionTime } : next;
}

/** The condition order the kubelet writes: PodReadyToStartContainers, Initialized, Ready, ContainersReady, PodScheduled. */
const CONDITION_ORDER = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];

function orderConditions(conditions: PodCondition[]): PodCondition[] {
  const rank = (t: string) => {
    const i = CONDITION_ORDER.indexOf(t);
    return i < 0 ? CONDITION_ORDER.length : i;
  };
  return [...conditions].sort((a, b) => rank(a.type) - rank(b.type));
}

function containerField(c: Container): string {
  return `spec.containers{${c.name}}`;
}

export class PodLifecycleController extends QueueController {
  readonly nodeName: string;
  readonly nodeIP: string;
  readonly allocator: PodIPAllocator;
  private readonly readyDelayMs: number;
  private readonly terminationDelayMs: number;
  private readonly kubelet: EventRecorder;
  private readonly scheduler: EventRecorder;
  /** Pod key → the IP the kubelet gave it, so the IP is freed when the pod is gone. */
  private readonly ips = new Map<string, { uid: string; ip: string }>();
  /** Pod uid → when it became eligible for readiness (running, not failing). */
  private readonly readySince = new Map<string, number>();
  /** Pod uid → when the kubelet removes the terminating pod. */
  private readonly removeAt = new Map<string, number>();

  constructor(opts: PodLifecycleControllerOptions) {
    super('pod-lifecycle', opts);
    this.nodeName = opts.nodeName ?? 'ksl';
    this.nodeIP = opts.nodeIP ?? '127.0.0.1';
    this.allocator = new PodIPAllocator({ cidr: opts.podCIDR ?? '10.244.0.0/24' });
    this.readyDelayMs = opts.readyDelayMs ?? 1000;
    this.terminationDelayMs = opts.terminationDelayMs ?? 500;
    this.kubelet =
      opts.kubeletEvents ??
      new EventRecorder({ client: opts.client, clock: opts.clock, source: { component: 'kubelet', host: this.nodeName }, log: opts.log });
    this.scheduler =
      opts.schedulerEvents ??
      new EventRecorder({
        client: opts.client,
        clock: opts.clock,
        source: { component: 'default-scheduler', host: this.nodeName },
        style: 'eventsV1',
        log: opts.log,
      });
  }

  protected watches(): Watch[] {
    return [{ resource: R.pods, keys: (e) => [objectKey(e.object)] }];
  }

  protected initialKeys(): Iterable<string> {
    return this.client.list(R.pods).map(objectKey);
  }

  override start(): void {
    this.restoreIPs();
    super.start();
  }

  /** Takes over the IPs stored pods hold, continuing after the newest pod's IP as host-local would. */
  private restoreIPs(): void {
    const running = this.client
      .list<Pod>(R.pods)
      .filter((p) => p.spec.nodeName === this.nodeName && p.status?.podIP && !isPodTerminal(p))
      .sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''));
    const newest = running.at(-1)?.status?.podIP;
    const rejected = new Set(this.allocator.restore(running.map((p) => p.status?.podIP ?? ''), newest));
    for (const p of running) {
      const ip = p.status?.podIP ?? '';
      if (rejected.has(ip)) this.log(`pod-lifecycle: pod ${objectKey(p)} holds ${ip}, which cannot be taken over`);
      else this.ips.set(objectKey(p), { uid: p.metadata.uid ?? '', ip });
    }
  }

  sync(key: string): void {
    const { namespace, name } = splitKey(key);
    const pod = this.client.get<Pod>(R.pods, namespace, name);
    const tracked = this.ips.get(key);
    if (tracked && tracked.uid !== pod?.metadata.uid) {
      this.allocator.release(tracked.ip);
      this.ips.delete(key);
      this.readySince.delete(tracked.uid);
      this.removeAt.delete(tracked.uid);
    }
    if (!pod) return;
    const nodeName = pod.spec.nodeName;
    if (pod.metadata.deletionTimestamp) return this.terminate(pod);
    if (!nodeName) return this.schedule(pod);
    if (nodeName !== this.nodeName || isPodTerminal(pod)) return;
    if (!pod.status?.podIP) return this.startPod(pod);
    this.syncReadiness(pod);
  }

  private schedule(pod: Pod): void {
    const bound = this.client.bind(pod.metadata.namespace ?? '', pod.metadata.name ?? '', this.nodeName);
    this.scheduler.record(bound, {
      type: 'Normal',
      reason: 'Scheduled',
      action: 'Binding',
      message: `Successfully assigned ${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''} to ${this.nodeName}`,
    });
  }

  private startPod(pod: Pod): void {
    const key = objectKey(pod);
    const uid = pod.metadata.uid ?? '';
    const ip = this.allocator.allocateNext();
    const now = this.clock.now();
    const t = rfc3339(now);
    const status: PodStatus = clone(pod.status ?? {});
    status.phase = 'Running';
    status.hostIP = this.nodeIP;
    status.hostIPs = [{ ip: this.nodeIP }];
    status.podIP = ip;
    status.podIPs = [{ ip }];
    status.startTime = t;
    status.qosClass ??= qosClassOf(pod);
    status.containerStatuses = [...pod.spec.containers]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((c): ContainerStatus => ({
        containerID: `containerd://${sha256(`${uid}/${c.name}`)}`,
        image: normalizeImage(c.image ?? ''),
        imageID: imageID(c.image ?? ''),
        lastState: {},
        name: c.name,
        ready: false,
        restartCount: 0,
        started: true,
        state: { running: { startedAt: t } },
      }));
    status.conditions = this.conditions(pod, status, false, now);
    let written: Pod;
    try {
      written = this.client.updateStatus<Pod>(R.pods, { ...pod, status });
    } catch (err) {
      this.allocator.release(ip);
      throw err;
    }
    this.ips.set(key, { uid, ip });
    for (const c of pod.spec.containers) {
      const image = c.image ?? '';
      this.kubelet.normal(written, 'Pulled', `Container image ${JSON.stringify(image)} already present on machine`, containerField(c));
      this.kubelet.normal(written, 'Created', `Created container: ${c.name}`, containerField(c));
      this.kubelet.normal(written, 'Started', `Started container ${c.name}`, containerField(c));
    }
    this.syncReadiness(written);
  }

  /** The kubelet's conditions for a started pod; only Ready and ContainersReady vary. */
  private conditions(pod: Pod, status: PodStatus, ready: boolean, now: number): PodCondition[] {
    const t = rfc3339(now);
    const conditions = clone(pod.status?.conditions ?? []);
    const unready = (status.containerStatuses ?? []).map((c) => c.name);
    const notReady = { reason: 'ContainersNotReady', message: `containers with unready status: [${unready.join(' ')}]` };
    setCondition(conditions, { type: 'PodReadyToStartContainers', status: 'True', lastProbeTime: null, lastTransitionTime: t });
    setCondition(conditions, { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: t });
    for (const type of ['Ready', 'ContainersReady']) {
      setCondition(
        conditions,
        ready
          ? { type, status: 'True', lastProbeTime: null, lastTransitionTime: t }
          : { type, status: 'False', lastProbeTime: null, lastTransitionTime: t, ...notReady },
      );
    }
    if (!conditions.some((c) => c.type === 'PodScheduled')) {
      setCondition(conditions, { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: t });
    }
    return orderConditions(conditions);
  }

  /** Moves Ready to what the simulated readiness probe says now, and schedules the next check. */
  private syncReadiness(pod: Pod): void {
    const uid = pod.metadata.uid ?? '';
    const now = this.clock.now();
    const failing = pod.metadata.annotations?.[READINESS_ANNOTATION] === 'fail';
    const ready = isPodReady(pod);
    let wantReady: boolean;
    if (failing) {
      this.readySince.delete(uid);
      wantReady = false;
    } else if (ready) {
      wantReady = true;
    } else {
      let since = this.readySince.get(uid);
      if (since === undefined) this.readySince.set(uid, (since = now));
      wantReady = now >= since + this.readyDelayMs;
      if (!wantReady) this.queue.addAfter(objectKey(pod), since + this.readyDelayMs - now);
    }
    if (wantReady === ready) return;
    const status: PodStatus = clone(pod.status ?? {});
    status.containerStatuses = (status.containerStatuses ?? []).map((c) => ({ ...c, ready: wantReady }));
    status.conditions = this.conditions(pod, status, wantReady, now);
    if (deepEqual(status, pod.status)) return;
    this.client.updateStatus(R.pods, { ...pod, status });
  }

  private terminate(pod: Pod): void {
    const uid = pod.metadata.uid ?? '';
    const key = objectKey(pod);
    const now = this.clock.now();
    if (pod.spec.nodeName !== this.nodeName) {
      // No kubelet runs a pod bound elsewhere; the pod garbage collector would remove it.
      this.remove(pod);
      return;
    }
    let at = this.removeAt.get(uid);
    if (at === undefined) {
      const graceMs = (pod.metadata.deletionGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS) * 1000;
      at = now + Math.min(this.terminationDelayMs, graceMs);
      this.removeAt.set(uid, at);
      if (pod.status?.podIP) {
        for (const c of pod.spec.containers) this.kubelet.normal(pod, 'Killing', `Stopping container ${c.name}`, containerField(c));
      }
    }
    if (now < at) {
      this.queue.addAfter(key, at - now);
      return;
    }
    if (this.stopContainers(pod, now)) {
      // The stopped status is its own write, as the kubelet reports it before the final
      // removal; watchers see `0/1 Terminating` in between, as on a real node.
      this.queue.add(key);
      return;
    }
    this.remove(pod);
  }

  /**
   * Reports every running container of a terminating pod as exited (SIGTERM honoured, exit 0)
   * and the pod as not ready. Returns false when there was nothing left to stop.
   */
  private stopContainers(pod: Pod, now: number): boolean {
    const statuses = pod.status?.containerStatuses ?? [];
    if (!statuses.some((c) => c.state?.running)) return false;
    const t = rfc3339(now);
    const status: PodStatus = clone(pod.status ?? {});
    status.containerStatuses = statuses.map((c): ContainerStatus => {
      const running = c.state?.running;
      if (!running) return { ...c, ready: false };
      return {
        ...c,
        ready: false,
        started: false,
        state: { terminated: { containerID: c.containerID, exitCode: 0, finishedAt: t, reason: 'Completed', startedAt: running.startedAt } },
      };
    });
    status.conditions = this.conditions(pod, status, false, now);
    this.client.updateStatus(R.pods, { ...pod, status });
    return true;
  }

  private remove(pod: Pod): void {
    const key = objectKey(pod);
    const uid = pod.metadata.uid ?? '';
    this.client.remove(R.pods, pod.metadata.namespace ?? '', pod.metadata.name ?? '', uid);
    const tracked = this.ips.get(key);
    if (tracked && tracked.uid === uid) {
      this.allocator.release(tracked.ip);
      this.ips.delete(key);
    }
    this.readySince.delete(uid);
    this.removeAt.delete(uid);
  }
}

