// The write path shared by the HTTP API and the in-process controllers: namespace checks,
// system metadata, per-resource strategies (defaulting, allocation, validation) and the
// optimistic-concurrency rules of kube-apiserver's generic registry. Everything that changes an
// object goes through here, so a controller's write is checked exactly like a user's.

import { randomUUID } from 'node:crypto';
import { invalid as invalidField, type FieldError } from '../../../server/src/validation/fieldErrors';
import { FIELD_IMMUTABLE } from '../../../server/src/validation/objectMeta';
import {
  ApiError,
  alreadyExists,
  badRequest,
  conflict,
  forbidden,
  invalid,
  methodNotSupported,
  notFound,
  qualifiedResource,
} from '../api/errors';
import { clone, deepEqual, isPlainObject, randomSuffix } from '../api/objects';
import type { ResourceType } from '../api/resources';
import { R, RESOURCES } from '../api/resources';
import type { KubeObject } from '../api/types';
import { rfc3339, type Clock } from '../clock';
import { StoreError, type Store } from '../store/store';
import type { Strategy, StrategyContext } from './strategy';

export interface WriteResult {
  object: KubeObject;
  warnings: string[];
  /** False when an update changed nothing, so nothing was written. */
  changed: boolean;
}

export interface CreateOptions {
  /** Run every check and allocation, then undo them instead of storing (`?dryRun=All`). */
  dryRun?: boolean;
}

export interface UpdateOptions extends CreateOptions {
  subresource?: 'status';
  /** PUT and server-side apply create the object when it does not exist. */
  createIfMissing?: boolean;
  /**
   * The object is the result of a PATCH: its uid is no storage precondition (the patch handler
   * sets none), so a patch that changes the uid fails validation as an immutable field instead.
   */
  patched?: boolean;
}

export interface DeleteOptions {
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  /** Run every check and answer as the deletion would, but change nothing (`dryRun: ["All"]`). */
  dryRun?: boolean;
}

export interface RegistryOptions {
  store: Store;
  clock: Clock;
  strategies: ReadonlyMap<string, Strategy>;
  rand?: () => number;
  /** ObjectMeta validation (names, labels, annotations) for creates and updates of each resource. */
  metaValidator?: MetaValidator;
  /** How many objects each resource may hold; DEFAULT_OBJECT_LIMITS unless a test needs fewer. */
  objectLimits?: ObjectLimits;
}

/** The most objects of one resource (by store key), with a `default` for every other resource. */
export type ObjectLimits = Readonly<Record<string, number>> & { readonly default: number };

/**
 * The emulator keeps every object in memory, so a runaway client (a loop of creates, a
 * Deployment scaled to a million replicas) would otherwise grow it until Node's heap (about
 * 4 GB) runs out and takes every acknowledged answer with it. Each resource holds at most
 * 150,000 objects: the 100,000-pod memory benchmark (about 1 GB with its Events) fits, and the
 * largest kind at the limit stays well inside the heap. Events are small, expire after an
 * hour and are dropped by their recorders when they cannot be written, so they get more room.
 * A create past the limit is refused the way a ResourceQuota on object counts refuses it.
 */
export const DEFAULT_OBJECT_LIMITS: ObjectLimits = { default: 150_000, events: 1_000_000 };

/** The name the quota-style refusal gives the emulator's own limit. */
const OBJECT_LIMIT_NAME = 'ksl-object-limit';

export interface MetaValidator {
  create(rt: ResourceType, obj: KubeObject): FieldError[];
  update(rt: ResourceType, obj: KubeObject, old: KubeObject): FieldError[];
}

/** The graceful-deletion hook: pods get a deletionTimestamp first and disappear later. */
export type GracefulDeleter = (obj: KubeObject, gracePeriodSeconds: number | undefined) => KubeObject | undefined;

