// The name a reverse (PTR) lookup asks for: `d.c.b.a.in-addr.arpa` for IPv4 and the 32
// reversed nibbles under `ip6.arpa` for IPv6.

export interface ReverseNameRules {
  /** Whether IPv6 addresses have a reverse name; without it only IPv4 addresses do. */
  ipv6: boolean;
  /**
   * Whether each IPv4 label must be a number up to 255. dig -x is looser: it reverses any four
   * dotted numbers, as it does for an address it cannot parse.
   */
  strictIPv4: boolean;
}

function ipv4Reverse(ip: string, strict: boolean): string | undefined {
  const parts = ip.split('.');
  const label = strict ? /^\d{1,3}$/ : /^\d+$/;
  if (parts.length !== 4 || !parts.every((p) => label.test(p) && (!strict || Number(p) <= 255))) return undefined;
  return `${parts.reverse().join('.')}.in-addr.arpa`;
}

function ipv6Reverse(ip: string): string | undefined {
  if (!ip.includes(':')) return undefined;
  const [head, tail = ''] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  if (!ip.includes('::') && h.length !== 8) return undefined;
  const groups = [...h, ...Array<string>(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t];
  const nibbles = groups.map((g) => g.padStart(4, '0')).join('');
  if (!/^[0-9a-fA-F]{32}$/.test(nibbles)) return undefined;
  return `${nibbles.toLowerCase().split('').reverse().join('.')}.ip6.arpa`;
}

/** The reverse-lookup name of `ip`, or undefined when the rules give it none. */
export function reverseName(ip: string, rules: ReverseNameRules): string | undefined {
  return ipv4Reverse(ip, rules.strictIPv4) ?? (rules.ipv6 ? ipv6Reverse(ip) : undefined);
}
