// Connections from inside the emulated network, as `ksl curl` and `ksl traffic` make them:
// the emulator's API upgrades `GET /ksl/v1/dial?ip=&port=` (Upgrade: ksl-tcp) to a TCP stream
// that went through kube-proxy's rules, and says in the `x-ksl-route` header (base64 JSON)
// which chains it passed and which pod answered; a connection the rules refuse is a 502 with
// the same header. One HTTP request is then written over the stream. The wire format is the
// emulator's (emulator/src/apiserver/kslExtensions.ts).

import { request, type IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import type { ApiConnection } from '../cluster/apiRequests';
import { apiUpgrade, statusMessage } from './apiCall';
import { UserError } from './userError';

const DIAL_PATH = '/ksl/v1/dial';
const DIAL_UPGRADE = 'ksl-tcp';
const ROUTE_HEADER = 'x-ksl-route';
/** A reply body bigger than this is cut off. */
const MAX_BODY = 1024 * 1024;

/** How kube-proxy's rules routed one connection. */
export interface RouteSummary {
  verdict: string;
  trace: string[];
  pod?: { namespace: string; name: string };
  podIP?: string;
  podPort?: number;
  error?: string;
  message?: string;
}

export type Dialed = { ok: true; socket: Socket; route: RouteSummary } | { ok: false; route: RouteSummary };

function decodeRoute(header: string | string[] | undefined): RouteSummary | undefined {
  if (typeof header !== 'string') return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as RouteSummary;
    return parsed && typeof parsed === 'object' && Array.isArray(parsed.trace) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Opens a TCP connection to ip:port from inside the emulated network. */
export async function dial(conn: ApiConnection, ip: string, port: number): Promise<Dialed> {
  const query = new URLSearchParams({ ip, port: String(port) });
  const res = await apiUpgrade(conn, `${DIAL_PATH}?${query}`, DIAL_UPGRADE);
  const route = decodeRoute(res.headers[ROUTE_HEADER]);
  if (res.upgraded) {
    if (!route) {
      res.socket.destroy();
      throw new UserError('the emulator opened the connection but did not say how it was routed');
    }
    return { ok: true, socket: res.socket, route };
  }
  if (res.status === 502 && route) return { ok: false, route };
  throw new UserError(`the emulator could not open a connection to ${ip}:${port}: ${statusMessage(res.body)}`);
}

/** The route in a few lines: the kube-proxy chains passed, the DNAT, the pod that answered. */
export function routeLines(route: RouteSummary): string[] {
  const lines: string[] = [];
  const chains = route.trace.filter((c) => /^nat\/KUBE-(SERVICES|NODEPORTS|SVC|SVL|EXT|FW|SEP)/.test(c)).map((c) => c.slice(4));
  if (route.verdict === 'dnat' && route.podIP) chains.push(`DNAT ${route.podIP}:${route.podPort ?? ''}`);
  if (route.verdict === 'reject') chains.push(...route.trace.filter((c) => /^filter\/KUBE-/.test(c)).map((c) => c.slice(7)), 'REJECT');
  if (chains.length > 0) lines.push(`Routed by kube-proxy: ${chains.join(' -> ')}`);
  if (route.pod) lines.push(`Answered by pod ${route.pod.namespace}/${route.pod.name} (${route.podIP ?? ''}:${route.podPort ?? ''})`);
  if (route.message) lines.push(route.message);
  return lines;
}

export interface HttpReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** Sends one HTTP request over an open stream and reads the whole reply; the stream is closed after. */
export function httpOverSocket(socket: Socket, url: URL, headers: Record<string, string>, timeoutMs: number): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { createConnection: () => socket, host: url.hostname, port: url.port || 80, path: url.pathname + url.search, method: 'GET', headers, setHost: true },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if (size < MAX_BODY) chunks.push(c);
          size += c.length;
        });
        res.on('end', () => {
          socket.destroy();
          resolve({ status: res.statusCode ?? 0, headers: flatHeaders(res.headers), body: Buffer.concat(chunks).subarray(0, MAX_BODY).toString('utf8') });
        });
        res.on('error', reject);
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no reply after ${timeoutMs} ms`)));
    req.on('error', (err) => {
      socket.destroy();
      reject(err);
    });
    req.end();
  });
}
