// An incremental index of what cluster DNS needs, fed by a list + watch source (the Store
// satisfies it): Services by namespace/name and by IP, namespaces, EndpointSlices grouped by
// the Service they are labelled for and by ready endpoint IP, and live pods by IP. Each event
// updates only the entries of the object it names; nothing is rescanned.
//
// What is kept follows CoreDNS's informers (plugin/kubernetes/object): only ready endpoints
// (conditions.ready unset or true), pods that are neither terminating nor finished, and a
// sentinel port (-1) where a Service or slice declares no ports.

import { R } from '../api/resources';
import type { EndpointSlice, KubeObject, Pod, Service } from '../api/types';
import { systemClock, type Clock } from '../clock';
import type { StoreEvent } from '../store/store';
import type { DnsData, DnsEndpointAddress, DnsEndpoints, DnsPort, DnsService } from './dnsData';

export interface DnsSource {
  list(resource: string, namespace?: string): readonly KubeObject[];
  subscribe(listener: (e: StoreEvent) => void): () => void;
}

export interface DnsIndexOptions {
  /** The SOA serial is this clock's time of the last change. */
  clock?: Clock;
}

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
const NO_PORTS: readonly DnsPort[] = Object.freeze([Object.freeze({ name: '', protocol: '', port: -1 })]);

function keyOf(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

function objectKey(obj: KubeObject): string {
  return keyOf(obj.metadata.namespace ?? '', obj.metadata.name ?? '');
}

/** A map of maps that drops an inner map once it is empty, so removed keys leave nothing behind. */
class MultiMap<V> {
  private readonly outer = new Map<string, Map<string, V>>();

  add(key: string, innerKey: string, value: V): void {
    let inner = this.outer.get(key);
    if (!inner) this.outer.set(key, (inner = new Map()));
    inner.set(innerKey, value);
  }

  remove(key: string, innerKey: string): void {
    const inner = this.outer.get(key);
    if (!inner) return;
    inner.delete(innerKey);
    if (inner.size === 0) this.outer.delete(key);
  }

  /** Values under `key`, ordered by inner key so answers do not depend on event order. */
  sorted(key: string): V[] {
    const inner = this.outer.get(key);
    if (!inner) return [];
    return [...inner.keys()].sort().map((k) => inner.get(k) as V);
  }
}

function toService(svc: Service): DnsService {
  const spec = svc.spec ?? {};
  const clusterIPs = spec.clusterIPs && spec.clusterIPs.length > 0 ? [...spec.clusterIPs] : [spec.clusterIP ?? ''];
  const ports: DnsPort[] = (spec.ports ?? []).map((p) => ({ name: p.name ?? '', protocol: p.protocol ?? '', port: p.port }));
  const ingress = (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname || '');
  return {
    namespace: svc.metadata.namespace ?? '',
    name: svc.metadata.name ?? '',
    type: spec.type ?? 'ClusterIP',
    clusterIPs,
    externalName: spec.externalName ?? '',
    ports: ports.length > 0 ? ports : NO_PORTS,
    externalIPs: [...(spec.externalIPs ?? []), ...ingress].filter((ip) => ip !== ''),
  };
}

/** The IPs a PTR query may find this Service by: its cluster IPs, then its external IPs. */
function reverseIPs(svc: DnsService): string[] {
  return [...svc.clusterIPs.filter((ip) => ip !== '' && ip !== 'None'), ...svc.externalIPs];
}

function toEndpoints(slice: EndpointSlice): DnsEndpoints | undefined {
  if (slice.addressType !== 'IPv4' && slice.addressType !== 'IPv6') return undefined;
  const ports: DnsPort[] = (slice.ports ?? []).map((p) => ({ name: p.name ?? '', protocol: p.protocol ?? '', port: p.port ?? -1 }));
  const addresses: DnsEndpointAddress[] = [];
  for (const ep of slice.endpoints ?? []) {
    // A nil readiness is "unknown", which consumers should treat as ready.
    if (ep.conditions?.ready === false) continue;
    const podName = ep.targetRef?.name ?? '';
    for (const ip of ep.addresses ?? []) {
      addresses.push({ ip, hostname: ep.hostname ?? '', targetRefName: podName.length < 64 ? podName : '' });
    }
  }
  return {
    namespace: slice.metadata.namespace ?? '',
    name: slice.metadata.name ?? '',
    serviceName: slice.metadata.labels?.[SERVICE_NAME_LABEL] ?? '',
    addresses,
    ports: ports.length > 0 ? ports : NO_PORTS,
  };
}

/** The pod's primary IP when DNS may vouch for it, as CoreDNS's pod informer keeps pods. */
function livePodIP(pod: Pod): string | undefined {
  if (pod.metadata.deletionTimestamp) return undefined;
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed' || phase === 'Unknown') return undefined;
  return pod.status?.podIP || undefined;
}

/** Deep equality of plain data (the projections above: strings, numbers, arrays, records). */
function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => sameData(x, b[i]));
  }
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Two projections (or their absence) say the same to DNS. */
function sameView(a: DnsService | DnsEndpoints | undefined, b: DnsService | DnsEndpoints | undefined): boolean {
  return sameData(a, b);
}

