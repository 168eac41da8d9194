// The emulator's own endpoints under /ksl/v1, beside the Kubernetes API and behind the same
// token. They let `ksl` commands on the host act from inside the emulated network:
//   GET /ksl/v1/dial?ip=&port=[&source=]  (Upgrade: ksl-tcp) opens a TCP stream to ip:port
//       as a pod would (through kube-proxy's rules), or answers 502 with why it failed.
//   GET /ksl/v1/rules[?namespace=&name=]  the iptables-save text kube-proxy would write.
//   GET /ksl/v1/tunnel  turns the LoadBalancer tunnel on for as long as the request stays
//       open, streaming one line per change of what it serves (`ksl tunnel`).
// Neither exists on a real cluster, so no Kubernetes client ever calls them.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { ApiError } from '../api/errors';
import { requestUrl } from './routes';
import type { DataPlane, DialOutcome } from '../proxy/dataPlane';
import { DIAL_UPGRADE, ROUTE_HEADER, type RouteSummary } from '../../../server/src/emulatorClient/dialClient';
import { DIAL_PATH, RULES_PATH, TUNNEL_PATH } from '../../../server/src/emulatorClient/kslPaths';

// The paths, the dial's wire format and RouteSummary live with the clients that call them;
// the API server finds the dial path here, beside its handler.
export { DIAL_PATH } from '../../../server/src/emulatorClient/kslPaths';

export interface KslExtensions {
  dataPlane: DataPlane;
  /** Renders kube-proxy's rules, for every Service or only one. */
  rules(only?: { namespace: string; name: string }): string;
  /** The source IP of connections that name none: a pod-network address of the node. */
  defaultSourceIP: string;
  tunnel: TunnelControl;
}

export interface TunnelControl {
  /** Turns the tunnel on until the returned function is called (holders are counted). */
  acquire(): () => void;
  /** One line per LoadBalancer Service: what the tunnel serves, or why it cannot. */
  describe(): string[];
  /** Calls `listener` whenever what `describe` says may have changed. */
  subscribe(listener: () => void): () => void;
}

export function summarizeDial(outcome: DialOutcome): RouteSummary {
  const v = outcome.verdict;
  const base: RouteSummary = {
    verdict: v.kind,
    trace: v.trace,
    serviceChain: v.kind === 'dnat' ? v.serviceChain : undefined,
    endpointChain: v.kind === 'dnat' ? v.endpointChain : undefined,
  };
  if (outcome.ok) {
    const { namespace = '', name = '' } = outcome.pod.metadata;
    return { ...base, pod: { namespace, name }, podIP: outcome.podIP, podPort: outcome.podPort };
  }
  return { ...base, error: outcome.error, message: outcome.message };
}

interface DialParams {
  ip: string;
  port: number;
  source: string;
}

function dialParams(url: URL, defaultSource: string): DialParams {
  const ip = url.searchParams.get('ip') ?? '';
  const port = Number(url.searchParams.get('port'));
  const source = url.searchParams.get('source') || defaultSource;
  if (!isIP(ip)) throw new ApiError(400, 'BadRequest', `dial: "ip" must be an IP address, not "${ip}"`);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ApiError(400, 'BadRequest', `dial: "port" must be a port number from 1 to 65535, not "${url.searchParams.get('port') ?? ''}"`);
  }
  if (!isIP(source)) throw new ApiError(400, 'BadRequest', `dial: "source" must be an IP address, not "${source}"`);
  return { ip, port, source };
}

/** Answers GET requests under /ksl/v1 that are not upgrades. */
export function handleKslRequest(ext: KslExtensions | undefined, req: IncomingMessage, res: ServerResponse, url: URL): void {
  if (!ext) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  if (url.pathname === RULES_PATH) {
    const namespace = url.searchParams.get('namespace');
    const name = url.searchParams.get('name');
    const text = ext.rules(name ? { namespace: namespace || 'default', name } : undefined);
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
    return;
  }
  if (url.pathname === TUNNEL_PATH) {
    serveTunnel(ext.tunnel, req, res);
    return;
  }
  if (url.pathname === DIAL_PATH) {
    throw new ApiError(400, 'BadRequest', `dial needs "Connection: Upgrade" and "Upgrade: ${DIAL_UPGRADE}"`);
  }
  throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
}

function serveTunnel(tunnel: TunnelControl, req: IncomingMessage, res: ServerResponse): void {
  const release = tunnel.acquire();
  res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache' });
  let last = '';
  const report = (): void => {
    const text = tunnel.describe().join('\n');
    if (text === last) return;
    last = text;
    res.write((text || 'no LoadBalancer Services yet') + '\n\n');
  };
  const unsubscribe = tunnel.subscribe(report);
  report();
  res.once('close', () => {
    unsubscribe();
    release();
  });
}

function writeRaw(socket: Duplex, status: string, headers: Record<string, string>, body = ''): void {
  const lines = [`HTTP/1.1 ${status}`];
  for (const [k, v] of Object.entries({ ...headers, 'Content-Length': String(Buffer.byteLength(body)) })) lines.push(`${k}: ${v}`);
  socket.end(lines.join('\r\n') + '\r\n\r\n' + body);
}

/**
 * Serves an upgraded dial request. `authorized` says whether the request carried the token;
 * every failure is answered in HTTP on the same socket before it closes.
 */
export function handleDialUpgrade(ext: KslExtensions | undefined, req: IncomingMessage, socket: Socket, head: Buffer, authorized: boolean): void {
  socket.on('error', () => socket.destroy());
  const fail = (code: number, reason: string, message: string) =>
    writeRaw(
      socket,
      `${code} ${reason}`,
      { 'Content-Type': 'application/json' },
      JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code }),
    );
  if (!authorized) return fail(401, 'Unauthorized', 'Unauthorized');
  const url = requestUrl(req.url);
  if (!ext || url.pathname !== DIAL_PATH || (req.headers.upgrade ?? '').toLowerCase() !== DIAL_UPGRADE) {
    return fail(404, 'NotFound', 'the server could not find the requested resource');
  }
  let params: DialParams;
  try {
    params = dialParams(url, ext.defaultSourceIP);
  } catch (err) {
    return fail(400, 'BadRequest', (err as Error).message);
  }
  const outcome = ext.dataPlane.connect({ srcIP: params.source, dstIP: params.ip, dstPort: params.port });
  const route = JSON.stringify(summarizeDial(outcome));
  if (!outcome.ok) {
    writeRaw(socket, '502 Bad Gateway', { 'Content-Type': 'application/json', [ROUTE_HEADER]: Buffer.from(route).toString('base64') }, route);
    return;
  }
  const stream = outcome.stream;
  socket.write(
    `HTTP/1.1 101 Switching Protocols\r\nUpgrade: ${DIAL_UPGRADE}\r\nConnection: Upgrade\r\n${ROUTE_HEADER}: ${Buffer.from(route).toString('base64')}\r\n\r\n`,
  );
  if (head.length) stream.write(head);
  stream.on('error', () => socket.destroy());
  socket.pipe(stream);
  stream.pipe(socket);
  socket.once('close', () => stream.destroy());
  stream.once('close', () => socket.destroy());
}

