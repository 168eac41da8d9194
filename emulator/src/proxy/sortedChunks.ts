// Text kept in pieces, sorted by key, whose concatenation is always cheap to produce again.
// iptables-save prints a node's chains sorted by name; with 100,000 endpoints that is over
// 100,000 chains, of which one change touches a handful. The pieces live in buckets of a few
// hundred, each bucket remembers its joined text, and a change invalidates only its bucket,
// so the whole text after a change costs one bucket join plus one concatenation per bucket.

interface Bucket {
  /** Sorted, unique. */
  keys: string[];
  /** parts[p][i] is part p of the piece at keys[i]. */
  parts: string[][];
  /** Per part, the pieces joined in key order; undefined after a change. */
  joined: (string | undefined)[];
}

/** Ordered by UTF-16 code units, as Go compares the ASCII names kube-proxy sorts. */
function before(a: string, b: string): boolean {
  return a < b;
}

export class SortedChunks {
  private readonly buckets: Bucket[] = [];
  private count = 0;

  /**
   * @param partCount how many texts each piece has (a chain has its declaration and its rules)
   * @param bucketSize pieces per bucket before it splits in two
   */
  constructor(
    private readonly partCount: number,
    private readonly bucketSize = 256,
  ) {
  }

  get size(): number {
    return this.count;
  }

  /**
   * Adds the piece at `key`, or replaces it. Returns false when the piece was already there
   * with the same text, which leaves the joined text as it was.
   */
  set(key: string, parts: readonly string[]): boolean {
    if (parts.length !== this.partCount) throw new Error(`a piece has ${this.partCount} parts, not ${parts.length}`);
    if (this.buckets.length === 0) this.buckets.push(this.newBucket());
    const b = this.bucketFor(key);
    const bucket = this.buckets[b];
    const i = lowerBound(bucket.keys, key);
    if (bucket.keys[i] === key) {
      if (bucket.parts.every((part, p) => part[i] === parts[p])) return false;
      for (let p = 0; p < this.partCount; p++) bucket.parts[p][i] = parts[p];
    } else {
      bucket.keys.splice(i, 0, key);
      for (let p = 0; p < this.partCount; p++) bucket.parts[p].splice(i, 0, parts[p]);
      this.count++;
    }
    this.invalidate(bucket);
    if (bucket.keys.length > 2 * this.bucketSize) this.split(b);
    return true;
  }

  /**
   * Applies many changes at once (undefined removes a piece). A batch that touches a good part
   * of the pieces, such as the first render after a full sync, is cheaper to sort in one go
   * than to insert piece by piece. Returns whether the joined text changed.
   */
  update(changes: ReadonlyMap<string, readonly string[] | undefined>): boolean {
    if (changes.size < 64 || changes.size < this.count / 4) {
      let changed = false;
      for (const [key, parts] of changes) {
        if (parts ? this.set(key, parts) : this.delete(key)) changed = true;
      }
      return changed;
    }
    for (const parts of changes.values()) {
      if (parts && parts.length !== this.partCount) throw new Error(`a piece has ${this.partCount} parts, not ${parts.length}`);
    }
    // The pieces already here are in order, so only the changes are sorted, then merged in.
    const changed = sortKeys([...changes.keys()]);
    const old = this.buckets.splice(0);
    let bucket = this.newBucket();
    const add = (key: string, parts: readonly string[]) => {
      if (bucket.keys.length === this.bucketSize) {
        this.buckets.push(bucket);
        bucket = this.newBucket();
      }
      bucket.keys.push(key);
      for (let p = 0; p < this.partCount; p++) bucket.parts[p].push(parts[p]);
    };
    let j = 0;
    for (const from of old) {
      for (let i = 0; i < from.keys.length; i++) {
        const key = from.keys[i];
        for (; j < changed.length && before(changed[j], key); j++) {
          const parts = changes.get(changed[j]);
          if (parts) add(changed[j], parts);
        }
        if (j < changed.length && changed[j] === key) {
          const parts = changes.get(changed[j++]);
          if (parts) add(key, parts);
          continue;
        }
        add(
          key,
          from.parts.map((part) => part[i]),
        );
      }
    }
    for (; j < changed.length; j++) {
      const parts = changes.get(changed[j]);
      if (parts) add(changed[j], parts);
    }
    if (bucket.keys.length > 0) this.buckets.push(bucket);
    this.count = this.buckets.reduce((n, x) => n + x.keys.length, 0);
    return true;
  }

  /** Removes the piece at `key`; false when there was none. */
  delete(key: string): boolean {
    if (this.buckets.length === 0) return false;
    const b = this.bucketFor(key);
    const bucket = this.buckets[b];
    const i = lowerBound(bucket.keys, key);
    if (bucket.keys[i] !== key) return false;
    bucket.keys.splice(i, 1);
    for (const part of bucket.parts) part.splice(i, 1);
    this.count--;
    this.invalidate(bucket);
    if (bucket.keys.length === 0) this.buckets.splice(b, 1);
    return true;
  }

