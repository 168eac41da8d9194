// The resource records the cluster DNS answers with, as plain data, and their zone-file text.
// Every owner name and every name inside a record is fully qualified with its trailing dot, as
// dig prints it. The wire encoding lives in wire.ts; this file knows nothing about bytes.

export interface SoaData {
  mname: string;
  rname: string;
  serial: number;
  refresh: number;
  retry: number;
  expire: number;
  minimum: number;
}

export interface SrvData {
  priority: number;
  weight: number;
  port: number;
  target: string;
}

interface RecordBase {
  /** Owner name, fully qualified (`web.default.svc.cluster.local.`). */
  name: string;
  ttl: number;
}

export type DnsRecord =
  | (RecordBase & { type: 'A' | 'AAAA'; data: string })
  | (RecordBase & { type: 'CNAME' | 'PTR' | 'NS'; data: string })
  | (RecordBase & { type: 'SRV'; data: SrvData })
  | (RecordBase & { type: 'TXT'; data: string[] })
  | (RecordBase & { type: 'SOA'; data: SoaData });

export type RecordType = DnsRecord['type'];

/** `name` with exactly one trailing dot; the root is `.`. */
export function fqdn(name: string): string {
  if (name === '' || name === '.') return '.';
  return name.endsWith('.') ? name : name + '.';
}

function quoted(text: string): string {
  return '"' + text.replace(/["\\]/g, (c) => '\\' + c) + '"';
}

/** The record's data as dig prints it after the type. */
export function rdataText(rr: DnsRecord): string {
  switch (rr.type) {
    case 'A':
    case 'AAAA':
    case 'CNAME':
    case 'PTR':
    case 'NS':
      return rr.data;
    case 'SRV':
      return `${rr.data.priority} ${rr.data.weight} ${rr.data.port} ${rr.data.target}`;
    case 'TXT':
      return rr.data.map(quoted).join(' ');
    case 'SOA': {
      const s = rr.data;
      return `${s.mname} ${s.rname} ${s.serial} ${s.refresh} ${s.retry} ${s.expire} ${s.minimum}`;
    }
  }
}

/** One zone-file line as dig prints it: `web.default.svc.cluster.local.\t30\tIN\tA\t10.96.0.20`. */
export function recordText(rr: DnsRecord): string {
  return [rr.name, String(rr.ttl), 'IN', rr.type, rdataText(rr)].join('\t');
}
