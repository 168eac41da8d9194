// IP and CIDR parsing with the two strictness levels Kubernetes uses, written without Node's
// `net` so the module stays pure:
// - "sloppy" is k8s.io/utils/net.ParseIPSloppy / ParseCIDRSloppy (Go 1.16's parser): IPv4 octets
//   may carry leading zeros and are read as decimal; IPv6 groups may have more than four digits.
// - "strict" is Go's net/netip: no leading zeros, at most four hex digits per group, and a prefix
//   length without leading zeros.
// Legacy API fields (clusterIPs, externalIPs, loadBalancerSourceRanges) accept sloppy input and
// only warn about it unless the StrictIPCIDRValidation gate (off by default in v1.35) is on.

import { type FieldError, invalid } from './fieldErrors';

export interface ParsedIP {
  /** Always 16 bytes; IPv4 addresses are stored IPv4-mapped (::ffff:a.b.c.d), as Go's net.IP does. */
  bytes: number[];
  /** Which syntax the text used. An IPv4-mapped IPv6 literal is `6` here but an IPv4 address to Go's To4(). */
  syntax: 4 | 6;
  /** The text also parses under net/netip's rules (no leading zeros, ≤ 4 hex digits per group). */
  strict: boolean;
}

const V4_MAPPED_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

function parseIPv4(s: string): { octets: number[]; strict: boolean } | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  const octets: number[] = [];
  let strict = true;
  for (const p of parts) {
    if (!/^[0-9]+$/.test(p) || p.length > 10) return null;
    const n = Number(p);
    if (n > 255) return null;
    if (p.length > 1 && p[0] === '0') strict = false;
    octets.push(n);
  }
  return { octets, strict };
}

function parseIPv6(input: string): { bytes: number[]; strict: boolean } | null {
  const ip = new Array<number>(16).fill(0);
  let s = input;
  let strict = true;
  let ellipsis = -1;
  if (s.startsWith('::')) {
    ellipsis = 0;
    s = s.slice(2);
    if (s.length === 0) return { bytes: ip, strict };
  }
  let i = 0;
  while (i < 16) {
    const m = /^[0-9a-fA-F]+/.exec(s);
    if (!m) return null;
    const digits = m[0];
    const c = digits.length;
    if (c < s.length && s[c] === '.') {
      if (ellipsis < 0 && i !== 12) return null;
      if (i + 4 > 16) return null;
      const v4 = parseIPv4(s);
      if (!v4) return null;
      if (!v4.strict) strict = false;
      for (let k = 0; k < 4; k++) ip[i + k] = v4.octets[k] ?? 0;
      s = '';
      i += 4;
      break;
    }
    if (c > 8) return null;
    const n = parseInt(digits, 16);
    if (n > 0xffff) return null;
    if (c > 4) strict = false;
    ip[i] = n >> 8;
    ip[i + 1] = n & 0xff;
    i += 2;
    s = s.slice(c);
    if (s.length === 0) break;
    if (s[0] !== ':' || s.length === 1) return null;
    s = s.slice(1);
    if (s[0] === ':') {
      if (ellipsis >= 0) return null;
      ellipsis = i;
      s = s.slice(1);
      if (s.length === 0) break;
    }
  }
  if (s.length !== 0) return null;
  if (i < 16) {
    if (ellipsis < 0) return null;
    const n = 16 - i;
    for (let j = i - 1; j >= ellipsis; j--) ip[j + n] = ip[j] ?? 0;
    for (let j = ellipsis + n - 1; j >= ellipsis; j--) ip[j] = 0;
  } else if (ellipsis >= 0) {
    return null;
  }
  return { bytes: ip, strict };
}

/** ParseIPSloppy: the first `.` or `:` decides the syntax; zones (`%eth0`) are rejected. */
export function parseIP(s: string): ParsedIP | null {
  for (const ch of s) {
    if (ch === '.') {
      const v4 = parseIPv4(s);
      return v4 ? { bytes: [...V4_MAPPED_PREFIX, ...v4.octets], syntax: 4, strict: v4.strict } : null;
    }
    if (ch === ':') {
      const v6 = parseIPv6(s);
      return v6 ? { bytes: v6.bytes, syntax: 6, strict: v6.strict } : null;
    }
  }
  return null;
}

