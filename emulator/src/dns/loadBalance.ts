// The kubeadm Corefile's `loadbalance` plugin (round_robin policy): in every successful
// response, each section is reordered so CNAMEs come first, then records of other types, then
// the address records in a random order, then MX records in a random order. Clients that take
// the first address thus spread over a headless Service's pods.

/** Shuffles `items` in place with a Fisher-Yates pass driven by `rand`. */
function shuffle<T>(items: T[], rand: () => number): void {
  for (let j = 0; j < items.length - 1; j++) {
    const p = j + Math.floor(rand() * (items.length - j));
    const a = items[j] as T;
    items[j] = items[p] as T;
    items[p] = a;
  }
}

export function roundRobin<T extends { type: string }>(records: readonly T[], rand: () => number): T[] {
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
  shuffle(address, rand);
  shuffle(mx, rand);
  return [...cname, ...rest, ...address, ...mx];
}
