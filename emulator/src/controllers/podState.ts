// Pure predicates over pods and owner references that several controllers share, each with the
// meaning of its namesake in k8s.io/kubernetes (pkg/api/v1/pod, pkg/controller).

import type { KubeObject, OwnerReference, Pod, PodCondition } from '../api/types';

export function podCondition(pod: Pod, type: string): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === type);
}

/** podutil.IsPodReady: the Ready condition is True. */
export function isPodReady(pod: Pod): boolean {
  return podCondition(pod, 'Ready')?.status === 'True';
}

export function isPodTerminal(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** controller.IsPodActive: not finished and not being deleted. */
export function isPodActive(pod: Pod): boolean {
  return !isPodTerminal(pod) && !pod.metadata.deletionTimestamp;
}

/**
 * podutil.IsPodAvailable: ready, and ready for at least minReadySeconds. Returns the clock time
 * at which a ready pod becomes available when it is not yet, so callers can come back then.
 */
export function podAvailability(pod: Pod, minReadySeconds: number, now: number): { available: boolean; at?: number } {
  if (!isPodReady(pod)) return { available: false };
  if (minReadySeconds <= 0) return { available: true };
  const since = Date.parse(podCondition(pod, 'Ready')?.lastTransitionTime ?? '');
  if (Number.isNaN(since)) return { available: false };
  const at = since + minReadySeconds * 1000;
  // metav1 times have second precision, and IsPodAvailable requires the sum to be strictly before now.
  return at < now ? { available: true } : { available: false, at: at + 1 };
}

/** The controlling owner reference, when it names an object of `kind`. */
export function controllerRefOf(obj: KubeObject, kind?: string): OwnerReference | undefined {
  const ref = obj.metadata.ownerReferences?.find((r) => r.controller);
  return ref && (!kind || ref.kind === kind) ? ref : undefined;
}

export function isControlledBy(obj: KubeObject, owner: KubeObject): boolean {
  const ref = controllerRefOf(obj);
  return !!ref && !!owner.metadata.uid && ref.uid === owner.metadata.uid;
}

/** The owner reference a controller puts on what it creates. */
export function controllerRef(owner: KubeObject, apiVersion: string, kind: string): OwnerReference {
  return {
    apiVersion,
    kind,
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** The maximum restart count over the pod's containers. */
export function maxContainerRestarts(pod: Pod): number {
  return Math.max(0, ...(pod.status?.containerStatuses ?? []).map((c) => c.restartCount ?? 0));
}