export class Registry {
  readonly store: Store;
  readonly clock: Clock;
  private readonly strategies: ReadonlyMap<string, Strategy>;
  private readonly rand: () => number;
  private readonly metaValidator?: MetaValidator;
  private readonly objectLimits: ObjectLimits;
  private readonly ctx: StrategyContext;
  private gracefulDeleters = new Map<string, GracefulDeleter>();

  constructor(opts: RegistryOptions) {
    this.store = opts.store;
    this.clock = opts.clock;
    this.strategies = opts.strategies;
    this.rand = opts.rand ?? Math.random;
    this.metaValidator = opts.metaValidator;
    this.objectLimits = opts.objectLimits ?? DEFAULT_OBJECT_LIMITS;
    this.ctx = { store: this.store, clock: this.clock };
  }

  /** Lets a resource (pods) delete gracefully: the hook returns the object to store instead of removing it. */
  setGracefulDeleter(resource: string, deleter: GracefulDeleter): void {
    this.gracefulDeleters.set(resource, deleter);
  }

  strategyFor(rt: ResourceType): Strategy {
    return this.strategies.get(rt.key) ?? {};
  }

  get(rt: ResourceType, namespace: string, name: string): KubeObject {
    const obj = this.store.get(rt.key, rt.namespaced ? namespace : '', name);
    if (!obj) throw notFound(rt, name);
    return obj;
  }

  create(rt: ResourceType, namespace: string, body: KubeObject, opts: CreateOptions = {}): WriteResult {
    const strategy = this.strategyFor(rt);
    let obj = this.checkTypeAndNamespace(rt, namespace, clone(body));
    if (rt.namespaced) this.requireNamespace(rt, obj.metadata.namespace ?? '', obj.metadata.name ?? '');
    if (strategy.default) obj = strategy.default(obj);
    const meta = obj.metadata;
    if (!meta.name && meta.generateName) meta.name = this.generateName(rt, meta.namespace ?? '', meta.generateName);
    this.checkObjectLimit(rt, meta.name ?? '');
    meta.uid = randomUUID();
    meta.creationTimestamp = rfc3339(this.clock.now());
    delete meta.resourceVersion;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    delete meta.managedFields;
    strategy.prepareForCreate?.(obj, this.ctx);
    const rollback = this.allocate(rt, strategy, obj, undefined, meta.name ?? '');
    try {
      const errs = [
        ...(this.metaValidator?.create(rt, obj) ?? []),
        ...(strategy.validate ? strategy.validate(obj) : []),
      ];
      if (errs.length) throw invalid(rt, meta.name ?? meta.generateName ?? '', errs);
      const warnings = strategy.warnings?.(obj, undefined) ?? [];
      if (opts.dryRun) {
        rollback?.();
        return { object: { ...obj, metadata: { ...meta } }, warnings, changed: true };
      }
      const stored = this.storeWrite(rt, () => this.store.create(rt.key, obj), meta.name ?? '');
      return { object: stored, warnings, changed: true };
    } catch (err) {
      rollback?.();
      throw err;
    }
  }

