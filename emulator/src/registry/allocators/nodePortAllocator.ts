// Allocates NodePorts from `--service-node-port-range` the way kube-apiserver's port allocator
// does: a static band at the bottom of the range (KEP-3668) and random dynamic allocation from
// the ports above it first. Health-check node ports come from the same allocator.

import { AllocationError, RANGE_FULL } from './allocationError';
import { BandedSlots, type RandomSource } from './bandedSlots';

export interface NodePortAllocatorOptions {
  /** The first port of the range; 30000 by default. */
  base?: number;
  /** How many ports the range holds; 2768 by default, i.e. 30000-32767. */
  size?: number;
  /** Randomness for `allocateNext`; Math.random unless a test pins it. */
  rand?: RandomSource;
}

/** What `restore` could not take over, so the caller can warn about the owning Services. */
export interface NodePortRestoreResult {
  notInRange: number[];
  /** Ports listed more than once: two Services (or two ports with different `port`) claim one. */
  duplicates: number[];
}

export const DEFAULT_NODE_PORT_BASE = 30000;
export const DEFAULT_NODE_PORT_RANGE_SIZE = 2768;

/**
 * The size of the static band for a range of `size` ports, from KEP-3668's
 * `calculateRangeOffset`: min(max(16, size/32), 128), and 0 for ranges of 16 ports or fewer.
 */
export function nodePortStaticBandSize(size: number): number {
  if (size <= 16) return 0;
  return Math.min(Math.max(16, Math.floor(size / 32)), 128);
}

/** The internal-error text the apiserver returns when no NodePort is left. */
export function formatNextNodePortFailure(error: AllocationError): string {
  return `failed to allocate a nodePort: ${error.message}`;
}

export class NodePortAllocator {
  readonly base: number;
  private readonly slots: BandedSlots;

  constructor(options: NodePortAllocatorOptions = {}) {
    this.base = options.base ?? DEFAULT_NODE_PORT_BASE;
    const size = options.size ?? DEFAULT_NODE_PORT_RANGE_SIZE;
    if (!Number.isInteger(this.base) || !Number.isInteger(size) || size < 1 || this.base < 1 || this.base + size - 1 > 65535) {
      throw new Error(`invalid node port range: base ${this.base}, size ${size}`);
    }
    this.slots = new BandedSlots(size, nodePortStaticBandSize(size), options.rand ?? Math.random);
  }

  get size(): number {
    return this.slots.size;
  }

  get used(): number {
    return this.slots.used;
  }

  /** The range as the apiserver prints it, e.g. `30000-32767`. */
  get rangeText(): string {
    return `${this.base}-${this.base + this.slots.size - 1}`;
  }

  /**
   * Reserves the requested port. Throws an AllocationError: `outOfRange` for a port outside the
   * range (validation does not check 1-65535 first, so this covers 0 and 70000 too), `allocated`
   * when it is taken. The message is the apiserver's field detail for `spec.ports[i].nodePort`.
   */
  allocate(port: number): void {
    if (!this.inRange(port)) {
      throw new AllocationError(
        'outOfRange',
        `provided port is not in the valid range. The range of valid ports is ${this.rangeText}`,
      );
    }
    if (!this.slots.take(port - this.base)) throw new AllocationError('allocated', 'provided port is already allocated');
  }

  /** Reserves and returns a free port, upper band first; throws `full` when none is left. */
  allocateNext(): number {
    const slot = this.slots.takeNext();
    if (slot === undefined) throw new AllocationError('full', RANGE_FULL);
    return this.base + slot;
  }

  /** Returns a port to the pool; releasing a free or foreign port is a no-op. */
  release(port: number): void {
    if (this.inRange(port)) this.slots.free(port - this.base);
  }

  has(port: number): boolean {
    return this.inRange(port) && this.slots.has(port - this.base);
  }

  /** Marks the node ports of stored Services as used, at startup. Never throws. */
  restore(ports: Iterable<number>): NodePortRestoreResult {
    const result: NodePortRestoreResult = { notInRange: [], duplicates: [] };
    for (const port of ports) {
      if (!this.inRange(port)) result.notInRange.push(port);
      else if (!this.slots.take(port - this.base)) result.duplicates.push(port);
    }
    return result;
  }

  private inRange(port: number): boolean {
    return Number.isInteger(port) && port >= this.base && port < this.base + this.slots.size;
  }
}
