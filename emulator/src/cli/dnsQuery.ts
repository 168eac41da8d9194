// Sends one DNS query to the emulator's DNS server over UDP or TCP and returns the decoded
// answer with its size and timing, as dig needs them. Timeouts and retries follow dig's
// defaults (5 s, 3 tries over UDP).

import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import * as packet from 'dns-packet';
import { CliError } from './options';

export interface DnsExchange {
  response: packet.Packet;
  size: number;
  ms: number;
}

export interface QueryOptions {
  host: string;
  port: number;
  tcp?: boolean;
  timeoutMs?: number;
  tries?: number;
}

export function buildQuery(name: string, type: packet.RecordType, id: number): Buffer {
  return packet.encode({
    type: 'query',
    id,
    flags: packet.RECURSION_DESIRED,
    questions: [{ type, name, class: 'IN' }],
    additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 1232, flags: 0, options: [] } as unknown as packet.Answer],
  });
}

function udpOnce(query: Buffer, opts: QueryOptions, timeoutMs: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const sock = createSocket('udp4');
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    function finish(value: Buffer | undefined, err?: Error): void {
      clearTimeout(timer);
      sock.close();
      if (err) reject(err);
      else resolve(value);
    }
    sock.on('message', (msg) => {
      if (msg.length >= 2 && msg.readUInt16BE(0) === query.readUInt16BE(0)) finish(msg);
    });
    sock.on('error', (err) => finish(undefined, err));
    sock.send(query, opts.port, opts.host);
  });
}

function tcpOnce(query: Buffer, opts: QueryOptions, timeoutMs: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const sock = connect(opts.port, opts.host);
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    function finish(value: Buffer | undefined, err?: Error): void {
      clearTimeout(timer);
      sock.destroy();
      if (err) reject(err);
      else resolve(value);
    }
    sock.on('connect', () => {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(query.length);
      sock.write(Buffer.concat([len, query]));
    });
    sock.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) finish(buf.subarray(2, 2 + buf.readUInt16BE(0)));
    });
    sock.on('error', (err) => finish(undefined, err));
    sock.on('close', () => finish(undefined));
  });
}

export async function exchange(name: string, type: packet.RecordType, opts: QueryOptions): Promise<DnsExchange> {
  const id = Math.floor(Math.random() * 65536);
  const query = buildQuery(name, type, id);
  const tries = opts.tcp ? 1 : (opts.tries ?? 3);
  const timeoutMs = opts.timeoutMs ?? 5000;
  const started = Date.now();
  for (let i = 0; i < tries; i++) {
    let raw: Buffer | undefined;
    try {
      raw = await (opts.tcp ? tcpOnce(query, opts, timeoutMs) : udpOnce(query, opts, timeoutMs));
    } catch (err) {
      throw new CliError(`;; communications error to ${opts.host}#${opts.port}: ${(err as Error).message}`, 9);
    }
    if (!raw) continue;
    let decoded: packet.Packet;
    try {
      decoded = packet.decode(raw);
    } catch {
      throw new CliError(`;; Got bad packet: ${raw.length} bytes from ${opts.host}#${opts.port}`, 9);
    }
    if (!opts.tcp && (decoded as { flag_tc?: boolean }).flag_tc) return exchange(name, type, { ...opts, tcp: true });
    return { response: decoded, size: raw.length, ms: Date.now() - started };
  }
  throw new CliError(`;; communications error to ${opts.host}#${opts.port}: timed out\n;; no servers could be reached`, 9);
}

/** The reverse-lookup name of an IPv4 or IPv6 address (`dig -x`). */
export function reverseName(ip: string): string | undefined {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(ip)) return `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
  if (!ip.includes(':')) return undefined;
  const [head, tail = ''] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  if (!ip.includes('::') && h.length !== 8) return undefined;
  const groups = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  const nibbles = groups.map((g) => g.padStart(4, '0')).join('');
  if (!/^[0-9a-fA-F]{32}$/.test(nibbles)) return undefined;
  return `${nibbles.toLowerCase().split('').reverse().join('.')}.ip6.arpa`;
}
