// The slot bookkeeping behind the ClusterIP and NodePort allocators. Slots are numbered
// 0 … size-1; the first `staticBandSize` of them form the static band (KEP-3070 for Service
// IPs, KEP-3668 for NodePorts), which dynamic allocation only uses once the upper band is full,
// so that users who pick a value by hand from the static band rarely collide with one the
// cluster picked.

/** A source of randomness with the contract of Math.random: a number in [0, 1). */
export type RandomSource = () => number;

export class BandedSlots {
  private readonly taken = new Set<number>();

  constructor(
    readonly size: number,
    readonly staticBandSize: number,
    private readonly rand: RandomSource,
  ) {}

  get used(): number {
    return this.taken.size;
  }

  has(slot: number): boolean {
    return this.taken.has(slot);
  }

  /** Marks `slot` as used; returns false if it already was. */
  take(slot: number): boolean {
    if (this.taken.has(slot)) return false;
    this.taken.add(slot);
    return true;
  }

  /** Frees `slot`; freeing a free slot is a no-op, as in the apiserver's allocators. */
  free(slot: number): void {
    this.taken.delete(slot);
  }

  /**
   * Takes a free slot and returns it, or returns undefined when every slot is used. The search
   * mirrors the apiserver's `randomScanStrategyWithOffset` and `allocateNextService`: a random
   * start inside the upper band [staticBandSize, size), a forward scan that wraps within that
   * band, and only then the same inside the static band [0, staticBandSize).
   */
  takeNext(): number | undefined {
    if (this.taken.size >= this.size) return undefined;
    const upper = this.scan(this.staticBandSize, this.size - this.staticBandSize);
    if (upper !== undefined) return upper;
    return this.scan(0, this.staticBandSize);
  }

  private scan(first: number, length: number): number | undefined {
    if (length <= 0) return undefined;
    const start = Math.min(length - 1, Math.max(0, Math.floor(this.rand() * length)));
    for (let i = 0; i < length; i++) {
      const slot = first + ((start + i) % length);
      if (!this.taken.has(slot)) {
        this.taken.add(slot);
        return slot;
      }
    }
    return undefined;
  }
}