  update(rt: ResourceType, namespace: string, name: string, body: KubeObject, opts: UpdateOptions = {}): WriteResult {
    const ns = rt.namespaced ? namespace : '';
    const old = this.store.get(rt.key, ns, name);
    if (!old) {
      if (opts.createIfMissing && !opts.subresource) {
        const b = clone(body);
        b.metadata = { ...b.metadata };
        delete b.metadata.resourceVersion;
        return this.create(rt, namespace, b, opts);
      }
      throw notFound(rt, name);
    }
    if (rt.readOnly) throw methodNotSupported(rt, 'update');
    const strategy = this.strategyFor(rt);
    // The update handler's checkName: the body must name the object the URL names (an empty
    // name does not), then sit in the URL's namespace if it names one.
    const bodyMeta = isPlainObject(body?.metadata) ? body.metadata : {};
    if ((bodyMeta.name ?? '') !== name) {
      throw badRequest(`the name of the object (${bodyMeta.name ?? ''}) does not match the name on the URL (${name})`);
    }
    if (rt.namespaced && namespace && bodyMeta.namespace && bodyMeta.namespace !== namespace) {
      throw badRequest(`the namespace of the object (${bodyMeta.namespace}) does not match the namespace on the request (${namespace})`);
    }
    let obj = this.checkTypeAndNamespace(rt, namespace, clone(body));
    // A uid in the body is a precondition the storage layer checks before anything else, so
    // replacing a deleted and recreated object with a saved copy fails instead of overwriting it.
    const uid = obj.metadata.uid;
    if (uid && uid !== old.metadata.uid) {
      if (opts.patched) throw invalid(rt, name, [invalidField('metadata.uid', uid, FIELD_IMMUTABLE)]);
      throw conflict(
        rt,
        name,
        `StorageError: invalid object, Code: 4, Key: ${storageKey(rt, ns, name)}, ResourceVersion: 0, ` +
          `AdditionalErrorMsg: Precondition failed: UID in precondition: ${uid}, UID in object meta: ${old.metadata.uid ?? ''}`,
      );
    }
    const rv = obj.metadata.resourceVersion;
    if (rv && rv !== old.metadata.resourceVersion) {
      throw conflict(rt, name, 'the object has been modified; please apply your changes to the latest version and try again');
    }
    if (strategy.default) obj = strategy.default(obj);
    if (opts.subresource === 'status') {
      // The status subresource changes status and nothing else.
      obj = { ...clone(old), status: obj.status } as KubeObject;
    } else if (strategy.hasStatus) {
      obj.status = clone(old.status);
      if (obj.status === undefined) delete obj.status;
    }
    // System fields belong to the server; a client cannot change them through an update.
    const meta = obj.metadata;
    meta.uid = old.metadata.uid;
    meta.creationTimestamp = old.metadata.creationTimestamp;
    meta.namespace = old.metadata.namespace;
    if (old.metadata.generateName) meta.generateName = old.metadata.generateName;
    else delete meta.generateName;
    if (old.metadata.deletionTimestamp) {
      meta.deletionTimestamp = old.metadata.deletionTimestamp;
      meta.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
    } else {
      delete meta.deletionTimestamp;
      delete meta.deletionGracePeriodSeconds;
    }
    delete meta.managedFields;
    meta.resourceVersion = old.metadata.resourceVersion;
    if (old.metadata.generation !== undefined) meta.generation = old.metadata.generation;
    else delete meta.generation;
    if (!opts.subresource) {
      strategy.prepareForUpdate?.(obj, old, this.ctx);
      if (meta.generation !== undefined && strategy.bumpsGeneration?.(obj, old)) meta.generation += 1;
    }
    const rollback = opts.subresource ? undefined : this.allocate(rt, strategy, obj, old, name);
    try {
      const errs: FieldError[] = [
        ...(this.metaValidator?.update(rt, obj, old) ?? []),
        ...(strategy.validateUpdate ? strategy.validateUpdate(obj, old) : []),
      ];
      if (errs.length) throw invalid(rt, name, errs);
      const warnings = opts.subresource ? [] : strategy.warnings?.(obj, old) ?? [];
      if (deepEqual(obj, old)) {
        rollback?.();
        return { object: old, warnings, changed: false };
      }
      if (opts.dryRun) {
        rollback?.();
        return { object: obj, warnings, changed: true };
      }
      const stored = this.storeWrite(rt, () => this.store.update(rt.key, obj, old.metadata.resourceVersion), name);
      strategy.afterUpdate?.(stored, old, this.ctx);
      return { object: stored, warnings, changed: true };
    } catch (err) {
      rollback?.();
      throw err;
    }
  }

