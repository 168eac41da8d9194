// The EndpointSlice controller (staging/src/k8s.io/endpointslice reconciler.go): the endpoints
// of each selecting Service in IPv4 slices of at most 100 endpoints, grouped by the ports each
// pod resolves to; terminating pods stay in with terminating=true; a Service with nothing to
// list keeps one placeholder slice. Existing slices are updated in place when they can be, as
// reconcileByPortMapping does, so names stay stable while pods come and go.

import { ApiError } from '../api/errors';
import { clone, deepEqual, objectKey, splitKey } from '../api/objects';
import { R } from '../api/resources';
import type { Endpoint, EndpointSlice, EndpointSlicePort, Pod, Service } from '../api/types';
import { QueueController, type ControllerContext, type Watch } from './controller';
import { controllerRef, isPodReady } from './podState';
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

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
export const MAX_ENDPOINTS_PER_SLICE = 100;

/** podToEndpoint. */
export function podToEndpoint(pod: Pod, svc: Service): Endpoint | undefined {
  const ip = podIPv4(pod);
  if (!ip) return undefined;
  const serving = isPodReady(pod);
  const terminating = !!pod.metadata.deletionTimestamp;
  // "ready" is never true for a terminating pod unless the Service publishes not-ready addresses.
  const ready = svc.spec.publishNotReadyAddresses === true || (serving && !terminating);
  const ep: Endpoint = {
    addresses: [ip],
    conditions: { ready, serving, terminating },
    targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
  };
  if (pod.spec.nodeName) ep.nodeName = pod.spec.nodeName;
  if (shouldSetHostname(pod, svc)) ep.hostname = pod.spec.hostname;
  return ep;
}

/** getEndpointPorts: the Service's ports as this pod resolves them; unresolvable ones are left out. */
export function endpointPorts(svc: Service, pod: Pod): EndpointSlicePort[] {
  const out: EndpointSlicePort[] = [];
  for (const sp of svc.spec.ports ?? []) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    const p: EndpointSlicePort = { name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP' };
    if (sp.appProtocol) p.appProtocol = sp.appProtocol;
    out.push(p);
  }
  return out;
}

/** The endpoint's identity within a Service (hashEndpoint): its addresses, hostname and target. */
function endpointKey(ep: Endpoint): string {
  return JSON.stringify([ep.addresses, ep.hostname ?? '', ep.targetRef?.namespace ?? '', ep.targetRef?.name ?? '']);
}

function portsKey(ports: readonly EndpointSlicePort[] | undefined): string {
  return JSON.stringify((ports ?? []).map((p) => [p.name ?? '', p.port ?? null, p.protocol ?? '', p.appProtocol ?? null]));
}

/** Which Service a slice event concerns: the one named by its service-name label. */
function serviceKeysForSlice(obj: EndpointSlice): string[] {
  const svc = obj.metadata.labels?.[SERVICE_NAME_LABEL];
  return svc ? [`${obj.metadata.namespace ?? ''}/${svc}`] : [];
}

interface SliceWork {
  slice: EndpointSlice;
  changed: boolean;
}

export class EndpointSliceController extends QueueController {
  private readonly triggers = new TriggerTimeTracker();

  constructor(opts: ControllerContext) {
    super('endpointslice-controller', opts);
  }

  protected watches(): Watch[] {
    return [
      { resource: R.services, keys: (e) => [objectKey(e.object)] },
      { resource: R.pods, keys: (e) => serviceKeysForPod(this.client, e) },
      { resource: R.endpointslices, keys: (e) => serviceKeysForSlice(e.object as EndpointSlice) },
    ];
  }

  protected initialKeys(): Iterable<string> {
    return this.client.list(R.services).map(objectKey);
  }

  private managedSlices(namespace: string, service: string): EndpointSlice[] {
    return this.client
      .list<EndpointSlice>(R.endpointslices, namespace)
      .filter((s) => s.metadata.labels?.[SERVICE_NAME_LABEL] === service && s.metadata.labels?.[MANAGED_BY_LABEL] === CONTROLLER_NAME);
  }

