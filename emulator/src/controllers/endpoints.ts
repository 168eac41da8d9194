// The Endpoints controller (pkg/controller/endpoint): one v1 Endpoints object per selecting
// Service, named like it, listing ready pods in `addresses` and the others in
// `notReadyAddresses`, repacked into subsets the way RepackSubsets does and capped at 1000
// addresses. Services without a selector, and ExternalName Services, are left alone so users
// can manage those Endpoints themselves.

import { ApiError } from '../api/errors';
import { clone, deepEqual, objectKey, splitKey } from '../api/objects';
import { R } from '../api/resources';
import type { EndpointAddress, EndpointPort, Endpoints, EndpointSubset, Pod, Service } from '../api/types';
import { QueueController, type ControllerContext, type Watch } from './controller';
import { isPodReady } from './podState';
import {
  endpointLabels,
  findPort,
  LAST_CHANGE_TRIGGER_TIME,
  managesEndpoints,
  podIPv4,
  rfc3339Nano,
  selectedPods,
  serviceKeysForPod,
  shouldPodBeInEndpoints,
  shouldSetHostname,
  TriggerTimeTracker,
} from './serviceEndpointsCommon';

export const OVER_CAPACITY_ANNOTATION = 'endpoints.kubernetes.io/over-capacity';
export const MAX_ENDPOINTS_CAPACITY = 1000;

/** Bytewise comparison of strings, as Go's bytes.Compare on the IP text. */
function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** LessEndpointAddress: by IP text, then by the target's UID. */
function compareAddresses(a: EndpointAddress, b: EndpointAddress): number {
  return compareBytes(a.ip, b.ip) || compareBytes(a.targetRef?.uid ?? '', b.targetRef?.uid ?? '');
}

function portKey(p: EndpointPort | undefined): string {
  return p ? JSON.stringify([p.name ?? '', p.port, p.protocol ?? '', p.appProtocol ?? null]) : 'sentinel';
}

function addressKey(a: EndpointAddress): string {
  return `${a.ip}/${a.targetRef?.uid ?? ''}`;
}

/**
 * endpoints.RepackSubsets: regroups addresses so each subset holds the addresses that share
 * exactly the same ports (a port-less subset stays port-less), a not-ready mark wins over a
 * ready one, and addresses come out sorted bytewise by IP. Kubernetes orders ports and subsets
 * by a hash of their contents, which is stable but arbitrary; here ports keep the order they
 * were first seen in and subsets are ordered by their first address.
 */
export function repackSubsets(subsets: readonly EndpointSubset[]): EndpointSubset[] {
  const addrs = new Map<string, EndpointAddress>();
  const ports = new Map<string, EndpointPort | undefined>();
  const portToAddrs = new Map<string, Map<string, boolean>>();
  const note = (port: EndpointPort | undefined, addr: EndpointAddress, ready: boolean) => {
    const ak = addressKey(addr);
    if (!addrs.has(ak)) addrs.set(ak, addr);
    const pk = portKey(port);
    if (!ports.has(pk)) ports.set(pk, port);
    let set = portToAddrs.get(pk);
    if (!set) portToAddrs.set(pk, (set = new Map()));
    const was = set.get(ak);
    if (was === undefined || was) set.set(ak, ready);
  };
  for (const s of subsets) {
    const list = s.ports && s.ports.length ? s.ports : [undefined];
    for (const port of list) {
      for (const a of s.addresses ?? []) note(port, a, true);
      for (const a of s.notReadyAddresses ?? []) note(port, a, false);
    }
  }
  const groups = new Map<string, { addrs: Map<string, boolean>; ports: EndpointPort[] }>();
  for (const [pk, set] of portToAddrs) {
    const key = [...set.entries()].sort().map(([a, r]) => `${a}=${r}`).join(',');
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { addrs: set, ports: [] }));
    const port = ports.get(pk);
    if (port) g.ports.push(port);
  }
  const out: EndpointSubset[] = [];
  for (const g of groups.values()) {
    const ready: EndpointAddress[] = [];
    const notReady: EndpointAddress[] = [];
    for (const [ak, r] of g.addrs) (r ? ready : notReady).push(clone(addrs.get(ak) as EndpointAddress));
    ready.sort(compareAddresses);
    notReady.sort(compareAddresses);
    const subset: EndpointSubset = {};
    if (ready.length) subset.addresses = ready;
    if (notReady.length) subset.notReadyAddresses = notReady;
    if (g.ports.length) subset.ports = g.ports;
    out.push(subset);
  }
  const first = (s: EndpointSubset) => (s.addresses ?? s.notReadyAddresses ?? [])[0];
  return out.sort((a, b) => {
    const fa = first(a);
    const fb = first(b);
    return (fa && fb ? compareAddresses(fa, fb) : 0) || compareBytes(portKeyList(a), portKeyList(b));
  });
}

function portKeyList(s: EndpointSubset): string {
  return (s.ports ?? []).map(portKey).join(';');
}

/**
 * truncateEndpoints: over 1000 addresses, keep ready ones first, each subset keeping its
 * proportional share (rounded up) of what fits. Returns whether anything was cut.
 */