  /**
   * Deletes an object. Returns what the apiserver returns: the object as stored when deletion
   * is graceful (it still exists, with a deletionTimestamp), else its last state.
   */
  delete(rt: ResourceType, namespace: string, name: string, opts: DeleteOptions = {}): { object: KubeObject; gone: boolean } {
    if (rt.readOnly) throw methodNotSupported(rt, 'delete');
    const ns = rt.namespaced ? namespace : '';
    const old = this.store.get(rt.key, ns, name);
    if (!old) throw notFound(rt, name);
    // rest.BeforeDelete checks the preconditions first, and names the kind (not the resource)
    // in its Conflict: `Operation cannot be fulfilled on Service "web": …`.
    const pre = opts.preconditions;
    const byKind = { group: rt.group, resource: rt.kind };
    if (pre?.uid && pre.uid !== old.metadata.uid) {
      throw conflict(
        byKind,
        name,
        `the UID in the precondition (${pre.uid}) does not match the UID in record (${old.metadata.uid ?? ''}). ` +
          'The object might have been deleted and then recreated',
      );
    }
    if (pre?.resourceVersion && pre.resourceVersion !== old.metadata.resourceVersion) {
      throw conflict(
        byKind,
        name,
        `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record ` +
          `(${old.metadata.resourceVersion ?? ''}). The object might have been modified`,
      );
    }
    const graceful = this.gracefulDeleters.get(rt.key);
    if (graceful) {
      const pending = graceful(old, opts.gracePeriodSeconds);
      if (pending) {
        if (deepEqual(pending, old)) return { object: old, gone: false };
        if (opts.dryRun) return { object: pending, gone: false };
        const stored = this.storeWrite(rt, () => this.store.update(rt.key, pending, old.metadata.resourceVersion), name);
        return { object: stored, gone: false };
      }
    }
    if (opts.dryRun) return { object: old, gone: true };
    if (opts.propagationPolicy === 'Orphan') this.orphanDependents(old);
    const last = this.storeWrite(rt, () => this.store.delete(rt.key, ns, name), name);
    this.strategyFor(rt).release?.(old, this.ctx);
    return { object: last, gone: true };
  }

  /** Removes an object without grace, whatever its state: the end of a pod's termination. */
  remove(rt: ResourceType, namespace: string, name: string, expectedUid?: string): KubeObject | undefined {
    const ns = rt.namespaced ? namespace : '';
    const old = this.store.get(rt.key, ns, name);
    if (!old || (expectedUid && old.metadata.uid !== expectedUid)) return undefined;
    const last = this.store.delete(rt.key, ns, name);
    this.strategyFor(rt).release?.(old, this.ctx);
    return last;
  }

  private allocate(
    rt: ResourceType,
    strategy: Strategy,
    obj: KubeObject,
    old: KubeObject | undefined,
    name: string,
  ): (() => void) | undefined {
    if (!strategy.allocate) return undefined;
    try {
      return strategy.allocate(obj, old, this.ctx) ?? undefined;
    } catch (err) {
      if (err instanceof AllocationFieldErrors) throw invalid(rt, name, err.errors);
      throw err;
    }
  }

