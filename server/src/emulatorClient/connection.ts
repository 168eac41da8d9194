// How a tool on the host finds and talks to a running `ksl serve` through its state dir:
// `endpoints.json` names the API URL, the DNS address and the cluster domain (emulator/src/
// endpointsFile.ts writes it), `token` holds the bearer token and `tls.crt` the certificate the
// API serves. Every failure says which state dir was looked at and what to run.

import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { join } from 'node:path';
import { EmulatorClientError } from './clientError';
import type { Upgraded } from './dialClient';
import { CLUSTER_DOMAIN } from './searchPath';

import { ENDPOINTS_FILE } from './endpointsFile';

/** The fields of endpoints.json this code reads; any of them may be missing from a damaged file. */
interface EndpointsFields {
  api?: string;
  dns?: string;
  clusterDomain?: string;
}

export interface EmulatorConnection {
  stateDir: string;
  api: URL;
  dns: { host: string; port: number };
  clusterDomain: string;
  token: string;
  ca: string;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function notRunning(stateDir: string, detail: string): EmulatorClientError {
  return new EmulatorClientError(`no emulator is running for state dir ${stateDir} (${detail}). Start one with: ksl serve --state-dir ${stateDir}`);
}

/** Reads what `ksl serve` left in the state dir. It does not check that the emulator is alive. */
export function loadConnection(stateDir: string): EmulatorConnection {
  const raw = readText(join(stateDir, ENDPOINTS_FILE));
  if (raw === undefined) throw notRunning(stateDir, `${ENDPOINTS_FILE} is missing`);
  let parsed: EndpointsFields;
  try {
    parsed = JSON.parse(raw) as EndpointsFields;
  } catch {
    throw notRunning(stateDir, `${ENDPOINTS_FILE} is not valid JSON`);
  }
  const dnsMatch = /^(.+):(\d+)$/.exec(parsed.dns ?? '');
  if (!parsed.api || !dnsMatch) throw notRunning(stateDir, `${ENDPOINTS_FILE} lacks "api" or "dns"`);
  const token = readText(join(stateDir, 'token'))?.trim();
  const ca = readText(join(stateDir, 'tls.crt'));
  if (!token || !ca) throw notRunning(stateDir, 'the token or the certificate is missing');
  return {
    stateDir,
    api: new URL(parsed.api),
    dns: { host: dnsMatch[1]!, port: Number(dnsMatch[2]) },
    clusterDomain: parsed.clusterDomain || CLUSTER_DOMAIN,
    token,
    ca,
  };
}

function requestOptions(conn: EmulatorConnection, path: string, extra: RequestOptions = {}): RequestOptions {
  return {
    host: conn.api.hostname,
    port: conn.api.port,
    path,
    ca: conn.ca,
    ...extra,
    headers: { Authorization: `Bearer ${conn.token}`, ...(extra.headers ?? {}) },
  };
}

function connectionError(conn: EmulatorConnection, err: NodeJS.ErrnoException): EmulatorClientError {
  if (err.code === 'ECONNREFUSED') return notRunning(conn.stateDir, `nothing answers at ${conn.api.origin}`);
  return new EmulatorClientError(`cannot reach the emulator at ${conn.api.origin}: ${err.message}`);
}

/** A GET to the emulator's API that resolves with the status and the whole body. */
export function apiGet(conn: EmulatorConnection, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(requestOptions(conn, path), (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', (err: NodeJS.ErrnoException) => reject(connectionError(conn, err)));
    req.end();
  });
}

/** A long-lived GET whose response streams; resolves when the headers arrive. */
export function apiStream(conn: EmulatorConnection, path: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(requestOptions(conn, path), resolve);
    req.on('error', (err: NodeJS.ErrnoException) => reject(connectionError(conn, err)));
    req.end();
  });
}

/** A GET that asks to switch to `protocol` (the dial endpoint); resolves with the raw socket or the refusal. */
export function apiUpgrade(conn: EmulatorConnection, path: string, protocol: string): Promise<Upgraded> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(requestOptions(conn, path, { headers: { Connection: 'Upgrade', Upgrade: protocol }, agent: false }));
    req.on('upgrade', (res, socket, head) => {
      if (head.length) socket.unshift(head);
      resolve({ upgraded: true, socket, headers: res.headers });
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ upgraded: false, status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
    });
    req.on('error', (err: NodeJS.ErrnoException) => reject(connectionError(conn, err)));
    req.end();
  });
}
