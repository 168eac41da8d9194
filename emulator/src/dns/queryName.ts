// Reading a query name: which served zone it falls in, what it asks for inside the cluster zone
// (CoreDNS plugin/kubernetes/parse.go), and which address a reverse name spells
// (plugin/pkg/dnsutil ExtractAddressFromReverse). Names are handled as arrays of labels,
// lower-cased by the caller; matching is case-insensitive as in DNS.

import { formatIP, parseIP } from '../../../server/src/validation/ipAddresses';

export const SVC = 'svc';
export const POD = 'pod';

/** Labels of `name` (with or without the trailing dot); the root has none. */
export function splitLabels(name: string): string[] {
  const n = name.endsWith('.') ? name.slice(0, -1) : name;
  return n === '' ? [] : n.split('.');
}

/** True when `labels` equals `zone` or lies below it. Both must be lower-case. */
export function isSubdomain(zone: readonly string[], labels: readonly string[]): boolean {
  if (labels.length < zone.length) return false;
  const offset = labels.length - zone.length;
  return zone.every((z, i) => labels[offset + i] === z);
}

/** The longest of `zones` that `labels` lies in (plugin.Zones.Matches), or -1. */
export function matchZone(zones: readonly (readonly string[])[], labels: readonly string[]): number {
  let best = -1;
  zones.forEach((zone, i) => {
    if (isSubdomain(zone, labels) && (best < 0 || zone.length > (zones[best]?.length ?? 0))) best = i;
  });
  return best;
}

/** What a name inside the cluster zone asks for; '' where the name says nothing. */
export interface RecordRequest {
  port: string;
  protocol: string;
  endpoint: string;
  service: string;
  namespace: string;
  /** `svc`, `pod`, or '' for the apex-like names (zone, svc.zone, pod.zone). */
  podOrSvc: string;
}

const EMPTY_REQUEST: RecordRequest = Object.freeze({ port: '', protocol: '', endpoint: '', service: '', namespace: '', podOrSvc: '' });

function stripUnderscore(label: string): string {
  return label.startsWith('_') ? label.slice(1) : label;
}

/**
 * Parses the labels below the cluster zone. The accepted shapes, read right to left:
 *  1. `_port._protocol.service.namespace.svc|pod`: an SRV name (the underscores are optional);
 *  2. `endpoint.service.namespace.svc|pod`: one endpoint of a Service, by hostname;
 *  3. `service.namespace.svc|pod`: a Service, or a pod by its dashed IP;
 *  4. `namespace.svc|pod`, `svc`, `pod` and the zone itself: apex-like names that exist but
 *     hold no records (NODATA).
 * Returns 'invalid' (NXDOMAIN) when the second-level label is neither `svc` nor `pod`, or when
 * more labels remain than shape 1 allows.
 */
export function parseRequest(base: readonly string[]): RecordRequest | 'invalid' {
  if (base.length === 0 || (base.length === 1 && (base[0] === SVC || base[0] === POD))) return EMPTY_REQUEST;
  const segs = [...base];
  const r: RecordRequest = { ...EMPTY_REQUEST };
  r.podOrSvc = segs.pop() ?? '';
  if (r.podOrSvc !== SVC && r.podOrSvc !== POD) return 'invalid';
  r.namespace = segs.pop() ?? '';
  if (segs.length === 0) return r;
  r.service = segs.pop() ?? '';
  if (segs.length === 0) return r;
  if (segs.length === 1) {
    r.endpoint = segs[0] ?? '';
  } else if (segs.length === 2) {
    r.port = stripUnderscore(segs[0] ?? '');
    r.protocol = stripUnderscore(segs[1] ?? '');
  } else {
    return 'invalid';
  }
  return r;
}

/** A reverse name's domain for one family: `<labels>.in-addr.arpa` or `<labels>.ip6.arpa`. */
export function reverseFamily(labels: readonly string[]): 4 | 6 | undefined {
  if (labels.length < 3) return undefined;
  const [second, top] = labels.slice(-2);
  if (top !== 'arpa') return undefined;
  if (second === 'in-addr') return 4;
  if (second === 'ip6') return 6;
  return undefined;
}

/** Go's net.ParseIP(s).String(): the canonical text of a strictly valid IP, or ''. */
export function canonicalIP(text: string): string {
  const ip = parseIP(text);
  return ip && ip.strict ? formatIP(ip.bytes) : '';
}

/**
 * The address a full reverse name spells, canonical, or '' when it spells none. IPv4 needs
 * exactly four octets; IPv6 reads nibbles in groups of four, ignoring a remainder, as CoreDNS
 * does, so only a full 32-nibble name yields an address.
 */
export function addressFromReverse(labels: readonly string[]): string {
  const family = reverseFamily(labels);
  if (!family) return '';
  const parts = labels.slice(0, -2).reverse();
  if (family === 4) {
    const ip = parseIP(parts.join('.'));
    return ip && ip.strict && ip.syntax === 4 ? formatIP(ip.bytes) : '';
  }
  const groups: string[] = [];
  for (let i = 0; i + 4 <= parts.length; i += 4) groups.push(parts.slice(i, i + 4).join(''));
  const ip = parseIP(groups.join(':'));
  return ip && ip.strict && ip.syntax === 6 ? formatIP(ip.bytes) : '';
}