/** True when the 16 bytes hold an IPv4 address (Go's To4() != nil). */
export function isV4Bytes(bytes: readonly number[]): boolean {
  return V4_MAPPED_PREFIX.every((b, i) => bytes[i] === b);
}

function formatV6(bytes: readonly number[]): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return hex.slice(0, bestStart).join(':') + '::' + hex.slice(bestStart + bestLen).join(':');
}

function formatV4(bytes: readonly number[]): string {
  return bytes.slice(12, 16).join('.');
}

/** Go's net.IP.String(): IPv4 (including IPv4-mapped IPv6) as dotted quad, IPv6 in RFC 5952 form. */
export function formatIP(bytes: readonly number[]): string {
  return isV4Bytes(bytes) ? formatV4(bytes) : formatV6(bytes);
}

/** net/netip's Addr.String(): like formatIP, but an IPv4-mapped IPv6 literal keeps its `::ffff:` form. */
function formatNetipAddr(ip: ParsedIP): string {
  if (ip.syntax === 4) return formatV4(ip.bytes);
  if (isV4Bytes(ip.bytes)) return '::ffff:' + formatV4(ip.bytes);
  return formatV6(ip.bytes);
}

function is4In6(ip: ParsedIP): boolean {
  return ip.syntax === 6 && isV4Bytes(ip.bytes);
}

/** The address family Kubernetes files an IP under; an IPv4-mapped IPv6 literal counts as IPv4, as in Go. */
export function ipFamilyOf(value: string): 'IPv4' | 'IPv6' | undefined {
  const ip = parseIP(value);
  if (!ip) return undefined;
  return isV4Bytes(ip.bytes) ? 'IPv4' : 'IPv6';
}

