// What a controller may do to the cluster. Reads come from the store's current state (the
// equivalent of an informer cache: read-only objects); writes go through the registry, so they
// are defaulted, validated and allocated exactly like API writes. Everything is synchronous:
// the store lives in this process and its log is fsynced inline.

import type { KubeObject } from '../api/types';
import { mustResource } from '../api/resources';
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
}
