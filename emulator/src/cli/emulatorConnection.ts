// How `ksl` commands find and talk to a running `ksl serve`: `<state-dir>/endpoints.json` names
// the API URL and the DNS address; the token and CA come from the same state dir. Every
// failure says which state dir was looked at and what to run.

import { readFileSync } from 'node:fs';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { ENDPOINTS_FILE, type EndpointsFile } from '../endpointsFile';
import { CliError } from './options';


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

export function notRunning(stateDir: string, detail: string): CliError {
  return new CliError(`no emulator is running for state dir ${stateDir} (${detail}). Start one with: ksl serve --state-dir ${stateDir}`);
}

/** Reads what `ksl serve` left in the state dir. It does not check that the emulator is alive. */
export function loadConnection(stateDir: string): EmulatorConnection {
  const raw = readText(join(stateDir, ENDPOINTS_FILE));
  if (raw === undefined) throw notRunning(stateDir, `${ENDPOINTS_FILE} is missing`);
  let parsed: Partial<EndpointsFile>;
  try {
    parsed = JSON.parse(raw) as Partial<EndpointsFile>;
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
    dns: { host: dnsMatch[1], port: Number(dnsMatch[2]) },
    clusterDomain: parsed.clusterDomain || 'cluster.local',
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

function connectionError(conn: EmulatorConnection, err: NodeJS.ErrnoException): CliError {
  if (err.code === 'ECONNREFUSED') return notRunning(conn.stateDir, `nothing answers at ${conn.api.origin}`);
  return new CliError(`cannot reach the emulator at ${conn.api.origin}: ${err.message}`);
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

/** The message of a Kubernetes Status body, or the body itself. */
export function statusMessage(body: string): string {
  try {
    const s = JSON.parse(body) as { message?: string };
    if (typeof s.message === 'string') return s.message;
  } catch {
    // Not JSON: the body is the message.
  }
  return body.trim();
}

/** A long-lived GET whose response streams; resolves when the headers arrive. */
export function apiStream(conn: EmulatorConnection, path: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(requestOptions(conn, path), resolve);
    req.on('error', (err: NodeJS.ErrnoException) => reject(connectionError(conn, err)));
    req.end();
  });
}

/** Upgrades a GET to a raw stream (the /ksl/v1/dial endpoint). */
export function apiUpgrade(
  conn: EmulatorConnection,
  path: string,
  protocol: string,
): Promise<{ upgraded: true; socket: Socket; headers: IncomingMessage['headers'] } | { upgraded: false; status: number; body: string; headers: IncomingMessage['headers'] }> {
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
