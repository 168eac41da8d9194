// The objects of one resource, listed in order (namespace, then name, each compared by UTF-16
// code units, as Array.prototype.sort compares strings) without sorting on each list.
//
// Per namespace, the objects are kept in an array sorted by name as of the last merge, with the
// names in a parallel array. Replacing an object (the common write: a status update) finds its
// slot by binary search; a list is then a plain copy of the array. Added names wait, unsorted, in
// a side list, and removed ones stay behind, until the next list sorts only the newcomers and
// merges them in one pass. When no list comes for a long time (Events are rarely listed), a merge
// also runs once the pending changes outnumber the objects, so the side list stays bounded
// (amortised O(log n) per write).

import type { KubeObject } from '../api/types';

/** Pending changes below this many never force a merge. */
const MIN_PENDING = 1024;

class Namespace {
  readonly byName = new Map<string, KubeObject>();
  /** Sorted as of the last merge; may still hold names removed since. */
  private names: string[] = [];
  /** The objects of `names`, slot for slot. */
  private objects: KubeObject[] = [];
  /** Names added since the last merge, unsorted. */
  private added: string[] = [];
  private removed = 0;

  put(name: string, obj: KubeObject): boolean {
    const isNew = !this.byName.has(name);
    this.byName.set(name, obj);
    if (isNew) {
      this.added.push(name);
      this.mergeIfBehind();
    } else {
      const at = searchString(this.names, name);
      // A name added since the last merge is not in `names` yet: the merge will take the object from the map.
      if (this.names[at] === name) this.objects[at] = obj;
    }
    return isNew;
  }

  remove(name: string): boolean {
    if (!this.byName.delete(name)) return false;
    this.removed++;
    this.mergeIfBehind();
    return true;
  }

  /** The objects, sorted by name, as a new array. */
  list(): KubeObject[] {
    if (this.added.length > 0 || this.removed > 0) this.merge();
    return this.objects.slice();
  }

  /** Appends the objects, sorted by name, to `out`. */
  appendTo(out: KubeObject[]): void {
    if (this.added.length > 0 || this.removed > 0) this.merge();
    for (const obj of this.objects) out.push(obj);
  }

  private mergeIfBehind(): void {
    if (this.added.length + this.removed > Math.max(MIN_PENDING, this.byName.size)) this.merge();
  }

  private merge(): void {
    const added = this.added.sort();
    const names: string[] = [];
    const objects: KubeObject[] = [];
    let i = 0;
    let j = 0;
    // A name removed and added again since the last merge is in both lists: keep it once.
    const keep = (name: string): void => {
      const obj = this.byName.get(name);
      if (obj !== undefined && names[names.length - 1] !== name) {
        names.push(name);
        objects.push(obj);
      }
    };
    while (i < this.names.length && j < added.length) {
      const a = this.names[i] as string;
      const b = added[j] as string;
      if (a <= b) {
        keep(a);
        i++;
      } else {
        keep(b);
        j++;
      }
    }
    while (i < this.names.length) keep(this.names[i++] as string);
    while (j < added.length) keep(added[j++] as string);
    this.names = names;
    this.objects = objects;
    this.added = [];
    this.removed = 0;
  }
}

function searchString(sorted: readonly string[], value: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as string) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class ResourceObjects {
  private readonly byNamespace = new Map<string, Namespace>();
  /** The namespaces that hold at least one object, sorted (there are few). */
  private readonly namespaces: string[] = [];
  private total = 0;

  get size(): number {
    return this.total;
  }

  count(namespace: string): number {
    return this.byNamespace.get(namespace)?.byName.size ?? 0;
  }

  get(namespace: string, name: string): KubeObject | undefined {
    return this.byNamespace.get(namespace)?.byName.get(name);
  }

  /** Adds `obj`, or replaces the object of the same namespace and name. */
  put(namespace: string, name: string, obj: KubeObject): void {
    let ns = this.byNamespace.get(namespace);
    if (!ns) {
      ns = new Namespace();
      this.byNamespace.set(namespace, ns);
      this.namespaces.splice(searchString(this.namespaces, namespace), 0, namespace);
    }
    if (ns.put(name, obj)) this.total++;
  }

  remove(namespace: string, name: string): void {
    const ns = this.byNamespace.get(namespace);
    if (!ns?.remove(name)) return;
    this.total--;
    if (ns.byName.size === 0) {
      this.byNamespace.delete(namespace);
      this.namespaces.splice(searchString(this.namespaces, namespace), 1);
    }
  }

  /** A new array, sorted by namespace then name: the caller may keep or change it. */
  list(namespace?: string): KubeObject[] {
    if (namespace !== undefined) return this.byNamespace.get(namespace)?.list() ?? [];
    const out: KubeObject[] = [];
    for (const name of this.namespaces) (this.byNamespace.get(name) as Namespace).appendTo(out);
    return out;
  }

  /** Calls `fn` for every object, in no particular order. */
  forEach(fn: (obj: KubeObject) => void): void {
    for (const ns of this.byNamespace.values()) for (const obj of ns.byName.values()) fn(obj);
  }
}
