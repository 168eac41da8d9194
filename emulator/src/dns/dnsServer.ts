// The cluster DNS server: UDP and TCP on one port of the loopback address, answering from a
// DnsIndex the way CoreDNS with the kubeadm Corefile answers inside a cluster. Sockets only
// move bytes; queryHandler.ts decides what to send, synchronously for everything the cluster
// answers alone, so a UDP query is answered within the event that brought it. TCP connections
// are served by tcpConnection.ts. Bad input is answered or dropped there; nothing here throws
// on it. Nothing is forwarded unless `forward` is given.

import { lookup as dnsLookup, type LookupOneOptions } from 'node:dns';
import { readFileSync } from 'node:fs';
import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { createServer, isIP, type Server, type Socket } from 'node:net';
import { systemClock, type Clock } from '../clock';
import type { DnsData } from './dnsData';
import { DnsIndex, type DnsSource } from './dnsIndex';
import { Forwarder, parseUpstream, resolvConfServers, type Upstream } from './forwarder';
import type { PodMode } from './lookup';
import { createQueryHandler, type HandlerResult, type QueryHandler } from './queryHandler';
import { familyOf, serveTcpConnection } from './tcpConnection';

export interface DnsServerOptions {
  /** The cluster view to answer from; or give `source` and the server builds (and closes) one. */
  index?: DnsData;
  source?: DnsSource;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port, the same for UDP and TCP. */
  port?: number;
  /** TTL of answers in seconds; default 30 as in the kubeadm Corefile. */
  ttl?: number;
  /** The cluster domain; default cluster.local. */
  zone?: string;
  /** Default `insecure`, as in the kubeadm Corefile. */
  podMode?: PodMode;
  /** The plugin's `endpoint_pod_names`: endpoints without a hostname are named after their pod. */
  endpointPodNames?: boolean;
  /**
   * Forward out-of-zone names (and NXDOMAIN in the reverse zones) upstream. `servers` are
   * `ip` or `ip:port`; absent or empty means the nameservers of /etc/resolv.conf. Without
   * this option such names are refused.
   */
  forward?: { servers?: string[]; timeoutMs?: number; resolvConfPath?: string };
  /** Shuffle address records as the `loadbalance` plugin does; default true. */
  loadBalance?: boolean;
  /** How long a TCP client has to send its first message whole; default 2 s, as miekg/dns. */
  tcpReadTimeoutMs?: number;
  /** How long a TCP client has to send each later message whole; default 8 s, as miekg/dns. */
  tcpIdleTimeoutMs?: number;
  maxTcpConnections?: number;
  clock?: Clock;
  rand?: () => number;
  log?: (message: string) => void;
}

export interface RunningDnsServer {
  host: string;
  port: number;
  close(): Promise<void>;
}

/** How often a free port is tried when the one UDP got is taken for TCP. */
const BIND_ATTEMPTS = 10;
const DEFAULT_READ_MS = 2000;
const DEFAULT_IDLE_MS = 8000;
/** Queries of one TCP connection being answered at once; reading pauses beyond it. */
const MAX_PIPELINE = 32;

function errorCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

function bindUdp(socket: UdpSocket, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ port, address: host, exclusive: true }, () => {
      socket.off('error', reject);
      resolve();
    });
  });
}

