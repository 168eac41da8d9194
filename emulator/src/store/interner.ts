// Freezes what the store keeps, and makes equal parts of stored objects one shared value.
// Stored objects never change (ARCHITECTURE invariant 3), so the pods of one Deployment can
// hold the same frozen `tolerations` array, container spec, labels and condition entries, and
// a "Running" or a timestamp can be one string for all of them. Objects reach the store as
// fresh deep copies (structuredClone), so without this every pod would carry its own copy of
// everything; at 100,000 pods sharing cuts the store's memory by more than half.
//
// What is shared: small nodes, that is objects and arrays of plain data whose JSON is at most
// MAX_KEY characters, found by their JSON text; and the strings of up to MAX_STRING characters
// held by the nodes that are kept (a shared node's strings are shared with it). JSON text is an
// exact key for plain data, except that it cannot tell `undefined` or a non-finite number from
// an absent or null one, so nodes holding those are never shared. The caches keep two
// generations of at most GENERATION entries: a value used by many objects is found again
// before it ages out, and a unique one (a uid, a pod IP) is soon forgotten, so the caches stay
// small and never hold on to much that was deleted.

const MAX_STRING = 64;
const MAX_KEY = 512;
const GENERATION = 16_384;

/** A bounded cache that keeps what is used at least once per GENERATION insertions. */
class TwoGenerations<V> {
  private young = new Map<string, V>();
  private old = new Map<string, V>();

  get(key: string): V | undefined {
    const young = this.young.get(key);
    if (young !== undefined) return young;
    const old = this.old.get(key);
    if (old !== undefined) this.set(key, old);
    return old;
  }

  set(key: string, value: V): void {
    this.young.set(key, value);
    if (this.young.size >= GENERATION) {
      this.old = this.young;
      this.young = new Map();
    }
  }

  /** The value cached under `key`; `value` itself, now cached, if there was none. */
  intern(key: string, value: V): V {
    const found = this.get(key);
    if (found !== undefined) return found;
    this.set(key, value);
    return value;
  }
}

export class Interner {
  private readonly strings = new TwoGenerations<string>();
  private readonly nodes = new TwoGenerations<object>();
  // Set by `visit` for its caller: whether the value just visited may be part of a small node,
  // and how many characters of JSON it takes at most.
  private shareable = false;
  private length = 0;

  /**
   * Deep-freezes `value` and returns it, with its parts replaced by equal shared ones (or an
   * equal shared value in its place). `previous`, the stored version this one replaces, is
   * compared first: whatever did not change is taken from it at the cost of a comparison, and
   * only what changed is looked up. Parts that are already frozen are taken as they are: they
   * belong to stored objects.
   */
  freeze<T>(value: T, previous?: T): T {
    return this.visit(value, previous) as T;
  }

  private visit(value: unknown, previous: unknown): unknown {
    switch (typeof value) {
      case 'string':
        this.shareable = true;
        this.length = value.length + 2;
        // The equal string already stored is the one to keep.
        return value === previous ? previous : value;
      case 'number':
        this.shareable = Number.isFinite(value);
        this.length = 24;
        return value;
      case 'boolean':
        this.shareable = true;
        this.length = 5;
        return value;
      case 'object':
        if (value === null) {
          this.shareable = true;
          this.length = 4;
          return value;
        }
        return this.visitNode(value, previous);
      default:
        this.shareable = false;
        return value;
    }
  }

  private visitNode(node: object, previous: unknown): unknown {
    if (Object.isFrozen(node)) {
      // A part of a stored object: shared or not, it is final. It is not looked up again.
      this.shareable = false;
      return node;
    }
    const isArray = Array.isArray(node);
    const before =
      typeof previous === 'object' && previous !== null && Array.isArray(previous) === isArray
        ? (previous as Record<string, unknown>)
        : undefined;
    let unchanged = before !== undefined;
    let shareable = isArray || Object.getPrototypeOf(node) === Object.prototype;
    let length = 2;
    if (isArray) {
      if (unchanged && (previous as unknown[]).length !== node.length) unchanged = false;
      for (let i = 0; i < node.length; i++) {
        const child = this.visit(node[i], before?.[i]);
        node[i] = child;
        unchanged &&= child === before?.[i];
        shareable &&= this.shareable;
        length += this.length + 1;
      }
    } else {
      const obj = node as Record<string, unknown>;
      const keys = Object.keys(obj);
      if (unchanged && Object.keys(before as object).length !== keys.length) unchanged = false;
      for (const k of keys) {
        const child = this.visit(obj[k], before?.[k]);
        obj[k] = child;
        unchanged &&= child === before?.[k] && Object.hasOwn(before as object, k);
        // A node with a resourceVersion (metadata, an Event's involvedObject) names one version
        // of one object: looking it up would only ever miss.
        shareable &&= this.shareable && k !== 'resourceVersion';
        length += this.length + k.length + 4;
      }
    }
    if (unchanged) {
      this.shareable = false;
      return previous;
    }
    this.shareable = shareable && length <= MAX_KEY;
    this.length = length;
    let key: string | undefined;
    if (this.shareable) {
      key = JSON.stringify(node);
      const shared = this.nodes.get(key);
      if (shared !== undefined) return shared;
    }
    this.internStrings(node, before);
    Object.freeze(node);
    if (key !== undefined) this.nodes.set(key, node);
    return node;
  }

  /** Replaces the node's own new string values (those not taken from `before`) with shared equal ones. */
  private internStrings(node: object, before: Record<string, unknown> | undefined): void {
    const obj = node as Record<string, unknown>;
    for (const k of Array.isArray(node) ? node.keys() : Object.keys(obj)) {
      const v = obj[k];
      if (typeof v === 'string' && v.length <= MAX_STRING && v !== before?.[k]) obj[k] = this.strings.intern(v, v);
    }
  }
}
