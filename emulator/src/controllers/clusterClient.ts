// What a controller may do to the cluster. Reads come from the store's current state (the
// equivalent of an informer cache: read-only objects); writes go through the registry, so they
// are defaulted, validated and allocated exactly like API writes. Everything is synchronous:
// the store lives in this process. A controller's write is durable at the store's next group
// commit; nothing waits for it, since no client was promised anything.

import { conflict, notFound } from '../api/errors';
import { clone } from '../api/objects';
import { mustResource, R } from '../api/resources';
import type { KubeObject, Pod } from '../api/types';
import { rfc3339 } from '../clock';
import type { DeleteOptions, Registry } from '../registry/registry';
import type { StoreEvent } from '../store/store';

export interface ClusterClient {
  get<T extends KubeObject>(resource: string, namespace: string, name: string): T | undefined;
  /** Objects of a resource in one namespace, or in all when `namespace` is undefined. */
  list<T extends KubeObject>(resource: string, namespace?: string): T[];
  /** Creates an object; `metadata.generateName` works as in the API. Throws ApiError. */
  create<T extends KubeObject>(resource: string, obj: T): T;
  /** Replaces an object; fails with a 409 ApiError if `metadata.resourceVersion` is stale. */
  update<T extends KubeObject>(resource: string, obj: T): T;
  /** Replaces only `status`, through the status subresource. */
  updateStatus<T extends KubeObject>(resource: string, obj: T): T;
  /** Deletes as the API would (pods gracefully: they become Terminating first). */
  delete(resource: string, namespace: string, name: string, opts?: DeleteOptions): void;
  /** Removes an object at once, bypassing grace (the kubelet's final removal of a pod). */
  remove(resource: string, namespace: string, name: string, expectedUid?: string): void;
  /** Store events for every resource, delivered synchronously after each write. */
  subscribe(listener: (event: StoreEvent) => void): () => void;
  /**
   * Binds a pod to a node, as the scheduler does through `pods/binding`: sets spec.nodeName
   * and the PodScheduled condition in one write. Fails with 409 when the pod is already bound
   * or being deleted.
   */
  bind(namespace: string, name: string, nodeName: string): Pod;
}

export class LocalClient implements ClusterClient {
  constructor(private readonly registry: Registry) {}

  get<T extends KubeObject>(resource: string, namespace: string, name: string): T | undefined {
    return this.registry.store.get(resource, namespace, name) as T | undefined;
  }

  list<T extends KubeObject>(resource: string, namespace?: string): T[] {
    return this.registry.store.list(resource, namespace) as T[];
  }

  create<T extends KubeObject>(resource: string, obj: T): T {
    return this.registry.create(mustResource(resource), obj.metadata.namespace ?? '', obj).object as T;
  }

  update<T extends KubeObject>(resource: string, obj: T): T {
    const { namespace = '', name = '' } = obj.metadata;
    return this.registry.update(mustResource(resource), namespace, name, obj).object as T;
  }

  updateStatus<T extends KubeObject>(resource: string, obj: T): T {
    const { namespace = '', name = '' } = obj.metadata;
    return this.registry.update(mustResource(resource), namespace, name, obj, { subresource: 'status' }).object as T;
  }

  delete(resource: string, namespace: string, name: string, opts?: DeleteOptions): void {
    this.registry.delete(mustResource(resource), namespace, name, opts);
  }

  remove(resource: string, namespace: string, name: string, expectedUid?: string): void {
    this.registry.remove(mustResource(resource), namespace, name, expectedUid);
  }

  subscribe(listener: (event: StoreEvent) => void): () => void {
    return this.registry.store.subscribe(listener);
  }

  bind(namespace: string, name: string, nodeName: string): Pod {
    // The binding subresource writes storage directly (registry/core/pod/storage assignPod),
    // not through the pod update strategy, which forbids changing spec.nodeName.
    const rt = mustResource(R.pods);
    const pod = this.registry.store.get(R.pods, namespace, name) as Pod | undefined;
    if (!pod) throw notFound(rt, name);
    if (pod.metadata.deletionTimestamp) {
      throw conflict(rt, name, `pod ${name} is being deleted, cannot be assigned to a host`);
    }
    if (pod.spec.nodeName) throw conflict(rt, name, `pod ${name} is already assigned to node "${pod.spec.nodeName}"`);
    const next = clone(pod);
    next.spec.nodeName = nodeName;
    const status = (next.status ??= {});
    const conditions = (status.conditions ??= []);
    const scheduled = { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(this.registry.clock.now()) };
    const i = conditions.findIndex((c) => c.type === 'PodScheduled');
    if (i >= 0) conditions[i] = scheduled;
    else conditions.push(scheduled);
    try {
      return this.registry.store.update(R.pods, next, pod.metadata.resourceVersion) as Pod;
    } catch {
      throw conflict(rt, name, 'the object has been modified; please apply your changes to the latest version and try again');
    }
  }
}
