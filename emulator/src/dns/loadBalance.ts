// The kubeadm Corefile's `loadbalance` plugin (round_robin policy): in every successful
// response, each section is reordered so CNAMEs come first, then records of other types, then
// the address records in a random order, then MX records in a random order. Clients that take
// the first address thus spread over a headless Service's pods.
//
// The reordering is split in two so that an answer cache can do the fixed part once: `arrange`
// groups a section by type without randomness, and only the groups it names are shuffled per
// reply, drawing from `rand` exactly as `roundRobin` does.

/** Shuffles `items` in place with a Fisher-Yates pass driven by `rand`. */
export function shuffle<T>(items: T[], rand: () => number): void {
  for (let j = 0; j < items.length - 1; j++) {
    const p = j + Math.floor(rand() * (items.length - j));
    const a = items[j] as T;
    items[j] = items[p] as T;
    items[p] = a;
  }
}

export interface Arranged<T> {
  /** CNAMEs, other types, address records, MX records; each group in its original order. */
  records: T[];
  /** The index ranges `[start, end)` of the address group and then the MX group. */
  groups: [[number, number], [number, number]];
}

/** The fixed part of the round-robin order. */
export function arrange<T extends { type: string }>(records: readonly T[]): Arranged<T> {
  const cname: T[] = [];
  const address: T[] = [];
  const mx: T[] = [];
  const rest: T[] = [];
  for (const r of records) {
    if (r.type === 'CNAME') cname.push(r);
    else if (r.type === 'A' || r.type === 'AAAA') address.push(r);
    else if (r.type === 'MX') mx.push(r);
    else rest.push(r);
  }
  const addressStart = cname.length + rest.length;
  const mxStart = addressStart + address.length;
  return {
    records: [...cname, ...rest, ...address, ...mx],
    groups: [
      [addressStart, mxStart],
      [mxStart, mxStart + mx.length],
    ],
  };
}

export function roundRobin<T extends { type: string }>(records: readonly T[], rand: () => number): T[] {
  const { records: out, groups } = arrange(records);
  for (const [start, end] of groups) {
    if (end - start < 2) continue;
    const group = out.slice(start, end);
    shuffle(group, rand);
    out.splice(start, end - start, ...group);
  }
  return out;
}
