// IPv4 arithmetic shared by the ClusterIP and pod IP allocators. Addresses are carried as
// unsigned 32-bit integers held in ordinary numbers, so `+ 1` and comparisons work directly;
// `>>> 0` keeps results of bitwise operators unsigned.

/** An IPv4 prefix such as 10.96.0.0/12, with its network and broadcast addresses worked out. */
export interface IPv4Cidr {
  /** The address with the host bits cleared. */
  network: number;
  prefixLength: number;
  /** The address with every host bit set. */
  broadcast: number;
  /** How many addresses the prefix spans, network and broadcast included. */
  size: number;
}

/**
 * Parses a dotted-quad IPv4 address into an unsigned 32-bit number, or returns undefined.
 * Like Go's `netutils.ParseIPSloppy`, which the apiserver uses before allocating, a part with
 * leading zeros is read as decimal (`010` is ten), so such an address names the same slot.
 */
export function parseIPv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^[0-9]{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

/** Formats an unsigned 32-bit number as a dotted-quad address. */
export function formatIPv4(value: number): string {
  return `${(value >>> 24) & 255}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
}

/**
 * Parses `a.b.c.d/n`. Host bits set in the address are cleared, as Go's `net.ParseCIDR` does
 * for the network it returns. Throws an Error naming the bad text, because a CIDR here always
 * comes from the emulator's own settings, where a typo should stop startup.
 */
export function parseIPv4Cidr(text: string): IPv4Cidr {
  const slash = text.indexOf('/');
  const address = slash >= 0 ? parseIPv4(text.slice(0, slash)) : undefined;
  const lengthText = slash >= 0 ? text.slice(slash + 1) : '';
  if (address === undefined || !/^[0-9]{1,2}$/.test(lengthText) || Number(lengthText) > 32) {
    throw new Error(`invalid IPv4 CIDR "${text}": expected the form 10.96.0.0/12`);
  }
  const prefixLength = Number(lengthText);
  const size = 2 ** (32 - prefixLength);
  const network = address - (address % size);
  return { network, prefixLength, broadcast: network + size - 1, size };
}

/** Formats a prefix back to `a.b.c.d/n`. */
export function formatIPv4Cidr(cidr: IPv4Cidr): string {
  return `${formatIPv4(cidr.network)}/${cidr.prefixLength}`;
}