  /** Part `part` of every piece, concatenated in key order. */
  text(part: number): string {
    // Concatenating bucket texts with + leaves V8 a rope: no copy of the whole until it is
    // read, and no second copy of it kept here once its reader is done.
    let out = '';
    for (const bucket of this.buckets) out += bucket.joined[part] ??= bucket.parts[part].join('');
    return out;
  }

  private newBucket(): Bucket {
    return {
      keys: [],
      parts: Array.from({ length: this.partCount }, () => []),
      joined: new Array<string | undefined>(this.partCount).fill(undefined),
    };
  }

  /** The bucket a key belongs in: the first whose last key is not before it, else the last. */
  private bucketFor(key: string): number {
    let lo = 0;
    let hi = this.buckets.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const keys = this.buckets[mid].keys;
      if (before(keys[keys.length - 1], key)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private split(b: number): void {
    const bucket = this.buckets[b];
    const half = bucket.keys.length >>> 1;
    const upper = this.newBucket();
    upper.keys = bucket.keys.splice(half);
    for (let p = 0; p < this.partCount; p++) upper.parts[p] = bucket.parts[p].splice(half);
    this.invalidate(bucket);
    this.buckets.splice(b + 1, 0, upper);
  }

  private invalidate(bucket: Bucket): void {
    bucket.joined.fill(undefined);
  }
}

/** Characters a packed sort key can hold: ' ' to '^', which covers chain names; 0 is the end. */
const PACKED_FIRST = 0x20;
const PACKED_LAST = 0x5e;
const PACKED_CHARS = 5;
const PACKED_INDEX = 2 ** 22;

/**
 * The keys sorted by UTF-16 code units, as the default sort orders strings, but several times
 * faster on a hundred thousand chain names. Names are grouped by their text up to the second
 * '-' (`KUBE-SEP-`), and within a group sorted as numbers made of the next five characters
 * (6 bits each) with the key's index below them; the few keys whose five characters tie are
 * then sorted as strings. A group with other characters, or too many keys, takes the default
 * sort.
 */
export function sortKeys(keys: string[]): string[] {
  if (keys.length < 1024) return keys.sort();
  const groups = new Map<string, string[]>();
  // Runs of keys share a prefix; reusing the last one saves a substring and a lookup per key.
  let lastPrefix = '';
  let lastGroup: string[] | undefined;
  for (const key of keys) {
    const first = key.indexOf('-');
    const second = first < 0 ? -1 : key.indexOf('-', first + 1);
    if (lastGroup && second + 1 === lastPrefix.length && key.startsWith(lastPrefix)) {
      lastGroup.push(key);
      continue;
    }
    lastPrefix = second < 0 ? key : key.slice(0, second + 1);
    lastGroup = groups.get(lastPrefix);
    if (lastGroup) lastGroup.push(key);
    else groups.set(lastPrefix, (lastGroup = [key]));
  }
  const out: string[] = [];
  for (const prefix of [...groups.keys()].sort()) {
    const group = groups.get(prefix) as string[];
    const packed = group.length < PACKED_INDEX ? packGroup(group, prefix.length) : undefined;
    if (!packed) {
      for (const key of group.sort()) out.push(key);
      continue;
    }
    packed.sort();
    for (let i = 0; i < packed.length; ) {
      const value = Math.floor(packed[i] / PACKED_INDEX);
      let j = i + 1;
      while (j < packed.length && Math.floor(packed[j] / PACKED_INDEX) === value) j++;
      if (j - i === 1) {
        out.push(group[packed[i] % PACKED_INDEX]);
      } else {
        const tied: string[] = [];
        for (let k = i; k < j; k++) tied.push(group[packed[k] % PACKED_INDEX]);
        for (const key of tied.sort()) out.push(key);
      }
      i = j;
    }
  }
  return out;
}

/** Each key's next five characters after `from` and its index as one number, or undefined. */
function packGroup(group: readonly string[], from: number): Float64Array | undefined {
  const packed = new Float64Array(group.length);
  for (let i = 0; i < group.length; i++) {
    const key = group[i];
    let value = 0;
    for (let c = 0; c < PACKED_CHARS; c++) {
      const at = from + c;
      let rank = 0;
      if (at < key.length) {
        const code = key.charCodeAt(at);
        if (code < PACKED_FIRST || code > PACKED_LAST) return undefined;
        rank = code - PACKED_FIRST + 1;
      }
      value = value * 64 + rank;
    }
    packed[i] = value * PACKED_INDEX + i;
  }
  return packed;
}

/** The first index whose key is not before `key`. */
function lowerBound(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(keys[mid], key)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