/** IsValidIPForLegacyField: one message for unparsable input; strict mode adds the netip complaints. */
export function validateIPForLegacyField(path: string, value: string, strict: boolean): FieldError[] {
  const ip = parseIP(value);
  if (!ip) return [invalid(path, value, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')];
  const errs: FieldError[] = [];
  if (strict) {
    if (!ip.strict) errs.push(invalid(path, value, 'must not have leading 0s'));
    if (ip.strict && is4In6(ip)) errs.push(invalid(path, value, 'must not be an IPv4-mapped IPv6 address'));
  }
  return errs;
}

export interface ParsedCIDR {
  ip: ParsedIP;
  prefixLength: number;
  /** Address width the prefix length is measured against: 32 for IPv4 syntax, 128 for IPv6 syntax. */
  bits: 32 | 128;
  /** The prefix length had no leading zeros. */
  strictLength: boolean;
}

/** ParseCIDRSloppy. */
export function parseCIDR(value: string): ParsedCIDR | null {
  const slash = value.indexOf('/');
  if (slash < 0) return null;
  const addr = value.slice(0, slash);
  const mask = value.slice(slash + 1);
  let ip: ParsedIP | null = null;
  let bits: 32 | 128 = 32;
  const v4 = parseIPv4(addr);
  if (v4) {
    ip = { bytes: [...V4_MAPPED_PREFIX, ...v4.octets], syntax: 4, strict: v4.strict };
  } else {
    bits = 128;
    const v6 = parseIPv6(addr);
    if (v6) ip = { bytes: v6.bytes, syntax: 6, strict: v6.strict };
  }
  if (!ip || !/^[0-9]+$/.test(mask) || mask.length > 10) return null;
  const n = Number(mask);
  if (n > bits) return null;
  return { ip, prefixLength: n, bits, strictLength: !(mask.length > 1 && mask[0] === '0') };
}

/** The 16 bytes with every bit past the prefix cleared. */
function maskedBytes(c: ParsedCIDR): number[] {
  const keep = c.bits === 32 ? 96 + c.prefixLength : c.prefixLength;
  return c.ip.bytes.map((b, i) => {
    const lo = i * 8;
    if (keep >= lo + 8) return b;
    if (keep <= lo) return 0;
    return b & (0xff << (8 - (keep - lo)));
  });
}

/** Go's IPNet.String() for the masked network. */
function formatIPNet(c: ParsedCIDR): string {
  const net = maskedBytes(c);
  let ones = c.prefixLength;
  if (c.bits === 128 && isV4Bytes(net)) ones = Math.max(0, ones - 96);
  return `${formatIP(net)}/${ones}`;
}

/** IsValidCIDRForLegacyField. */
export function validateCIDRForLegacyField(path: string, value: string, strict: boolean): FieldError[] {
  const c = parseCIDR(value);
  if (!c) return [invalid(path, value, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)')];
  if (!strict) return [];
  if (!c.ip.strict || !c.strictLength) return [invalid(path, value, 'must not have leading 0s in IP or prefix length')];
  if (is4In6(c.ip)) return [invalid(path, value, 'must not have an IPv4-mapped IPv6 address')];
  if (maskedBytes(c).some((b, i) => b !== c.ip.bytes[i])) return [invalid(path, value, 'must not have bits set beyond the prefix length')];
  return [];
}

/** GetWarningsForIP: for values that passed the legacy check but are not in Go's preferred form. */
export function ipWarnings(path: string, value: string): string[] {
  const ip = parseIP(value);
  if (!ip) return [];
  if (!ip.strict || is4In6(ip)) {
    return [`${path}: non-standard IP address ${JSON.stringify(value)} will be considered invalid in a future Kubernetes release: use ${JSON.stringify(formatIP(ip.bytes))}`];
  }
  const canonical = formatNetipAddr(ip);
  if (ip.syntax === 6 && canonical !== value) {
    return [`${path}: IPv6 address ${JSON.stringify(value)} should be in RFC 5952 canonical format (${JSON.stringify(canonical)})`];
  }
  return [];
}

/** GetWarningsForCIDR. */
export function cidrWarnings(path: string, value: string): string[] {
  const c = parseCIDR(value);
  if (!c) return [];
  const warnings: string[] = [];
  const net = maskedBytes(c);
  if (net.some((b, i) => b !== c.ip.bytes[i])) {
    const single = `${formatIP(c.ip.bytes)}/${c.bits}`;
    warnings.push(
      `${path}: CIDR value ${JSON.stringify(value)} is ambiguous in this context (should be ${JSON.stringify(formatIPNet(c))} or ${JSON.stringify(single)}?)`,
    );
  }
  const strictOk = c.ip.strict && c.strictLength;
  if (!strictOk || is4In6(c.ip)) {
    warnings.push(
      `${path}: non-standard CIDR value ${JSON.stringify(value)} will be considered invalid in a future Kubernetes release: use ${JSON.stringify(formatIPNet(c))}`,
    );
  }
  if (warnings.length === 0 && c.ip.syntax === 6) {
    const canonical = `${formatNetipAddr(c.ip)}/${c.prefixLength}`;
    if (canonical !== value) {
      warnings.push(`${path}: IPv6 CIDR value ${JSON.stringify(value)} should be in RFC 5952 canonical format (${JSON.stringify(canonical)})`);
    }
  }
  return warnings;
}

/** ValidateEndpointIP's "special address" checks, run on externalIPs that parsed. */
export function validateNonSpecialIP(path: string, value: string): FieldError[] {
  const ip = parseIP(value);
  if (!ip) return [invalid(path, value, 'must be a valid IP address')];
  const b = ip.bytes;
  const v4 = isV4Bytes(b);
  const errs: FieldError[] = [];
  const unspecified = v4 ? b.slice(12).every((x) => x === 0) : b.every((x) => x === 0);
  const loopback = v4 ? b[12] === 127 : b.slice(0, 15).every((x) => x === 0) && b[15] === 1;
  const linkLocalUnicast = v4 ? b[12] === 169 && b[13] === 254 : b[0] === 0xfe && ((b[1] ?? 0) & 0xc0) === 0x80;
  const linkLocalMulticast = v4 ? b[12] === 224 && b[13] === 0 && b[14] === 0 : b[0] === 0xff && ((b[1] ?? 0) & 0x0f) === 0x02;
  if (unspecified) errs.push(invalid(path, value, `may not be unspecified (${value})`));
  if (loopback) errs.push(invalid(path, value, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
  if (linkLocalUnicast) errs.push(invalid(path, value, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
  if (linkLocalMulticast) errs.push(invalid(path, value, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
  return errs;
}

/** netutils.IsDualStackIPStrings: true when the list holds at least one IPv4 and one IPv6 address. */
export function isDualStackIPs(values: readonly string[]): boolean {
  let v4 = false;
  let v6 = false;
  for (const v of values) {
    const fam = ipFamilyOf(v);
    if (fam === 'IPv4') v4 = true;
    else if (fam === 'IPv6') v6 = true;
  }
  return v4 && v6;
}
