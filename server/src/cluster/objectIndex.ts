// The cache's storage for one resource: objects grouped by a key (the namespace, or for
// EndpointSlices the namespace plus the owning Service's name), updated one event at a time.
// Reads hand out arrays that are built once per group and reused until that group changes, so
// a burst of queries between two events costs nothing and an event never rescans the rest.

import type { KubeObject } from '../validation/kubeTypes';

/** The key under which queries over every group are memoized; never a valid group key. */
const ALL = '\u0000all';

export class ObjectIndex<T extends KubeObject> {
  private readonly groups = new Map<string, Map<string, T>>();
  /** Where each object (by namespace/name) lives now, so a move between groups leaves no copy behind. */
  private readonly groupOf = new Map<string, string>();
  private readonly memo = new Map<string, readonly T[]>();

  constructor(private readonly groupKey: (obj: T) => string = (obj) => obj.metadata.namespace ?? '') {}

  get size(): number {
    return this.groupOf.size;
  }

  /** Adds or replaces an object. Returns false when the cached copy has the same resourceVersion. */
  upsert(obj: T): boolean {
    const id = objectId(obj);
    const group = this.groupKey(obj);
    const previousGroup = this.groupOf.get(id);
    if (previousGroup !== undefined) {
      const previous = this.groups.get(previousGroup)?.get(id);
      if (previousGroup === group && previous && sameVersion(previous, obj)) return false;
      if (previousGroup !== group) this.removeFromGroup(previousGroup, id);
    }
    let members = this.groups.get(group);
    if (!members) {
      members = new Map();
      this.groups.set(group, members);
    }
    members.set(id, obj);
    this.groupOf.set(id, group);
    this.invalidate(group);
    return true;
  }

  /** Removes an object by its namespace and name. Returns whether it was there. */
  remove(obj: KubeObject): boolean {
    const id = objectId(obj);
    const group = this.groupOf.get(id);
    if (group === undefined) return false;
    this.removeFromGroup(group, id);
    this.groupOf.delete(id);
    return true;
  }

  /** Makes the contents exactly `objects` (after a list). Returns whether anything changed. */
  replace(objects: readonly T[]): boolean {
    const seen = new Set<string>();
    let changed = false;
    for (const obj of objects) {
      seen.add(objectId(obj));
      if (this.upsert(obj)) changed = true;
    }
    for (const [id, group] of [...this.groupOf]) {
      if (seen.has(id)) continue;
      this.removeFromGroup(group, id);
      this.groupOf.delete(id);
      changed = true;
    }
    return changed;
  }

  clear(): boolean {
    return this.replace([]);
  }

  get(namespace: string, name: string): T | undefined {
    const id = `${namespace}/${name}`;
    const group = this.groupOf.get(id);
    return group === undefined ? undefined : this.groups.get(group)?.get(id);
  }

  /** The members of one group, or of all groups when `group` is undefined. */
  list(group?: string): readonly T[] {
    const key = group ?? ALL;
    const cached = this.memo.get(key);
    if (cached) return cached;
    let out: T[];
    if (group === undefined) {
      out = [];
      for (const members of this.groups.values()) for (const obj of members.values()) out.push(obj);
    } else {
      out = [...(this.groups.get(group)?.values() ?? [])];
    }
    const frozen = Object.freeze(out);
    this.memo.set(key, frozen);
    return frozen;
  }

  groupKeys(): IterableIterator<string> {
    return this.groups.keys();
  }

  private removeFromGroup(group: string, id: string): void {
    const members = this.groups.get(group);
    if (!members) return;
    members.delete(id);
    if (members.size === 0) this.groups.delete(group);
    this.invalidate(group);
  }

  private invalidate(group: string): void {
    this.memo.delete(group);
    this.memo.delete(ALL);
  }
}

export function objectId(obj: KubeObject): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}

function sameVersion(a: KubeObject, b: KubeObject): boolean {
  const rv = a.metadata.resourceVersion;
  return rv !== undefined && rv !== '' && rv === b.metadata.resourceVersion;
}
