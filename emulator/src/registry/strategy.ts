// What the registry asks of each resource on the write path, in the order kube-apiserver's
// generic Store runs the steps: default, prepare, allocate, validate, then store. Every hook is
// optional; a resource with no strategy is stored after metadata checks alone.

import type { FieldError } from '../../../server/src/validation/fieldErrors';
import type { KubeObject } from '../api/types';
import type { Clock } from '../clock';
import type { Store } from '../store/store';

export interface StrategyContext {
  store: Store;
  clock: Clock;
}

/** Undoes an allocation made for a write that then failed. */
export type Rollback = () => void;

export interface Strategy {
  /** The v1 scheme defaults, applied to every decoded body (create, update, patch). */
  default?(obj: KubeObject): KubeObject;
  /** Clears what users may not set on create (status), sets generation. */
  prepareForCreate?(obj: KubeObject, ctx: StrategyContext): void;
  prepareForUpdate?(obj: KubeObject, old: KubeObject, ctx: StrategyContext): void;
  /**
   * Allocates cluster resources (ClusterIPs, NodePorts) before validation, as the service
   * registry's BeginCreate/BeginUpdate do. Throws an ApiError to reject the write.
   */
  allocate?(obj: KubeObject, old: KubeObject | undefined, ctx: StrategyContext): Rollback | void;
  validate?(obj: KubeObject): FieldError[];
  validateUpdate?(obj: KubeObject, old: KubeObject): FieldError[];
  warnings?(obj: KubeObject, old: KubeObject | undefined): string[];
  /** Runs once an update is stored: frees what the old version held and the new one does not. */
  afterUpdate?(obj: KubeObject, old: KubeObject, ctx: StrategyContext): void;
  /** Releases what `allocate` took, once the object is gone from the store. */
  release?(obj: KubeObject, ctx: StrategyContext): void;
  /** Whether a change from `old` to `obj` bumps metadata.generation (a spec change, usually). */
  bumpsGeneration?(obj: KubeObject, old: KubeObject): boolean;
  /** Whether the object has a status subresource: the main resource then keeps the old status. */
  hasStatus?: boolean;
}
