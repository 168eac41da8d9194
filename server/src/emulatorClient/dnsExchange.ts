// One DNS query to the emulator's cluster DNS server and its decoded answer. Over UDP it is
// sent up to `udpTries` times; a truncated answer is asked again over TCP (length-prefixed, RFC
// 1035 4.2.2). Two callers want different things when something goes wrong, and the policy
// says which: dig reports every failure as it happens, while a stub resolver (how a pod, and
// so the editor's requests, resolve names) treats socket errors as silence, retries silence
// over TCP, and keeps a truncated answer when TCP gives nothing better.

import { createSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import * as packet from 'dns-packet';
import { EmulatorClientError } from './clientError';

export interface DnsServerAddress {
  host: string;
  port: number;
}

export interface ExchangePolicy {
  /** How long one UDP try waits for its answer. */
  timeoutMs: number;
  /** How many times the query goes out over UDP before UDP is given up. */
  udpTries: number;
  /** How long the TCP try waits for its answer. */
  tcpTimeoutMs: number;
  /** Adds an EDNS OPT record advertising this UDP payload size, as dig does; none without it. */
  ednsUdpSize?: number;
  /** Keeps going as a stub resolver does (see the header); otherwise the first failure ends the exchange. */
  persist: boolean;
}

export type DnsResponse = packet.Packet & { rcode?: string; opcode?: string; flag_tc?: boolean };

export interface DnsExchange {
  response: DnsResponse;
  /** The answer's size on the wire, in bytes. */
  size: number;
  /** How long the exchange took, from the first query sent to the answer used. */
  ms: number;
}

/** Why an exchange failed: a socket error, no answer at all, or an answer that is not a DNS message. */
export type DnsFailure = 'socket' | 'silent' | 'malformed';

/** A failed exchange; callers word it for their users from `failure`, `detail` and `size`. */
export class DnsExchangeError extends EmulatorClientError {
  constructor(
    readonly failure: DnsFailure,
    readonly server: DnsServerAddress,
    /** The socket error's message, for `socket`. */
    readonly detail = '',
    /** The size of the undecodable answer, for `malformed`. */
    readonly size = 0,
  ) {
    super(`DNS server ${server.host}#${server.port}: ${failure === 'socket' ? detail : failure === 'silent' ? 'no answer' : `${size} bytes that are not a DNS message`}`);
  }
}

export function buildQuery(name: string, type: packet.RecordType, id: number, ednsUdpSize?: number): Buffer {
  const query: packet.Packet = { type: 'query', id, flags: packet.RECURSION_DESIRED, questions: [{ type, name, class: 'IN' }] };
  if (ednsUdpSize !== undefined) {
    query.additionals = [{ type: 'OPT', name: '.', udpPayloadSize: ednsUdpSize, flags: 0, options: [] } as unknown as packet.Answer];
  }
  return packet.encode(query);
}

type Finish = (value: Buffer | undefined, err?: Error) => void;

/**
 * One try on one socket. `wire` sets the socket up and reports through `finish`, which settles
 * the try once, stops its timer and `close`s the socket; `timeoutMs` of silence finishes it
 * with undefined, and `wire` throwing (a port out of range, say) fails it.
 */
function oneTry(timeoutMs: number, close: () => void, wire: (finish: Finish) => void): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish: Finish = (value, err) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      close();
      if (err) reject(err);
      else resolve(value);
    };
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    try {
      wire(finish);
    } catch (err) {
      finish(undefined, err instanceof Error ? err : new Error(String(err)));
    }
  });
}

/** One UDP try: the answer that carries the query's id. */
function udpOnce(query: Buffer, server: DnsServerAddress, timeoutMs: number): Promise<Buffer | undefined> {
  const sock = createSocket('udp4');
  return oneTry(timeoutMs, () => sock.close(), (finish) => {
    sock.on('message', (msg) => {
      if (msg.length >= 2 && msg.readUInt16BE(0) === query.readUInt16BE(0)) finish(msg);
    });
    sock.on('error', (err) => finish(undefined, err));
    sock.send(query, server.port, server.host);
  });
}

/** One TCP try: the first length-prefixed message; the server closing first is silence. */
function tcpOnce(query: Buffer, server: DnsServerAddress, timeoutMs: number): Promise<Buffer | undefined> {
  let sock: Socket | undefined;
  let buf = Buffer.alloc(0);
  return oneTry(timeoutMs, () => sock?.destroy(), (finish) => {
    sock = connect(server.port, server.host);
    sock.on('connect', () => {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(query.length);
      sock?.write(Buffer.concat([len, query]));
    });
    sock.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) finish(buf.subarray(2, 2 + buf.readUInt16BE(0)));
    });
    sock.on('error', (err) => finish(undefined, err));
    sock.on('close', () => finish(undefined));
  });
}

function decode(raw: Buffer, server: DnsServerAddress): DnsResponse {
  try {
    return packet.decode(raw) as DnsResponse;
  } catch {
    throw new DnsExchangeError('malformed', server, '', raw.length);
  }
}

export interface ExchangeOptions {
  /** Asks over TCP from the start (dig +tcp). */
  tcp?: boolean;
  /** The query id; random by default. */
  id?: number;
}

/** Asks `server` one question and returns the answer it gave; rejects with a DnsExchangeError. */
export async function exchange(server: DnsServerAddress, name: string, type: packet.RecordType, policy: ExchangePolicy, options: ExchangeOptions = {}): Promise<DnsExchange> {
  const query = buildQuery(name, type, options.id ?? Math.floor(Math.random() * 65536), policy.ednsUdpSize);
  const started = Date.now();
  const attempt = async (once: Promise<Buffer | undefined>): Promise<Buffer | undefined> => {
    try {
      return await once;
    } catch (err) {
      if (policy.persist) return undefined;
      throw new DnsExchangeError('socket', server, err instanceof Error ? err.message : String(err));
    }
  };
  const answered = (raw: Buffer): DnsExchange => ({ response: decode(raw, server), size: raw.length, ms: Date.now() - started });

  let truncated: DnsExchange | undefined;
  if (!options.tcp) {
    let raw: Buffer | undefined;
    for (let i = 0; i < policy.udpTries && !raw; i++) raw = await attempt(udpOnce(query, server, policy.timeoutMs));
    if (raw) {
      const answer = answered(raw);
      if (!answer.response.flag_tc) return answer;
      truncated = answer;
    } else if (!policy.persist) {
      throw new DnsExchangeError('silent', server);
    }
  }
  const raw = await attempt(tcpOnce(query, server, policy.tcpTimeoutMs));
  if (raw) return answered(raw);
  if (truncated && policy.persist) return truncated;
  throw new DnsExchangeError('silent', server);
}
