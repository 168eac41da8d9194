// Allocates Service ClusterIPs from one IPv4 service CIDR the way kube-apiserver's
// ServiceCIDR-based allocator does (MultiCIDRServiceAllocator, GA in 1.33): the network and
// broadcast addresses are never handed out, the first addresses form a static band (KEP-3070),
// and `allocateNext` prefers a random address in the band above it. IPv4 only: the emulator's
// cluster is single-stack.

import { AllocationError, RANGE_FULL } from './allocationError';
import { BandedSlots, type RandomSource } from './bandedSlots';
import { formatIPv4, formatIPv4Cidr, parseIPv4, parseIPv4Cidr, type IPv4Cidr } from './ipv4';

export interface ClusterIPAllocatorOptions {
  /** The service CIDR, e.g. `10.96.0.0/12` (kubeadm's and minikube's default). */
  cidr: string;
  /** Randomness for `allocateNext`; Math.random unless a test pins it. */
  rand?: RandomSource;
}

/** What `restore` could not take over, so the caller can warn about the owning Services. */
export interface ClusterIPRestoreResult {
  /** Addresses that are not usable addresses of this CIDR (or not IPv4 addresses at all). */
  notInRange: string[];
  /** Addresses listed more than once: two Services claim the same ClusterIP. */
  duplicates: string[];
}

const ALREADY_ALLOCATED = 'provided IP is already allocated';
// The MetaAllocator finds no ServiceCIDR containing the address; its containment check
// excludes the network and broadcast addresses, so those get this text as well.
const NOT_IN_RANGE = 'the provided network does not match the current range';

/**
 * The size of the static band for a CIDR of `size` addresses, from KEP-3070's
 * `calculateRangeOffset`: min(max(16, size/16), 256), and 0 for ranges of 16 addresses or fewer.
 */
export function clusterIPStaticBandSize(size: number): number {
  if (size <= 16) return 0;
  return Math.min(Math.max(16, Math.floor(size / 16)), 256);
}

/** The field detail the apiserver reports on `spec.clusterIPs` when a requested IP fails. */
export function formatClusterIPAllocationFailure(ip: string, error: AllocationError): string {
  return `failed to allocate IP ${ip}: ${error.message}`;
}

/** The internal-error text the apiserver returns when no ClusterIP is left. */
export function formatNextClusterIPFailure(error: AllocationError): string {
  return `failed to allocate a serviceIP: ${error.message}`;
}

export class ClusterIPAllocator {
  readonly cidr: IPv4Cidr;
  private readonly first: number;
  private readonly slots: BandedSlots;

  constructor(options: ClusterIPAllocatorOptions) {
    this.cidr = parseIPv4Cidr(options.cidr);
    if (this.cidr.size < 8) {
      // kube-apiserver refuses to start with such a range; so does the emulator.
      throw new Error('the service cluster IP range must be at least 8 IP addresses');
    }
    this.first = this.cidr.network + 1;
    const usable = this.cidr.size - 2;
    this.slots = new BandedSlots(usable, clusterIPStaticBandSize(this.cidr.size), options.rand ?? Math.random);
  }

  /** How many addresses can be handed out (network and broadcast excluded). */
  get size(): number {
    return this.slots.size;
  }

  /** How many addresses are in use. */
  get used(): number {
    return this.slots.used;
  }

  /** The last address of the static band, or undefined when the range has no static band. */
  get staticBandEnd(): string | undefined {
    return this.slots.staticBandSize > 0 ? formatIPv4(this.first + this.slots.staticBandSize - 1) : undefined;
  }

  /** The CIDR as text, e.g. `10.96.0.0/12`. */
  get cidrText(): string {
    return formatIPv4Cidr(this.cidr);
  }

  /**
   * Reserves the requested address. Throws an AllocationError: `invalid` when the text is not
   * an IPv4 address, `outOfRange` when it is not a usable address of the CIDR, `allocated`
   * when it is taken.
   */
  allocate(ip: string): void {
    const slot = this.slotOf(ip);
    if (!this.slots.take(slot)) throw new AllocationError('allocated', ALREADY_ALLOCATED);
  }

  /** Reserves and returns a free address, upper band first; throws `full` when none is left. */
  allocateNext(): string {
    const slot = this.slots.takeNext();
    if (slot === undefined) throw new AllocationError('full', RANGE_FULL);
    return formatIPv4(this.first + slot);
  }

  /** Returns an address to the pool. Releasing a free or foreign address is a no-op, as in the apiserver. */
  release(ip: string): void {
    const slot = this.trySlotOf(ip);
    if (slot !== undefined) this.slots.free(slot);
  }

  has(ip: string): boolean {
    const slot = this.trySlotOf(ip);
    return slot !== undefined && this.slots.has(slot);
  }

  /**
   * Marks the ClusterIPs of stored Services as used, at startup. Never throws: what cannot be
   * taken over is returned so the caller can warn, as the apiserver's repair loop does.
   */
  restore(ips: Iterable<string>): ClusterIPRestoreResult {
    const result: ClusterIPRestoreResult = { notInRange: [], duplicates: [] };
    for (const ip of ips) {
      const slot = this.trySlotOf(ip);
      if (slot === undefined) result.notInRange.push(ip);
      else if (!this.slots.take(slot)) result.duplicates.push(ip);
    }
    return result;
  }

  private slotOf(ip: string): number {
    const value = parseIPv4(ip);
    if (value === undefined) throw new AllocationError('invalid', `failed to parse service IP "${ip}"`);
    const slot = value - this.first;
    if (slot < 0 || slot >= this.slots.size) throw new AllocationError('outOfRange', NOT_IN_RANGE);
    return slot;
  }

  private trySlotOf(ip: string): number | undefined {
    const value = parseIPv4(ip);
    if (value === undefined) return undefined;
    const slot = value - this.first;
    return slot >= 0 && slot < this.slots.size ? slot : undefined;
  }
}