export class DnsIndex implements DnsData {
  private readonly clock: Clock;
  private readonly namespaces = new Set<string>();
  private readonly services = new Map<string, DnsService>();
  private readonly servicesByIp = new MultiMap<DnsService>();
  private readonly slices = new Map<string, DnsEndpoints>();
  private readonly slicesByService = new MultiMap<DnsEndpoints>();
  private readonly slicesByIp = new MultiMap<DnsEndpoints>();
  private readonly podIPs = new Map<string, string>();
  private readonly podsByIp = new MultiMap<string>();
  private modified: number;
  private changes = 0;
  private readonly unsubscribe: () => void;

  constructor(source: DnsSource, opts: DnsIndexOptions = {}) {
    this.clock = opts.clock ?? systemClock;
    // Events are delivered synchronously after each write, so subscribing before listing
    // cannot lose one; an object seen twice is simply replaced.
    this.unsubscribe = source.subscribe((e) => this.apply(e));
    for (const ns of source.list(R.namespaces)) this.namespaces.add(ns.metadata.name ?? '');
    for (const svc of source.list(R.services)) this.putService(svc as Service);
    for (const slice of source.list(R.endpointslices)) this.putSlice(slice as EndpointSlice);
    for (const pod of source.list(R.pods)) this.putPod(pod as Pod);
    this.modified = this.now();
  }

  /** Stops following the source. */
  close(): void {
    this.unsubscribe();
  }

  namespaceExists(name: string): boolean {
    return this.namespaces.has(name);
  }

  service(namespace: string, name: string): DnsService | undefined {
    return this.services.get(keyOf(namespace, name));
  }

  endpoints(namespace: string, serviceName: string): readonly DnsEndpoints[] {
    return this.slicesByService.sorted(keyOf(namespace, serviceName));
  }

  servicesByIP(ip: string): readonly DnsService[] {
    return this.servicesByIp.sorted(ip);
  }

  endpointsByIP(ip: string): readonly DnsEndpoints[] {
    return this.slicesByIp.sorted(ip);
  }

  podNamespacesByIP(ip: string): readonly string[] {
    return this.podsByIp.sorted(ip);
  }

  serial(): number {
    return this.modified;
  }

  generation(): number {
    return this.changes;
  }

  private now(): number {
    return Math.floor(this.clock.now() / 1000);
  }

  /**
   * Applies one event. The serial and the generation move only when what DNS sees changed: a
   * pod whose IP stayed, or a slice whose ready endpoints stayed, changes no answer.
   */
  private apply(e: StoreEvent): void {
    const key = objectKey(e.object);
    const live = e.type !== 'DELETED';
    let changed: boolean;
    switch (e.resource) {
      case R.namespaces: {
        const name = e.object.metadata.name ?? '';
        const existed = this.namespaces.has(name);
        if (live) this.namespaces.add(name);
        else this.namespaces.delete(name);
        // Namespaces decide NXDOMAIN but are not part of the serial, as in CoreDNS.
        if (existed !== live) this.changes++;
        return;
      }
      case R.services: {
        const before = this.services.get(key);
        this.dropService(key);
        if (live) this.putService(e.object as Service);
        changed = !sameView(before, this.services.get(key));
        break;
      }
      case R.endpointslices: {
        const before = this.slices.get(key);
        this.dropSlice(key);
        if (live) this.putSlice(e.object as EndpointSlice);
        changed = !sameView(before, this.slices.get(key));
        break;
      }
      case R.pods: {
        const before = this.podIPs.get(key);
        this.dropPod(key);
        if (live) this.putPod(e.object as Pod);
        changed = before !== this.podIPs.get(key);
        break;
      }
      default:
        return;
    }
    if (!changed) return;
    this.changes++;
    this.modified = this.now();
  }

  private putService(obj: Service): void {
    const svc = toService(obj);
    const key = keyOf(svc.namespace, svc.name);
    this.services.set(key, svc);
    for (const ip of reverseIPs(svc)) this.servicesByIp.add(ip, key, svc);
  }

  private dropService(key: string): void {
    const svc = this.services.get(key);
    if (!svc) return;
    this.services.delete(key);
    for (const ip of reverseIPs(svc)) this.servicesByIp.remove(ip, key);
  }

  private putSlice(obj: EndpointSlice): void {
    const eps = toEndpoints(obj);
    if (!eps) return;
    const key = keyOf(eps.namespace, eps.name);
    this.slices.set(key, eps);
    this.slicesByService.add(keyOf(eps.namespace, eps.serviceName), key, eps);
    for (const a of eps.addresses) this.slicesByIp.add(a.ip, key, eps);
  }

  private dropSlice(key: string): void {
    const eps = this.slices.get(key);
    if (!eps) return;
    this.slices.delete(key);
    this.slicesByService.remove(keyOf(eps.namespace, eps.serviceName), key);
    for (const a of eps.addresses) this.slicesByIp.remove(a.ip, key);
  }

  private putPod(pod: Pod): void {
    const ip = livePodIP(pod);
    if (!ip) return;
    const key = objectKey(pod);
    this.podIPs.set(key, ip);
    this.podsByIp.add(ip, key, pod.metadata.namespace ?? '');
  }

  private dropPod(key: string): void {
    const ip = this.podIPs.get(key);
    if (ip === undefined) return;
    this.podIPs.delete(key);
    this.podsByIp.remove(ip, key);
  }
}
