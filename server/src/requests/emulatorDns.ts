// DNS as a pod in the emulator sees it: one query to the emulator's cluster DNS server (UDP,
// retried, and again over TCP when the answer is truncated, as resolvers do), and the search
// path kubelet writes into a pod's resolv.conf for dnsPolicy ClusterFirst
// (`<ns>.svc.<domain> svc.<domain> <domain>`, ndots 5). This is what `ksl dig`, `ksl nslookup`
// and `ksl curl` do from the host; the language server cannot import the CLI (the emulator's
// project depends on the server's, not the other way round), so it speaks the same protocol.

import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import * as packet from 'dns-packet';
import { UserError } from './userError';

export const NDOTS = 5;

export interface DnsServer {
  host: string;
  port: number;
}

export interface DnsAnswer {
  rcode: string;
  /** The answer records as zone-file lines: `web.default.svc.cluster.local. 30 IN A 10.96.12.4`. */
  records: string[];
  /** The A records' addresses, in order. */
  addresses: string[];
}

const UDP_TIMEOUT_MS = 2000;
const UDP_TRIES = 2;

/** The names a resolver tries for `name`, in order (see the header). */
export function searchCandidates(name: string, namespace: string, domain: string): string[] {
  if (name.endsWith('.')) return [name.slice(0, -1)];
  const withSearch = [`${namespace}.svc.${domain}`, `svc.${domain}`, domain].map((d) => `${name}.${d}`);
  const dots = name.split('.').length - 1;
  return dots >= NDOTS ? [name, ...withSearch] : [...withSearch, name];
}

/** The reverse-lookup name of an IPv4 address, or undefined for anything else. */
export function reverseName(ip: string): string | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return `${parts.reverse().join('.')}.in-addr.arpa`;
}

function fqdn(name: string): string {
  return name.endsWith('.') ? name : `${name}.`;
}

function recordData(rr: packet.Answer): string {
  switch (rr.type) {
    case 'A':
    case 'AAAA':
      return rr.data;
    case 'CNAME':
    case 'PTR':
    case 'NS':
      return fqdn(rr.data);
    case 'SRV':
      return `${rr.data.priority ?? 0} ${rr.data.weight ?? 0} ${rr.data.port} ${fqdn(rr.data.target)}`;
    case 'TXT': {
      const parts = Array.isArray(rr.data) ? rr.data : [rr.data];
      return parts.map((p) => `"${Buffer.isBuffer(p) ? p.toString('utf8') : String(p)}"`).join(' ');
    }
    case 'SOA':
      return `${fqdn(rr.data.mname)} ${fqdn(rr.data.rname)} ${rr.data.serial ?? 0} ${rr.data.refresh ?? 0} ${rr.data.retry ?? 0} ${rr.data.expire ?? 0} ${rr.data.minimum ?? 0}`;
    default:
      return '';
  }
}

function recordLine(rr: packet.Answer): string {
  const ttl = 'ttl' in rr ? (rr.ttl ?? 0) : 0;
  return `${fqdn(rr.name)} ${ttl} IN ${rr.type} ${recordData(rr)}`;
}

function udpOnce(query: Buffer, server: DnsServer): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const sock = createSocket('udp4');
    const finish = (value: Buffer | undefined): void => {
      clearTimeout(timer);
      sock.close();
      resolve(value);
    };
    const timer = setTimeout(() => finish(undefined), UDP_TIMEOUT_MS);
    sock.on('message', (msg) => {
      if (msg.length >= 2 && msg.readUInt16BE(0) === query.readUInt16BE(0)) finish(msg);
    });
    sock.on('error', () => finish(undefined));
    sock.send(query, server.port, server.host);
  });
}

function tcpOnce(query: Buffer, server: DnsServer): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const sock = connect(server.port, server.host);
    let buf = Buffer.alloc(0);
    const finish = (value: Buffer | undefined): void => {
      clearTimeout(timer);
      sock.destroy();
      resolve(value);
    };
    const timer = setTimeout(() => finish(undefined), UDP_TIMEOUT_MS * UDP_TRIES);
    sock.on('connect', () => {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(query.length);
      sock.write(Buffer.concat([len, query]));
    });
    sock.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) finish(buf.subarray(2, 2 + buf.readUInt16BE(0)));
    });
    sock.on('error', () => finish(undefined));
    sock.on('close', () => finish(undefined));
  });
}

function decode(raw: Buffer): packet.Packet & { rcode?: string; flag_tc?: boolean } {
  try {
    return packet.decode(raw) as packet.Packet & { rcode?: string; flag_tc?: boolean };
  } catch {
    throw new UserError(`the emulator's DNS server sent an answer that is not a DNS message (${raw.length} bytes)`);
  }
}

function randomId(): number {
  return Math.floor(Math.random() * 65536);
}

/** One question to the DNS server; `id` makes each query's answer recognisable. */
export async function queryDns(server: DnsServer, name: string, type: packet.RecordType, id = randomId()): Promise<DnsAnswer> {
  const query = packet.encode({ type: 'query', id, flags: packet.RECURSION_DESIRED, questions: [{ type, name, class: 'IN' }] });
  let raw: Buffer | undefined;
  for (let i = 0; i < UDP_TRIES && !raw; i++) raw = await udpOnce(query, server);
  let answer = raw ? decode(raw) : undefined;
  if (!answer || answer.flag_tc) {
    const tcp = await tcpOnce(query, server);
    if (tcp) answer = decode(tcp);
  }
  if (!answer) throw new UserError(`the emulator's DNS server at ${server.host}:${server.port} does not answer; is the emulator still running?`);
  const records = answer.answers ?? [];
  return {
    rcode: answer.rcode ?? 'NOERROR',
    records: records.filter((r) => r.type !== 'OPT').map(recordLine),
    addresses: records.filter((r): r is packet.StringAnswer => r.type === 'A').map((r) => r.data),
  };
}

export type Resolution = { ok: true; name: string; address: string; tried: string[] } | { ok: false; tried: string[]; rcode: string };

/** A host name to an IPv4 address through a pod's search path; an IP address stands for itself. */
export async function resolveFromPod(server: DnsServer, host: string, namespace: string, domain: string): Promise<Resolution> {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) return { ok: true, name: host, address: host, tried: [] };
  const tried: string[] = [];
  let rcode = 'NXDOMAIN';
  for (const candidate of searchCandidates(host, namespace, domain)) {
    tried.push(candidate);
    const answer = await queryDns(server, candidate, 'A');
    if (answer.rcode === 'NOERROR' && answer.addresses.length > 0) return { ok: true, name: candidate, address: answer.addresses[0]!, tried };
    // A name outside the cluster domain is refused unless forwarding is on; the NXDOMAIN
    // from the cluster's own search domains says more.
    if (!(answer.rcode === 'REFUSED' && rcode === 'NXDOMAIN')) rcode = answer.rcode === 'NOERROR' ? 'NODATA' : answer.rcode;
  }
  return { ok: false, tried, rcode };
}
