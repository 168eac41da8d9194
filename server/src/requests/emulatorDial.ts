// Connections from inside the emulated network for the editor's requests, as `ksl curl` and
// `ksl traffic` make them: a dial through the emulator's API on the cluster view's connection
// (../emulatorClient/dialClient.ts has the wire format), and one GET over the stream, whose
// reply is read up to a size the editor can show.

import type { IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import type { ApiConnection } from '../cluster/apiRequests';
import { EmulatorClientError } from '../emulatorClient/clientError';
import { dial as dialInside, type Dialed } from '../emulatorClient/dialClient';
import { httpOverStream } from '../emulatorClient/httpOverStream';
import { apiUpgrade } from './apiCall';
import { UserError } from './userError';

/** A reply body bigger than this is cut off. */
const MAX_BODY = 1024 * 1024;

/** Opens a TCP connection to ip:port from inside the emulated network; failures to ask are UserErrors. */
export async function dial(conn: ApiConnection, ip: string, port: number): Promise<Dialed> {
  try {
    return await dialInside((path, protocol) => apiUpgrade(conn, path, protocol), ip, port);
  } catch (err) {
    throw err instanceof EmulatorClientError ? new UserError(err.message) : err;
  }
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

/** Sends one GET over an open stream and reads the reply; the stream is closed after. Rejects with the stream's error or "no reply after N ms". */
export async function httpGet(socket: Socket, url: URL, headers: Record<string, string>, timeoutMs: number): Promise<HttpReply> {
  const reply = await httpOverStream(socket, { url, method: 'GET', headers, timeoutMs, maxBody: MAX_BODY });
  return { status: reply.status, headers: flatHeaders(reply.headers), body: reply.body.toString('utf8') };
}
