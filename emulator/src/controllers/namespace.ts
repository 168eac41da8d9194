// Namespace deletion, in two halves as in Kubernetes. The registry half (the graceful deleter
// below, standing in for the namespace REST storage and the NamespaceLifecycle admission
// plugin) refuses to delete the system namespaces and otherwise marks the namespace
// Terminating. The controller half (pkg/controller/namespace) deletes everything inside it and,
// once nothing is left, removes the namespace itself.

import { ApiError, forbidden } from '../api/errors';
import { clone, objectKey } from '../api/objects';
import { R, RESOURCES } from '../api/resources';
import type { Namespace } from '../api/types';
import { rfc3339, type Clock } from '../clock';
import type { GracefulDeleter } from '../registry/registry';
import type { StoreEvent } from '../store/store';
import { QueueController, type ControllerContext, type Watch } from './controller';

/** The namespaces NamespaceLifecycle never lets anyone delete. */
export const IMMORTAL_NAMESPACES: readonly string[] = ['default', 'kube-system', 'kube-public'];

/** How often a namespace still holding objects is checked again, besides deletion events. */
const RECHECK_MS = 1000;

/** Deleting a namespace marks it Terminating (deletionTimestamp, phase, the `kubernetes` finalizer). */
export function namespaceGracefulDeleter(clock: Clock): GracefulDeleter {
  return (obj) => {
    const name = obj.metadata.name ?? '';
    if (IMMORTAL_NAMESPACES.includes(name)) {
      throw forbidden({ group: '', resource: 'namespaces' }, name, 'this namespace may not be deleted');
    }
    if (obj.metadata.deletionTimestamp) return obj;
    const ns = clone(obj) as Namespace;
    ns.metadata.deletionTimestamp = rfc3339(clock.now());
    ns.metadata.deletionGracePeriodSeconds = 0;
    ns.spec = { ...(ns.spec ?? {}), finalizers: ns.spec?.finalizers ?? ['kubernetes'] };
    ns.status = { ...(ns.status ?? {}), phase: 'Terminating' };
    return ns;
  };
}

const NAMESPACED = RESOURCES.filter((r) => r.namespaced).map((r) => r.key);
/** Workloads first, so their controllers do not recreate what is being deleted. */
const DELETE_ORDER = [R.deployments, R.replicasets, ...NAMESPACED.filter((k) => k !== R.deployments && k !== R.replicasets)];

export class NamespaceController extends QueueController {
  constructor(opts: ControllerContext) {
    super('namespace-controller', opts);
  }

  protected watches(): Watch[] {
    const terminating = (namespace: string | undefined) => {
      const ns = namespace ? this.client.get<Namespace>(R.namespaces, '', namespace) : undefined;
      return ns?.metadata.deletionTimestamp ? [namespace as string] : [];
    };
    return [
      { resource: R.namespaces, keys: (e) => [objectKey(e.object)] },
      ...NAMESPACED.map((resource) => ({
        resource,
        keys: (e: StoreEvent) => (e.type === 'DELETED' ? terminating(e.object.metadata.namespace) : []),
      })),
    ];
  }

  protected initialKeys(): string[] {
    return this.client
      .list<Namespace>(R.namespaces)
      .filter((ns) => ns.metadata.deletionTimestamp)
      .map(objectKey);
  }

  sync(name: string): void {
    const ns = this.client.get<Namespace>(R.namespaces, '', name);
    if (!ns?.metadata.deletionTimestamp) return;
    for (const resource of DELETE_ORDER) {
      for (const obj of this.client.list(resource, name)) {
        if (obj.metadata.deletionTimestamp) continue;
        try {
          this.client.delete(resource, name, obj.metadata.name ?? '');
        } catch (err) {
          if (!(err instanceof ApiError) || err.code !== 404) throw err;
        }
      }
    }
    const remaining = NAMESPACED.reduce((n, resource) => n + this.client.list(resource, name).length, 0);
    if (remaining > 0) {
      this.queue.addAfter(name, RECHECK_MS);
      return;
    }
    this.client.remove(R.namespaces, '', name, ns.metadata.uid);
  }
}