function listenTcp(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Binds UDP first, then TCP on the port UDP got; with port 0 a port taken for TCP means another try. */
async function bindBoth(host: string, port: number, makeTcp: () => Server): Promise<{ udp: UdpSocket; tcp: Server; port: number }> {
  const type = isIP(host) === 6 ? 'udp6' : 'udp4';
  for (let attempt = 1; ; attempt++) {
    const udp = createSocket({ type, lookup: literalAddress });
    try {
      await bindUdp(udp, port, host);
    } catch (err) {
      udp.close();
      throw err;
    }
    const bound = udp.address().port;
    const tcp = makeTcp();
    try {
      await listenTcp(tcp, bound, host);
      return { udp, tcp, port: bound };
    } catch (err) {
      udp.close();
      if (port !== 0 || errorCode(err) !== 'EADDRINUSE' || attempt >= BIND_ATTEMPTS) throw err;
    }
  }
}

function upstreams(forward: NonNullable<DnsServerOptions['forward']>, self: Upstream, log: (m: string) => void): Upstream[] {
  let servers: Upstream[];
  if (forward.servers && forward.servers.length > 0) {
    servers = [];
    for (const s of forward.servers) {
      const u = parseUpstream(s);
      if (u) servers.push(u);
      else log(`dns: ignoring upstream "${s}": not an IP address with an optional port`);
    }
  } else {
    const path = forward.resolvConfPath ?? '/etc/resolv.conf';
    try {
      servers = resolvConfServers(readFileSync(path, 'utf8'));
    } catch (err) {
      log(`dns: cannot read ${path}: ${(err as Error).message}; out-of-zone names will get SERVFAIL`);
      servers = [];
    }
  }
  // Forwarding to ourselves would loop until every query times out (CoreDNS's `loop` plugin
  // stops the server instead); such an upstream is skipped.
  return servers.filter((u) => !(u.port === self.port && u.host === self.host));
}

/**
 * The UDP socket's name lookup: an IP address is taken as it is. Replies always go to the IP a
 * datagram came from, and the default (dns.lookup) would defer every send by a tick for nothing.
 */
function literalAddress(
  address: string,
  options: LookupOneOptions,
  callback: (err: NodeJS.ErrnoException | null, address: string, family: number) => void,
): void {
  const family = isIP(address);
  if (family !== 0) callback(null, address, family);
  else dnsLookup(address, options, callback);
}

function serveUdp(udp: UdpSocket, handle: QueryHandler, isClosed: () => boolean, log: (m: string) => void): void {
  const send = (response: HandlerResult, rinfo: RemoteInfo) => {
    if (!response || isClosed()) return;
    try {
      udp.send(response, rinfo.port, rinfo.address);
    } catch (err) {
      log(`dns: udp send to ${rinfo.address}:${rinfo.port}: ${(err as Error).message}`);
    }
  };
  udp.on('error', (err) => log(`dns: udp: ${err.message}`));
  udp.on('message', (msg, rinfo) => {
    const result = handle(msg, 'udp', familyOf(rinfo.family, rinfo.address));
    if (result instanceof Promise) void result.then((response) => send(response, rinfo));
    else send(result, rinfo);
  });
}

/** Starts the server; resolves once both sockets listen. */
export async function startDnsServer(opts: DnsServerOptions): Promise<RunningDnsServer> {
  const host = opts.host ?? '127.0.0.1';
  const log = opts.log ?? (() => undefined);
  const clock = opts.clock ?? systemClock;
  const rand = opts.rand ?? Math.random;
  let ownIndex: DnsIndex | undefined;
  let data = opts.index;
  if (!data) {
    if (!opts.source) throw new Error('startDnsServer needs an index or a source');
    data = ownIndex = new DnsIndex(opts.source, { clock });
  }

  let closed = false;
  let forwarder: Forwarder | undefined;
  // The TCP server must exist before the port (and so the forwarder's loop check) is known;
  // its connections reach the real handler through this indirection, which is assigned before
  // any I/O callback can run.
  let handle: QueryHandler = () => undefined;
  const handler: QueryHandler = (raw, transport, family) => handle(raw, transport, family);
  const connections = new Set<Socket>();
  const tcpOptions = {
    handle: handler,
    clock,
    readTimeoutMs: opts.tcpReadTimeoutMs ?? DEFAULT_READ_MS,
    idleTimeoutMs: opts.tcpIdleTimeoutMs ?? DEFAULT_IDLE_MS,
    maxPipeline: MAX_PIPELINE,
  };

  const makeTcp = () => {
    const server = createServer({ allowHalfOpen: true }, (socket) => {
      connections.add(socket);
      socket.on('close', () => connections.delete(socket));
      serveTcpConnection(socket, tcpOptions);
    });
    server.maxConnections = opts.maxTcpConnections ?? 256;
    return server;
  };

  let bound: Awaited<ReturnType<typeof bindBoth>>;
  try {
    bound = await bindBoth(host, opts.port ?? 0, makeTcp);
  } catch (err) {
    ownIndex?.close();
    throw err;
  }
  const { udp, tcp, port } = bound;
  tcp.on('error', (err) => log(`dns: tcp: ${err.message}`));

  if (opts.forward) {
    const servers = upstreams(opts.forward, { host, port }, log);
    if (servers.length === 0) log('dns: no upstream resolvers; out-of-zone names will get SERVFAIL');
    forwarder = new Forwarder({ servers, timeoutMs: opts.forward.timeoutMs, clock, rand });
  }
  handle = createQueryHandler({
    data,
    lookup: {
      ...(opts.ttl !== undefined ? { ttl: opts.ttl } : {}),
      ...(opts.zone !== undefined ? { zone: opts.zone } : {}),
      ...(opts.podMode !== undefined ? { podMode: opts.podMode } : {}),
      ...(opts.endpointPodNames !== undefined ? { endpointPodNames: opts.endpointPodNames } : {}),
    },
    forwarder,
    loadBalance: opts.loadBalance,
    rand,
    log,
  });
  serveUdp(udp, handler, () => closed, log);

  return {
    host,
    port,
    async close() {
      if (closed) return;
      closed = true;
      ownIndex?.close();
      forwarder?.close();
      udp.close();
      const tcpClosed = new Promise<void>((resolve) => tcp.close(() => resolve()));
      for (const s of connections) s.destroy();
      await tcpClosed;
    },
  };
}
