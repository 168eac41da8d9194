// What the Endpoints and EndpointSlice controllers share (pkg/controller/util/endpoint and
// staging/src/k8s.io/endpointslice/util): which pods a Service selects, whether a pod belongs
// in its endpoints, named targetPort resolution, and the last-change trigger time.

import { labelMatcherFromSet } from '../api/selectors';
import type { KubeObject, Pod, Service, ServicePort } from '../api/types';
import { R } from '../api/resources';
import type { StoreEvent } from '../store/store';
import type { ClusterClient } from './clusterClient';
import { isPodTerminal, podCondition } from './podState';

export const LAST_CHANGE_TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';

/** A Service without a selector (nil, not empty) has endpoints managed by someone else. */
export function managesEndpoints(svc: Service): boolean {
  return svc.spec.selector != null && svc.spec.type !== 'ExternalName';
}

/** helper.IsServiceIPSet: a ClusterIP other than None or empty. */
export function isServiceIPSet(svc: Service): boolean {
  const ip = svc.spec.clusterIP ?? '';
  return ip !== '' && ip !== 'None';
}

/** The pods in the Service's namespace its selector matches (an empty selector matches all). */
export function selectedPods(client: ClusterClient, svc: Service): Pod[] {
  if (svc.spec.selector == null) return [];
  const matcher = labelMatcherFromSet(svc.spec.selector);
  return client.list<Pod>(R.pods, svc.metadata.namespace ?? '').filter((p) => matcher.matches(p.metadata.labels));
}

/**
 * The Services a pod event concerns: those whose selector matched the pod before the change
 * and those that match it now, so a relabelled pod leaves one Service and joins another.
 */
export function serviceKeysForPod(client: ClusterClient, event: StoreEvent): string[] {
  const namespace = event.object.metadata.namespace ?? '';
  const labelSets = [event.object.metadata.labels, event.old?.metadata.labels];
  const keys: string[] = [];
  for (const svc of client.list<Service>(R.services, namespace)) {
    if (svc.spec.selector == null) continue;
    const matcher = labelMatcherFromSet(svc.spec.selector);
    if (labelSets.some((l) => matcher.matches(l))) keys.push(`${namespace}/${svc.metadata.name ?? ''}`);
  }
  return keys;
}

/** ShouldPodBeInEndpoints: not finished, has an IP, and not terminating unless that is allowed. */
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  if (isPodTerminal(pod)) return false;
  if (!pod.status?.podIP && !(pod.status?.podIPs ?? []).length) return false;
  if (!includeTerminating && pod.metadata.deletionTimestamp) return false;
  return true;
}

/** ShouldSetHostname: the pod names a hostname and sits in the Service's subdomain. */
export function shouldSetHostname(pod: Pod, svc: Service): boolean {
  return !!pod.spec.hostname && pod.spec.subdomain === svc.metadata.name && pod.metadata.namespace === svc.metadata.namespace;
}

/** The pod's IPv4 address (the emulator's only family). */
export function podIPv4(pod: Pod): string | undefined {
  const ips = (pod.status?.podIPs ?? []).map((p) => p.ip);
  if (pod.status?.podIP) ips.unshift(pod.status.podIP);
  return ips.find((ip) => ip.includes('.'));
}

/**
 * podutil.FindPort: an int targetPort is used as is (a missing one means the port itself); a
 * named one is looked up among the pod's container ports with the same name and protocol.
 */
export function findPort(pod: Pod, port: ServicePort): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  const asNumber = /^\d+$/.test(target) ? Number(target) : undefined;
  if (asNumber !== undefined) return asNumber;
  const protocol = port.protocol ?? 'TCP';
  for (const c of pod.spec.containers) {
    for (const cp of c.ports ?? []) {
      if (cp.name === target && (cp.protocol ?? 'TCP') === protocol) return cp.containerPort;
    }
  }
  return undefined;
}

/**
 * TriggerTimeTracker: the time of the earliest change (a pod's Ready transition or the
 * Service's creation) not yet seen by a previous sync of the same Service. Zero (undefined)
 * means "nothing new", and the annotation is then removed.
 */
export class TriggerTimeTracker {
  private readonly state = new Map<string, { pods: Map<string, number>; service: number }>();

  compute(key: string, svc: Service, pods: readonly Pod[]): number | undefined {
    const prev = this.state.get(key) ?? { pods: new Map<string, number>(), service: 0 };
    let min: number | undefined;
    const podTimes = new Map<string, number>();
    for (const pod of pods) {
      const t = Date.parse(podCondition(pod, 'Ready')?.lastTransitionTime ?? '');
      if (Number.isNaN(t)) continue;
      const name = pod.metadata.name ?? '';
      podTimes.set(name, t);
      if (t > (prev.pods.get(name) ?? 0)) min = Math.min(min ?? t, t);
    }
    const svcTime = Date.parse(svc.metadata.creationTimestamp ?? '');
    const service = Number.isNaN(svcTime) ? 0 : svcTime;
    if (service > prev.service) min = Math.min(min ?? service, service);
    this.state.set(key, { pods: podTimes, service });
    return min;
  }

  forget(key: string): void {
    this.state.delete(key);
  }
}

/** Go's time.RFC3339Nano: fractional seconds without trailing zeros, none when whole. */
export function rfc3339Nano(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d*?)0*Z$/, (_m, frac: string) => (frac ? `.${frac}Z` : 'Z'));
}

/** Labels copied from the Service plus the headless marker, as both controllers set them. */
export function endpointLabels(svc: Service): Record<string, string> {
  const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
  if (isServiceIPSet(svc)) delete labels[HEADLESS_LABEL];
  else labels[HEADLESS_LABEL] = '';
  return labels;
}

export function serviceKeyOf(obj: KubeObject): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}
