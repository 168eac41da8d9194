// Connections from inside the emulated network, as `ksl curl`, `ksl traffic` and the editor's
// "Call Service" make them. The emulator's API upgrades `GET /ksl/v1/dial?ip=&port=[&source=]`
// (Upgrade: ksl-tcp) to a TCP stream that went through kube-proxy's rules, and its
// `x-ksl-route` header (base64 of the JSON RouteSummary) says which chains the connection
// passed and which pod answered; a connection the rules refuse is a 502 with the same header.
// Both ends of that wire format live here: the emulator encodes, the clients decode.

import type { IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import { EmulatorClientError } from './clientError';
import { DIAL_PATH } from './kslPaths';
import { statusMessage } from './kubeStatus';

/** The Upgrade protocol of a dial. */
export const DIAL_UPGRADE = 'ksl-tcp';
/** The header of a dial's answer that carries the route it took. */
export const ROUTE_HEADER = 'x-ksl-route';

/** How kube-proxy's rules routed one connection. */
export interface RouteSummary {
  /** The data plane's verdict: `dnat`, `reject`, `accept`, ... */
  verdict: string;
  /** Every `table/CHAIN` the packet passed, in order. */
  trace: string[];
  pod?: { namespace: string; name: string };
  podIP?: string;
  podPort?: number;
  serviceChain?: string;
  endpointChain?: string;
  /** Why the connection failed (`timeout`, `refused`, ...), when it did. */
  error?: string;
  message?: string;
}

/** The header value that carries `route`. */
export function encodeRoute(route: RouteSummary): string {
  return Buffer.from(JSON.stringify(route)).toString('base64');
}

/** The route a header value carries, or undefined when it carries none that reads as one. */
export function decodeRoute(header: string | string[] | undefined): RouteSummary | undefined {
  if (typeof header !== 'string') return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as RouteSummary;
    return parsed && typeof parsed === 'object' && Array.isArray(parsed.trace) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** What an upgrade request came back with: the raw stream, or the refusal with its body. */
export type Upgraded = { upgraded: true; socket: Socket; headers: IncomingHttpHeaders } | { upgraded: false; status: number; body: string; headers: IncomingHttpHeaders };

/** Sends `GET pathAndQuery` with `Upgrade: protocol` to the emulator's API, with its credentials. */
export type UpgradeRequest = (pathAndQuery: string, protocol: string) => Promise<Upgraded>;

export type Dialed = { ok: true; socket: Socket; route: RouteSummary } | { ok: false; route: RouteSummary };

/**
 * Opens a TCP connection to ip:port from inside the emulated network, from `sourceIP` when
 * given (else the emulator's default). A connection the rules refuse is `ok: false` with its
 * route; anything else that goes wrong is an EmulatorClientError.
 */
export async function dial(upgrade: UpgradeRequest, ip: string, port: number, sourceIP?: string): Promise<Dialed> {
  const query = new URLSearchParams({ ip, port: String(port) });
  if (sourceIP) query.set('source', sourceIP);
  const res = await upgrade(`${DIAL_PATH}?${query}`, DIAL_UPGRADE);
  const route = decodeRoute(res.headers[ROUTE_HEADER]);
  if (res.upgraded) {
    if (!route) {
      res.socket.destroy();
      throw new EmulatorClientError('the emulator opened the connection but did not say how it was routed');
    }
    return { ok: true, socket: res.socket, route };
  }
  if (res.status === 502 && route) return { ok: false, route };
  throw new EmulatorClientError(`the emulator could not open a connection to ${ip}:${port}: ${statusMessage(res.body)}`);
}
