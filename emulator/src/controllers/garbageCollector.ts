// The garbage collector (pkg/controller/garbagecollector), background propagation only: when an
// object is gone, the objects whose ownerReferences name it are deleted too, so deleting a
// Deployment removes its ReplicaSets, whose removal removes their pods. A dependent that still
// has another live owner only loses the dangling reference. At start every owner reference is
// checked once, which finishes a cascade a crash interrupted.
//
// The collector also runs the Events' TTL (see events.ts): in a real cluster etcd deletes them
// when their lease runs out; here the component that removes what is no longer wanted does.

import { ApiError } from '../api/errors';
import { clone } from '../api/objects';
import { resourceByKind, RESOURCES } from '../api/resources';
import type { KubeObject, OwnerReference } from '../api/types';
import type { StoreEvent } from '../store/store';
import type { ObjectTtl } from '../store/objectTtl';
import { QueueController, type ControllerContext, type Watch } from './controller';
import { eventExpiry } from './events';

const ALL = RESOURCES.map((r) => r.key);
const NAMESPACED = RESOURCES.filter((r) => r.namespaced).map((r) => r.key);
/** The namespace part of a key for owners that are cluster-scoped: dependents may be anywhere. */
const ANY_NAMESPACE = '*';

/** `namespace|uid`: the owner whose dependents to check. */
export function ownerKey(namespace: string, uid: string): string {
  return `${namespace}|${uid}`;
}

/** The owners an event may have orphaned: the deleted object itself, or newly referenced owners. */
export function ownerKeysForEvent(event: StoreEvent): string[] {
  const obj = event.object;
  const ns = obj.metadata.namespace ?? '';
  if (event.type === 'DELETED') return obj.metadata.uid ? [ownerKey(ns || ANY_NAMESPACE, obj.metadata.uid)] : [];
  const before = new Set((event.old?.metadata.ownerReferences ?? []).map((r) => r.uid));
  return (obj.metadata.ownerReferences ?? []).filter((r) => !before.has(r.uid)).map((r) => ownerKey(ns, r.uid));
}

export class GarbageCollector extends QueueController {
  private readonly eventTtl: ObjectTtl;

  constructor(opts: ControllerContext) {
    super('garbage-collector', opts);
    this.eventTtl = eventExpiry(this.client, this.clock, this.log);
  }

  override start(): void {
    super.start();
    this.eventTtl.start();
  }

  override stop(): void {
    this.eventTtl.stop();
    super.stop();
  }

  protected watches(): Watch[] {
    return ALL.map((resource) => ({ resource, keys: ownerKeysForEvent }));
  }

  protected initialKeys(): string[] {
    const keys = new Set<string>();
    for (const resource of ALL) {
      for (const obj of this.client.list(resource)) {
        for (const ref of obj.metadata.ownerReferences ?? []) keys.add(ownerKey(obj.metadata.namespace ?? '', ref.uid));
      }
    }
    return [...keys];
  }

  /** Whether the owner a reference names exists with that uid. Unknown kinds count as existing. */
  private ownerExists(ref: OwnerReference, namespace: string): boolean {
    const rt = resourceByKind(ref.apiVersion, ref.kind);
    if (!rt) return true;
    const owner = this.client.get(rt.key, rt.namespaced ? namespace : '', ref.name);
    return owner?.metadata.uid === ref.uid;
  }

  sync(key: string): void {
    const bar = key.lastIndexOf('|');
    const namespace = key.slice(0, bar);
    const uid = key.slice(bar + 1);
    const resources = namespace === ANY_NAMESPACE || namespace === '' ? ALL : NAMESPACED;
    for (const resource of resources) {
      const objs = namespace === ANY_NAMESPACE ? this.client.list(resource) : this.client.list(resource, namespace);
      for (const dep of objs) {
        if (!dep.metadata.ownerReferences?.some((r) => r.uid === uid)) continue;
        this.collect(resource, dep);
      }
    }
  }

  private collect(resource: string, dep: KubeObject): void {
    const ns = dep.metadata.namespace ?? '';
    const refs = dep.metadata.ownerReferences ?? [];
    const live = refs.filter((r) => this.ownerExists(r, ns));
    if (live.length === refs.length) return;
    try {
      if (live.length === 0) {
        if (!dep.metadata.deletionTimestamp) this.client.delete(resource, ns, dep.metadata.name ?? '', { propagationPolicy: 'Background' });
        return;
      }
      const next = clone(dep);
      next.metadata.ownerReferences = live;
      this.client.update(resource, next);
    } catch (err) {
      if (!(err instanceof ApiError) || err.code !== 404) throw err;
    }
  }
}
