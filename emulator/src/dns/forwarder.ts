// Sends questions the cluster zone does not hold to upstream resolvers, as the kubeadm
// Corefile's `forward . /etc/resolv.conf` does: over UDP, one upstream after another, each with
// a timeout. A reply counts only if it comes from the upstream asked, carries the ID sent and
// echoes the question; anything else is ignored while waiting. Every socket is closed when its
// exchange ends, and at most `maxConcurrent` exchanges run at once (beyond that the caller is
// told to refuse, like the forward plugin's max_concurrent).

import { createSocket, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import * as packet from 'dns-packet';
import { systemClock, type Clock } from '../clock';
import type { WireQuestion } from './wire';

export interface Upstream {
  host: string;
  port: number;
}

export interface ForwarderOptions {
  servers: readonly Upstream[];
  /** Per upstream attempt. */
  timeoutMs?: number;
  maxConcurrent?: number;
  clock?: Clock;
  rand?: () => number;
}

export type ForwardResult = { kind: 'answer'; response: packet.DecodedPacket } | { kind: 'failed' } | { kind: 'busy' };

const DEFAULT_PORT = 53;

/** Parses `1.2.3.4`, `1.2.3.4:53`, `::1`, `[::1]:53`; undefined when it is none of these. */
export function parseUpstream(text: string): Upstream | undefined {
  const t = text.trim();
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(t);
  if (bracketed) return upstream(bracketed[1] ?? '', bracketed[2]);
  if (isIP(t)) return { host: t, port: DEFAULT_PORT };
  const hostPort = /^([^:]+):(\d+)$/.exec(t);
  if (hostPort) return upstream(hostPort[1] ?? '', hostPort[2]);
  return undefined;
}

function upstream(host: string, port: string | undefined): Upstream | undefined {
  const p = port === undefined ? DEFAULT_PORT : Number(port);
  if (!isIP(host) || !Number.isInteger(p) || p < 1 || p > 65535) return undefined;
  return { host, port: p };
}

/** The `nameserver` lines of a resolv.conf, in order; a zone suffix (`%eth0`) is dropped. */
export function resolvConfServers(text: string): Upstream[] {
  const out: Upstream[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*nameserver\s+(\S+)/.exec(line);
    const u = m ? parseUpstream((m[1] ?? '').replace(/%.*$/, '')) : undefined;
    if (u) out.push(u);
  }
  return out;
}

function sameName(a: string, b: string): boolean {
  const bare = (n: string) => n.replace(/\.$/, '').toLowerCase();
  return bare(a) === bare(b);
}

function sameQuestion(a: packet.Question | undefined, b: WireQuestion): boolean {
  return !!a && sameName(a.name, b.name) && a.type === b.type && (a.class ?? 'IN') === b.class;
}

export class Forwarder {
  private readonly servers: readonly Upstream[];
  private readonly timeoutMs: number;
  private readonly maxConcurrent: number;
  private readonly clock: Clock;
  private readonly rand: () => number;
  private readonly sockets = new Set<Socket>();
  private inFlight = 0;
  private closed = false;

  constructor(opts: ForwarderOptions) {
    this.servers = opts.servers;
    this.timeoutMs = opts.timeoutMs ?? 2000;
    this.maxConcurrent = opts.maxConcurrent ?? 256;
    this.clock = opts.clock ?? systemClock;
    this.rand = opts.rand ?? Math.random;
  }

  get upstreams(): readonly Upstream[] {
    return this.servers;
  }

  /**
   * Asks the upstreams the client's question, with the client's RD, CD and EDNS settings but a
   * fresh ID. Resolves (never rejects) with the first acceptable reply.
   */
  async forward(request: packet.DecodedPacket, question: WireQuestion): Promise<ForwardResult> {
    const opt = (request.additionals ?? []).filter((a) => a.type === 'OPT');
    const flags = (request.flags ?? 0) & (packet.RECURSION_DESIRED | packet.CHECKING_DISABLED);
    return this.ask(question, flags, opt);
  }

  /** Asks a fresh recursive question (a CNAME target's addresses). */
  resolve(name: string, type: 'A' | 'AAAA'): Promise<ForwardResult> {
    return this.ask({ name, type, class: 'IN' }, packet.RECURSION_DESIRED, []);
  }

  /** Closes every upstream socket; pending exchanges resolve as failed. */
  close(): void {
    this.closed = true;
    for (const s of this.sockets) s.close();
    this.sockets.clear();
  }

  private async ask(question: WireQuestion, flags: number, additionals: packet.Answer[]): Promise<ForwardResult> {
    if (this.closed || this.servers.length === 0) return { kind: 'failed' };
    if (this.inFlight >= this.maxConcurrent) return { kind: 'busy' };
    this.inFlight++;
    try {
      for (const server of this.servers) {
        const id = Math.floor(this.rand() * 65536) & 0xffff;
        let query: Buffer;
        try {
          query = packet.encode({ type: 'query', id, flags, questions: [question as packet.Question], additionals });
        } catch {
          return { kind: 'failed' };
        }
        const response = await this.exchange(server, query, id, question);
        if (response) return { kind: 'answer', response };
        if (this.closed) break;
      }
      return { kind: 'failed' };
    } finally {
      this.inFlight--;
    }
  }

  private exchange(server: Upstream, query: Buffer, id: number, question: WireQuestion): Promise<packet.DecodedPacket | undefined> {
    return new Promise((resolve) => {
      const socket = createSocket(isIP(server.host) === 6 ? 'udp6' : 'udp4');
      this.sockets.add(socket);
      let done = false;
      const finish = (value: packet.DecodedPacket | undefined) => {
        if (done) return;
        done = true;
        timer.cancel();
        if (this.sockets.delete(socket)) socket.close();
        resolve(value);
      };
      const timer = this.clock.after(this.timeoutMs, () => finish(undefined));
      socket.on('error', () => finish(undefined));
      socket.on('close', () => finish(undefined));
      socket.on('message', (msg) => {
        let reply: packet.DecodedPacket;
        try {
          reply = packet.decode(msg);
        } catch {
          return;
        }
        if (reply.type === 'response' && reply.id === id && sameQuestion(reply.questions?.[0], question)) finish(reply);
      });
      // A connected socket only receives datagrams from the upstream it was connected to.
      socket.connect(server.port, server.host, () => {
        if (done) return;
        socket.send(query, (err) => {
          if (err) finish(undefined);
        });
      });
    });
  }
}