export function truncateEndpoints(subsets: EndpointSubset[]): boolean {
  let totalReady = 0;
  let totalNotReady = 0;
  for (const s of subsets) {
    totalReady += s.addresses?.length ?? 0;
    totalNotReady += s.notReadyAddresses?.length ?? 0;
  }
  if (totalReady + totalNotReady <= MAX_ENDPOINTS_CAPACITY) return false;
  const truncateReady = totalReady > MAX_ENDPOINTS_CAPACITY;
  const max = truncateReady ? MAX_ENDPOINTS_CAPACITY : MAX_ENDPOINTS_CAPACITY - totalReady;
  const numTotal = truncateReady ? totalReady : totalNotReady;
  let canBeAdded = max;
  for (const s of subsets) {
    const inSubset = truncateReady ? (s.addresses?.length ?? 0) : (s.notReadyAddresses?.length ?? 0);
    const toBeAdded = Math.min(Math.ceil((inSubset / numTotal) * max), canBeAdded);
    if (truncateReady) {
      s.addresses = (s.addresses ?? []).slice(0, toBeAdded);
      delete s.notReadyAddresses;
      canBeAdded -= s.addresses.length;
      if (!s.addresses.length) delete s.addresses;
    } else {
      s.notReadyAddresses = (s.notReadyAddresses ?? []).slice(0, toBeAdded);
      canBeAdded -= s.notReadyAddresses.length;
      if (!s.notReadyAddresses.length) delete s.notReadyAddresses;
    }
  }
  return true;
}

/** The subsets a Service's pods call for, before repacking (syncService's pod loop). */
export function desiredSubsets(svc: Service, pods: readonly Pod[]): EndpointSubset[] {
  const tolerateUnready = svc.spec.publishNotReadyAddresses === true;
  const subsets: EndpointSubset[] = [];
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, tolerateUnready)) continue;
    const ip = podIPv4(pod);
    if (!ip) continue;
    const address: EndpointAddress = {
      ip,
      ...(pod.spec.nodeName ? { nodeName: pod.spec.nodeName } : {}),
      targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
    };
    if (shouldSetHostname(pod, svc)) address.hostname = pod.spec.hostname;
    const ready = tolerateUnready || isPodReady(pod);
    const add = (ports: EndpointPort[] | undefined) =>
      subsets.push({ ...(ready ? { addresses: [address] } : { notReadyAddresses: [address] }), ...(ports ? { ports } : {}) });
    const servicePorts = svc.spec.ports ?? [];
    if (servicePorts.length === 0) {
      if (svc.spec.clusterIP === 'None') add(undefined);
      continue;
    }
    for (const sp of servicePorts) {
      const port = findPort(pod, sp);
      if (port === undefined) continue;
      const ep: EndpointPort = { port, protocol: sp.protocol ?? 'TCP' };
      if (sp.name) ep.name = sp.name;
      if (sp.appProtocol) ep.appProtocol = sp.appProtocol;
      add([ep]);
    }
  }
  return subsets;
}

export class EndpointsController extends QueueController {
  private readonly triggers = new TriggerTimeTracker();

  constructor(opts: ControllerContext) {
    super('endpoint-controller', opts);
  }

  protected watches(): Watch[] {
    return [
      { resource: R.services, keys: (e) => [objectKey(e.object)] },
      { resource: R.pods, keys: (e) => serviceKeysForPod(this.client, e) },
      // A user edit or deletion of a managed Endpoints object is repaired.
      { resource: R.endpoints, keys: (e) => [objectKey(e.object)] },
    ];
  }

  protected initialKeys(): Iterable<string> {
    return this.client.list(R.services).map(objectKey);
  }

  sync(key: string): void {
    const { namespace, name } = splitKey(key);
    const svc = this.client.get<Service>(R.services, namespace, name);
    const current = this.client.get<Endpoints>(R.endpoints, namespace, name);
    if (!svc) {
      this.triggers.forget(key);
      if (current) this.deleteIgnoringNotFound(namespace, name);
      return;
    }
    if (!managesEndpoints(svc)) return;
    const pods = selectedPods(this.client, svc);
    const trigger = this.triggers.compute(key, svc, pods);
    const subsets = repackSubsets(desiredSubsets(svc, pods));
    const truncated = truncateEndpoints(subsets);

    const next: Endpoints = current ? clone(current) : { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace } };
    if (subsets.length) next.subsets = subsets;
    else delete next.subsets;
    const labels = endpointLabels(svc);
    if (Object.keys(labels).length) next.metadata.labels = labels;
    else delete next.metadata.labels;
    const annotations = { ...(next.metadata.annotations ?? {}) };
    if (truncated) annotations[OVER_CAPACITY_ANNOTATION] = 'truncated';
    else delete annotations[OVER_CAPACITY_ANNOTATION];
    const unchanged =
      current && deepEqual({ ...next, metadata: { ...next.metadata, annotations } }, { ...current, metadata: { ...current.metadata, annotations: current.metadata.annotations ?? {} } });
    if (unchanged) return;
    if (trigger !== undefined) annotations[LAST_CHANGE_TRIGGER_TIME] = rfc3339Nano(trigger);
    else delete annotations[LAST_CHANGE_TRIGGER_TIME];
    if (Object.keys(annotations).length) next.metadata.annotations = annotations;
    else delete next.metadata.annotations;
    if (current) this.client.update(R.endpoints, next);
    else this.client.create(R.endpoints, next);
  }

  private deleteIgnoringNotFound(namespace: string, name: string): void {
    try {
      this.client.delete(R.endpoints, namespace, name);
    } catch (err) {
      if (!(err instanceof ApiError) || err.code !== 404) throw err;
    }
  }
}
