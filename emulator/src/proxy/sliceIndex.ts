// EndpointSlices grouped by the Service they belong to (their namespace and their
// kubernetes.io/service-name label), kept in step with store events, as kube-proxy's
// EndpointSliceCache keeps them. Finding a Service's slices is then a map lookup instead of a
// scan over every slice in the cluster.

import type { EndpointSlice } from '../api/types';
import { sliceServiceKey } from './rules';

export class SliceIndex {
  /** Service key → slice name → slice. */
  private readonly byService = new Map<string, Map<string, EndpointSlice>>();
  /** `namespace/slice name` → the Service key it is filed under. */
  private readonly owners = new Map<string, string>();

  /**
   * Files a slice as it now is (or, with `deleted`, takes it out). Returns the Services whose
   * slices changed: the one it belongs to now and, when it was relabelled or deleted, the one
   * it belonged to before.
   */
  put(slice: EndpointSlice, deleted = false): string[] {
    const name = slice?.metadata?.name;
    if (typeof name !== 'string' || name === '') return [];
    const id = `${slice.metadata.namespace ?? ''}/${name}`;
    const before = this.owners.get(id);
    const after = deleted ? undefined : sliceServiceKey(slice);
    if (before !== undefined && before !== after) {
      const group = this.byService.get(before);
      group?.delete(name);
      if (group?.size === 0) this.byService.delete(before);
      this.owners.delete(id);
    }
    if (after !== undefined) {
      let group = this.byService.get(after);
      if (!group) this.byService.set(after, (group = new Map()));
      group.set(name, slice);
      this.owners.set(id, after);
    }
    const affected: string[] = [];
    if (before !== undefined) affected.push(before);
    if (after !== undefined && after !== before) affected.push(after);
    return affected;
  }

  /** The slices of one Service, in no particular order. */
  slices(serviceKey: string): EndpointSlice[] {
    const group = this.byService.get(serviceKey);
    return group ? [...group.values()] : [];
  }
}