  private checkTypeAndNamespace(rt: ResourceType, namespace: string, obj: KubeObject): KubeObject {
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
      throw badRequest(`the body of the request was not a ${rt.kind} object`);
    }
    if (obj.apiVersion && obj.apiVersion !== rt.apiVersion) {
      throw badRequest(
        `the API version in the data (${obj.apiVersion}) does not match the expected API version (${rt.apiVersion})`,
      );
    }
    if (obj.kind && obj.kind !== rt.kind) {
      throw badRequest(`the kind in the data (${obj.kind}) does not match the expected kind (${rt.kind})`);
    }
    obj.apiVersion = rt.apiVersion;
    obj.kind = rt.kind;
    obj.metadata = obj.metadata && typeof obj.metadata === 'object' ? obj.metadata : {};
    if (rt.namespaced) {
      if (obj.metadata.namespace && namespace && obj.metadata.namespace !== namespace) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      obj.metadata.namespace = obj.metadata.namespace || namespace;
    } else {
      delete obj.metadata.namespace;
    }
    return obj;
  }

  private requireNamespace(rt: ResourceType, namespace: string, name: string): void {
    if (!namespace) return;
    const ns = this.store.get(R.namespaces, '', namespace);
    if (!ns) throw notFound({ group: '', resource: 'namespaces' }, namespace);
    if (ns.metadata.deletionTimestamp) {
      // The NamespaceLifecycle admission plugin adds a NamespaceTerminating cause, which
      // clients use to tell this 403 from an authorization failure.
      const err = forbidden(rt, name, `unable to create new content in namespace ${namespace} because it is being terminated`);
      throw new ApiError(err.code, err.reason, err.message, {
        ...err.details,
        causes: [{ reason: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' }],
      });
    }
  }

  /**
   * Refuses a create once the resource holds its limit of objects, in the words of the
   * ResourceQuota admission plugin (a 403 kubectl prints as Forbidden), plus what to do.
   */
  private checkObjectLimit(rt: ResourceType, name: string): void {
    const limit = this.objectLimits[rt.key] ?? this.objectLimits.default;
    const used = this.store.count(rt.key);
    if (used < limit) return;
    const what = `count/${qualifiedResource(rt)}`;
    throw forbidden(
      rt,
      name,
      `exceeded quota: ${OBJECT_LIMIT_NAME}, requested: ${what}=1, used: ${what}=${used}, limited: ${what}=${limit}. ` +
        `The Kube Service Lab emulator keeps at most ${limit} ${rt.resource} so that it does not run out of memory: ` +
        `delete some (kubectl delete ${rt.resource} --all${rt.namespaced ? ' -n <namespace>' : ''}) or reset the emulator`,
    );
  }

  private generateName(rt: ResourceType, namespace: string, prefix: string): string {
    // The apiserver truncates the base so the name stays within 63 characters.
    const base = prefix.length > 58 ? prefix.slice(0, 58) : prefix;
    for (let i = 0; i < 16; i++) {
      const candidate = base + randomSuffix(this.rand);
      if (!this.store.get(rt.key, namespace, candidate)) return candidate;
    }
    return base + randomSuffix(this.rand);
  }

  /**
   * Removes the owner's reference from every dependent, of any resource: an ownerReference may
   * name the owner from any kind (a Service owned by a Deployment, say), and the garbage
   * collector deletes whatever still points at a vanished owner.
   */
  private orphanDependents(owner: KubeObject): void {
    const uid = owner.metadata.uid;
    if (!uid) return;
    for (const { key } of RESOURCES) {
      for (const dep of this.store.list(key, owner.metadata.namespace)) {
        const refs = dep.metadata.ownerReferences;
        if (!refs?.some((r) => r.uid === uid)) continue;
        const next = clone(dep);
        next.metadata.ownerReferences = refs.filter((r) => r.uid !== uid);
        if (next.metadata.ownerReferences.length === 0) delete next.metadata.ownerReferences;
        this.store.update(key, next);
      }
    }
  }

  private storeWrite(rt: ResourceType, write: () => KubeObject, name: string): KubeObject {
    try {
      return write();
    } catch (err) {
      if (err instanceof StoreError) {
        if (err.code === 'AlreadyExists') throw alreadyExists(rt, name);
        if (err.code === 'NotFound') throw notFound(rt, name);
        throw conflict(rt, name, err.message);
      }
      throw err;
    }
  }
}

// The etcd key prefixes that differ from the resource name (pkg/registry/*/storage).
const STORAGE_PREFIXES: Readonly<Record<string, string>> = {
  services: 'services/specs',
  endpoints: 'services/endpoints',
  nodes: 'minions',
};

/** The key kube-apiserver stores an object under in etcd; storage errors quote it. */
function storageKey(rt: ResourceType, namespace: string, name: string): string {
  const prefix = STORAGE_PREFIXES[rt.key] ?? rt.resource;
  return rt.namespaced ? `/registry/${prefix}/${namespace}/${name}` : `/registry/${prefix}/${name}`;
}

/** Thrown by a strategy's `allocate` to reject a write with field errors (a 422), as BeginCreate does. */
export class AllocationFieldErrors extends Error {
  constructor(readonly errors: FieldError[]) {
    super(errors.map((e) => e.field).join(', '));
  }
}

