// DNS resource records as zone-file text, the way dig prints them: fully qualified names and
// `name ttl IN TYPE data`, e.g. `web.default.svc.cluster.local. 30 IN A 10.96.12.7`.

import type { Answer } from 'dns-packet';

/** `name` with the trailing dot of a fully qualified name; the root is `.`. */
export function fqdn(name: string): string {
  return name.endsWith('.') ? name : `${name}.`;
}

/** The data column of a record; empty for types this code does not print. */
export function recordData(rr: Answer): string {
  switch (rr.type) {
    case 'A':
    case 'AAAA':
      return rr.data;
    case 'CNAME':
    case 'PTR':
    case 'NS':
    case 'DNAME':
      return fqdn(rr.data);
    case 'SRV':
      return `${rr.data.priority ?? 0} ${rr.data.weight ?? 0} ${rr.data.port} ${fqdn(rr.data.target)}`;
    case 'SOA':
      return `${fqdn(rr.data.mname)} ${fqdn(rr.data.rname)} ${rr.data.serial ?? 0} ${rr.data.refresh ?? 0} ${rr.data.retry ?? 0} ${rr.data.expire ?? 0} ${rr.data.minimum ?? 0}`;
    case 'TXT': {
      const parts = Array.isArray(rr.data) ? rr.data : [rr.data];
      return parts.map((p) => `"${Buffer.isBuffer(p) ? p.toString('utf8') : String(p)}"`).join(' ');
    }
    case 'MX':
      return `${rr.data.preference ?? 0} ${fqdn(rr.data.exchange)}`;
    default:
      return '';
  }
}

/** One record as a zone-file line; dig separates the columns with tabs, `separator` can say otherwise. */
export function recordLine(rr: Answer, separator = '\t'): string {
  const ttl = 'ttl' in rr ? (rr.ttl ?? 0) : 0;
  return [fqdn(rr.name), ttl, 'IN', rr.type, recordData(rr)].join(separator);
}