  sync(key: string): void {
    const { namespace, name } = splitKey(key);
    const svc = this.client.get<Service>(R.services, namespace, name);
    if (!svc) {
      // The garbage collector removes them through their owner reference too; doing it here
      // keeps the Service's endpoints from outliving it when the collector is not running.
      this.triggers.forget(key);
      for (const s of this.managedSlices(namespace, name)) this.deleteSlice(s);
      return;
    }
    if (!managesEndpoints(svc)) return;
    const pods = selectedPods(this.client, svc);
    const trigger = this.triggers.compute(key, svc, pods);

    // Desired endpoints, grouped by the port list each pod resolves to.
    const desired = new Map<string, { ports: EndpointSlicePort[]; endpoints: Map<string, Endpoint> }>();
    for (const pod of pods) {
      if (!shouldPodBeInEndpoints(pod, true)) continue;
      const ep = podToEndpoint(pod, svc);
      if (!ep) continue;
      const ports = endpointPorts(svc, pod);
      const pk = portsKey(ports);
      let group = desired.get(pk);
      if (!group) desired.set(pk, (group = { ports, endpoints: new Map() }));
      group.endpoints.set(endpointKey(ep), ep);
    }

    const existing = this.managedSlices(namespace, name).filter((s) => s.addressType === 'IPv4');
    const toCreate: EndpointSlice[] = [];
    const toUpdate: EndpointSlice[] = [];
    const toDelete: EndpointSlice[] = [];
    const existingByPorts = new Map<string, EndpointSlice[]>();
    for (const s of existing) {
      const pk = portsKey(s.ports);
      existingByPorts.set(pk, [...(existingByPorts.get(pk) ?? []), s]);
    }
    for (const [pk, slices] of existingByPorts) {
      if (!desired.has(pk)) toDelete.push(...slices);
    }
    for (const [pk, group] of desired) {
      const r = this.reconcileByPortMapping(svc, existingByPorts.get(pk) ?? [], group.ports, group.endpoints);
      toCreate.push(...r.create);
      toUpdate.push(...r.update);
      toDelete.push(...r.remove);
    }

    // A Service with nothing to list keeps one placeholder slice.
    if (existing.length === toDelete.length && toCreate.length === 0) {
      const placeholder = this.newSlice(svc, []);
      const keep = toDelete.length === 1 && toDelete[0].endpoints.length === 0 && !toDelete[0].ports?.length;
      if (keep) toDelete.length = 0;
      else toCreate.push(placeholder);
    }

    // Labels follow the Service's; a slice whose labels are stale is rewritten.
    const labels = this.sliceLabels(svc);
    const updating = new Set(toUpdate.map((s) => s.metadata.name));
    const deleting = new Set(toDelete.map((s) => s.metadata.name));
    for (const s of existing) {
      if (updating.has(s.metadata.name) || deleting.has(s.metadata.name)) continue;
      if (!deepEqual(s.metadata.labels ?? {}, labels)) toUpdate.push(clone(s));
    }

    // finalize: turn creates into updates of slices about to be deleted, so names are reused.
    while (toDelete.length && toCreate.length) {
      const old = toDelete.pop() as EndpointSlice;
      const slice = toCreate.pop() as EndpointSlice;
      const reused = clone(old);
      reused.endpoints = slice.endpoints;
      if (slice.ports) reused.ports = slice.ports;
      else delete reused.ports;
      toUpdate.push(reused);
    }

    const stamp = (s: EndpointSlice) => {
      s.metadata.labels = labels;
      const annotations = { ...(s.metadata.annotations ?? {}) };
      if (trigger !== undefined) annotations[LAST_CHANGE_TRIGGER_TIME] = rfc3339Nano(trigger);
      else delete annotations[LAST_CHANGE_TRIGGER_TIME];
      if (Object.keys(annotations).length) s.metadata.annotations = annotations;
      else delete s.metadata.annotations;
      return s;
    };
    for (const s of toDelete) this.deleteSlice(s);
    for (const s of toUpdate) this.client.update(R.endpointslices, stamp(s));
    for (const s of toCreate) this.client.create(R.endpointslices, stamp(s));
  }

  /**
   * reconcileByPortMapping: keep endpoints where they are, update the ones that changed, drop
   * the ones that left, then fill changed slices (fullest first), then one unchanged slice with
   * room for all that remain, and only then create new slices.
   */
  private reconcileByPortMapping(
    svc: Service,
    slices: EndpointSlice[],
    ports: EndpointSlicePort[],
    wanted: Map<string, Endpoint>,
  ): { create: EndpointSlice[]; update: EndpointSlice[]; remove: EndpointSlice[] } {
    const remaining = new Map(wanted);
    const works: SliceWork[] = [];
    const remove: EndpointSlice[] = [];
    for (const s of slices) {
      const work: SliceWork = { slice: clone(s), changed: false };
      const kept: Endpoint[] = [];
      for (const ep of s.endpoints ?? []) {
        const k = endpointKey(ep);
        const want = remaining.get(k);
        if (!want) {
          work.changed = true;
          continue;
        }
        remaining.delete(k);
        if (!deepEqual(ep, want)) work.changed = true;
        kept.push(want);
      }
      work.slice.endpoints = kept;
      if (kept.length === 0) remove.push(s);
      else works.push(work);
    }
    const changed = works.filter((w) => w.changed).sort((a, b) => b.slice.endpoints.length - a.slice.endpoints.length);
    const rest = [...remaining.values()];
    for (const w of changed) {
      while (rest.length && w.slice.endpoints.length < MAX_ENDPOINTS_PER_SLICE) w.slice.endpoints.push(rest.shift() as Endpoint);
    }
    if (rest.length) {
      const fit = works
        .filter((w) => !w.changed && w.slice.endpoints.length + rest.length <= MAX_ENDPOINTS_PER_SLICE)
        .sort((a, b) => b.slice.endpoints.length - a.slice.endpoints.length)[0];
      if (fit) {
        fit.slice.endpoints.push(...rest.splice(0));
        fit.changed = true;
      }
    }
    const create: EndpointSlice[] = [];
    while (rest.length) create.push(this.newSlice(svc, ports, rest.splice(0, MAX_ENDPOINTS_PER_SLICE)));
    return { create, update: works.filter((w) => w.changed).map((w) => w.slice), remove };
  }

  private sliceLabels(svc: Service): Record<string, string> {
    return {
      ...endpointLabels(svc),
      [SERVICE_NAME_LABEL]: svc.metadata.name ?? '',
      [MANAGED_BY_LABEL]: CONTROLLER_NAME,
    };
  }

  private newSlice(svc: Service, ports: EndpointSlicePort[], endpoints: Endpoint[] = []): EndpointSlice {
    const slice: EndpointSlice = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        generateName: `${svc.metadata.name ?? ''}-`,
        namespace: svc.metadata.namespace,
        ownerReferences: [controllerRef(svc, 'v1', 'Service')],
        labels: this.sliceLabels(svc),
      },
      addressType: 'IPv4',
      endpoints,
    };
    if (ports.length) slice.ports = ports;
    return slice;
  }

  private deleteSlice(s: EndpointSlice): void {
    try {
      this.client.delete(R.endpointslices, s.metadata.namespace ?? '', s.metadata.name ?? '');
    } catch (err) {
      if (!(err instanceof ApiError) || err.code !== 404) throw err;
    }
  }
}
