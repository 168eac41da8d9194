// One call to the Kubernetes API over the same connection the cluster view watches through
// (its TLS material and credentials come from `prepare`): any verb with an optional JSON
// body, answered with the status and the body, and the upgrade the emulator's dial endpoint
// speaks. The calls here do not judge the status; the caller knows what each one means.

import * as http from 'node:http';
import * as https from 'node:https';
import { apiUrl, type ApiConnection } from '../cluster/apiRequests';
import type { Upgraded } from '../emulatorClient/dialClient';
import { UserError } from './userError';

export interface ApiAnswer {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

const USER_AGENT = 'kube-service-lab-language-server';
/** An answer bigger than this is cut off rather than held in memory. */
const MAX_BODY = 32 * 1024 * 1024;
const TIMEOUT_MS = 30_000;

async function requestOptions(conn: ApiConnection, method: string, pathAndQuery: string, headers: Record<string, string>): Promise<{ url: URL; options: https.RequestOptions }> {
  let url: URL;
  try {
    url = apiUrl(conn.server, pathAndQuery);
  } catch {
    throw new UserError(`the cluster's server URL ${JSON.stringify(conn.server)} is not a valid URL`);
  }
  const options: https.RequestOptions = { method, headers: { Accept: 'application/json', 'User-Agent': USER_AGENT, ...headers } };
  try {
    await conn.prepare(options);
  } catch (err) {
    throw new UserError(`cannot apply the kubeconfig's TLS settings and credentials: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { url, options };
}

function unreachable(url: URL, err: unknown): UserError {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'ECONNREFUSED') return new UserError(`nothing answers at ${url.origin}: is the cluster running?`);
  return new UserError(`cannot reach the cluster at ${url.origin}: ${err instanceof Error ? err.message : String(err)}`);
}

/** Sends one request and resolves with the answer, whatever its status. Rejects with a UserError when the server cannot be reached. */
export async function apiCall(conn: ApiConnection, method: string, pathAndQuery: string, body?: { contentType: string; text: string }): Promise<ApiAnswer> {
  const headers: Record<string, string> = body ? { 'Content-Type': body.contentType } : {};
  const { url, options } = await requestOptions(conn, method, pathAndQuery, headers);
  const send = url.protocol === 'http:' ? http.request : https.request;
  return new Promise((resolve, reject) => {
    const req = send(url, options, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_BODY) chunks.push(chunk);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
      res.on('error', (err) => reject(unreachable(url, err)));
    });
    req.setTimeout(TIMEOUT_MS, () => req.destroy(new Error(`no answer for ${TIMEOUT_MS / 1000} s`)));
    req.on('error', (err) => reject(unreachable(url, err)));
    req.end(body?.text);
  });
}

/** A GET that asks to switch to `protocol`; resolves with the raw socket, or with the refusal. */
export async function apiUpgrade(conn: ApiConnection, pathAndQuery: string, protocol: string): Promise<Upgraded> {
  const { url, options } = await requestOptions(conn, 'GET', pathAndQuery, { Connection: 'Upgrade', Upgrade: protocol });
  const send = url.protocol === 'http:' ? http.request : https.request;
  return new Promise((resolve, reject) => {
    const req = send(url, options);
    req.on('upgrade', (res, socket, head) => {
      if (head.length > 0) socket.unshift(head);
      // The request's timeout watched the handshake; the stream's owner sets its own.
      socket.setTimeout(0);
      resolve({ upgraded: true, socket, headers: res.headers });
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ upgraded: false, status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
      res.on('error', (err) => reject(unreachable(url, err)));
    });
    req.setTimeout(TIMEOUT_MS, () => req.destroy(new Error(`no answer for ${TIMEOUT_MS / 1000} s`)));
    req.on('error', (err) => reject(unreachable(url, err)));
    req.end();
  });
}

/** The `reason` of a Kubernetes Status body (`NotFound`, `Invalid`), if it has one. */
export function statusReason(body: string): string | undefined {
  try {
    const s = JSON.parse(body) as { reason?: unknown };
    return typeof s?.reason === 'string' && s.reason ? s.reason : undefined;
  } catch {
    return undefined;
  }
}
