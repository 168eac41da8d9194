// Hands out pod IPs on the node's pod CIDR the way the CNI `host-local` IPAM plugin that
// minikube's bridge network uses does: the network address, the gateway (the first address)
// and the IPv4 broadcast address are never given to a pod; addresses go out in order starting
// after the gateway, each search starting just after the last address handed out, so a freed
// address is reused only after the allocator has gone round the whole range.

import { AllocationError, RANGE_FULL } from './allocationError';
import { formatIPv4, formatIPv4Cidr, parseIPv4, parseIPv4Cidr, type IPv4Cidr } from './ipv4';

export interface PodIPAllocatorOptions {
  /** The node's pod CIDR; 10.244.0.0/24 (minikube's node `spec.podCIDR`) by default. */
  cidr?: string;
}

export const DEFAULT_POD_CIDR = '10.244.0.0/24';

export class PodIPAllocator {
  readonly cidr: IPv4Cidr;
  private readonly first: number;
  private readonly last: number;
  private readonly taken = new Set<number>();
  private lastAllocatedValue: number | undefined;

  constructor(options: PodIPAllocatorOptions = {}) {
    const text = options.cidr ?? DEFAULT_POD_CIDR;
    this.cidr = parseIPv4Cidr(text);
    this.first = this.cidr.network + 2;
    this.last = this.cidr.broadcast - 1;
    if (this.last < this.first) {
      throw new Error(`pod CIDR ${text} is too small: it needs room for a gateway and at least one pod`);
    }
  }

  /** The gateway address host-local reserves, e.g. 10.244.0.1. */
  get gateway(): string {
    return formatIPv4(this.cidr.network + 1);
  }

  /** How many addresses pods can get. */
  get size(): number {
    return this.last - this.first + 1;
  }

  get used(): number {
    return this.taken.size;
  }

  /** The address most recently handed out, which the next search starts after. */
  get lastAllocated(): string | undefined {
    return this.lastAllocatedValue === undefined ? undefined : formatIPv4(this.lastAllocatedValue);
  }

  get cidrText(): string {
    return formatIPv4Cidr(this.cidr);
  }

  /** Reserves and returns the next free address after the last one handed out; throws `full` when none is left. */
  allocateNext(): string {
    const count = this.size;
    const after = this.lastAllocatedValue ?? this.first - 1;
    for (let i = 1; i <= count; i++) {
      const value = this.first + ((after - this.first + i + count) % count);
      if (!this.taken.has(value)) {
        this.taken.add(value);
        this.lastAllocatedValue = value;
        return formatIPv4(value);
      }
    }
    throw new AllocationError('full', RANGE_FULL);
  }

  /** Returns an address to the pool. It is not handed out again until the search comes round to it. */
  release(ip: string): void {
    const value = parseIPv4(ip);
    if (value !== undefined) this.taken.delete(value);
  }

  has(ip: string): boolean {
    const value = parseIPv4(ip);
    return value !== undefined && this.taken.has(value);
  }

  /**
   * Marks the IPs of stored pods as used, at startup, and returns those that could not be taken
   * over (outside the pod range, reserved, or listed twice). Without `lastAllocated` the next
   * search starts at the beginning of the range, as host-local does when it has no record of
   * its last reservation.
   */
  restore(ips: Iterable<string>, lastAllocated?: string): string[] {
    const rejected: string[] = [];
    for (const ip of ips) {
      const value = parseIPv4(ip);
      if (value === undefined || value < this.first || value > this.last || this.taken.has(value)) rejected.push(ip);
      else this.taken.add(value);
    }
    const last = lastAllocated === undefined ? undefined : parseIPv4(lastAllocated);
    this.lastAllocatedValue = last !== undefined && last >= this.first && last <= this.last ? last : undefined;
    return rejected;
  }
}
