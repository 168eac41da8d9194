// The two HTTP calls a watch cache makes to a Kubernetes API server, over node:http(s) directly:
// a GET that returns one JSON document (a list page), and a watch that streams events as JSON
// lines until the server ends it. TLS material and credentials come from the connection's
// `prepare` (kubeconfig's applyToHTTPSOptions), so tokens, client certificates, CA data and exec
// plugins all work the way client-node applies them. Every failure becomes an ApiFailure whose
// kind tells the caller whether to retry, relist or report.

import * as http from 'node:http';
import * as https from 'node:https';
import { JsonLineSplitter, LineTooLongError } from './jsonLines';

export interface ApiConnection {
  /** The API server's URL as the kubeconfig names it; a path prefix (a proxy's) is kept. */
  readonly server: string;
  /** Adds TLS options, an agent and credentials to one request's options. May run an exec plugin. */
  prepare(options: https.RequestOptions): Promise<void>;
}

export type ApiFailureKind =
  | 'unreachable'
  | 'credentials'
  | 'unauthorized'
  | 'forbidden'
  | 'gone'
  | 'http'
  | 'protocol'
  | 'aborted';

export class ApiFailure extends Error {
  constructor(
    readonly kind: ApiFailureKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface WatchEvent {
  type: string;
  object: Record<string, unknown>;
}

export interface WatchHandlers {
  /** The server accepted the watch (200 and headers received). */
  onOpen(): void;
  /** One event, in order. Throwing an ApiFailure ends the watch with that failure. */
  onEvent(event: WatchEvent): void;
}

const USER_AGENT = 'kube-service-lab-language-server';
/** Bodies of error answers are read only far enough to find the Status message. */
const MAX_ERROR_BODY = 64 * 1024;
/** A list page bigger than this is refused instead of exhausting the editor's memory. */
const MAX_LIST_BODY = 256 * 1024 * 1024;

export function apiUrl(server: string, pathAndQuery: string): URL {
  const base = new URL(server);
  const prefix = base.pathname.replace(/\/+$/, '');
  return new URL(prefix + pathAndQuery, base.origin);
}

function statusMessage(status: number, body: string): string {
  try {
    const parsed = JSON.parse(body) as { kind?: unknown; message?: unknown };
    if (parsed && parsed.kind === 'Status' && typeof parsed.message === 'string' && parsed.message) {
      return `${status} ${http.STATUS_CODES[status] ?? ''}: ${parsed.message}`.replace(' :', ':');
    }
  } catch {
    // Not a Status document: fall through to the bare status line.
  }
  return `${status} ${http.STATUS_CODES[status] ?? 'error'}`;
}

function failureForStatus(status: number, body: string): ApiFailure {
  const message = statusMessage(status, body);
  if (status === 401) return new ApiFailure('unauthorized', message, status);
  if (status === 403) return new ApiFailure('forbidden', message, status);
  if (status === 410) return new ApiFailure('gone', message, status);
  return new ApiFailure('http', message, status);
}

function networkFailure(err: unknown, signal: AbortSignal): ApiFailure {
  if (err instanceof ApiFailure) return err;
  if (signal.aborted) return new ApiFailure('aborted', 'the request was cancelled');
  return new ApiFailure('unreachable', err instanceof Error ? err.message : String(err));
}

async function startRequest(conn: ApiConnection, pathAndQuery: string, signal: AbortSignal, idleMs: number): Promise<{ req: http.ClientRequest; res: http.IncomingMessage }> {
  let url: URL;
  try {
    url = apiUrl(conn.server, pathAndQuery);
  } catch {
    throw new ApiFailure('protocol', `the server URL ${JSON.stringify(conn.server)} is not a valid URL`);
  }
  const options: https.RequestOptions = {
    method: 'GET',
    headers: { Accept: 'application/json', 'User-Agent': USER_AGENT },
  };
  try {
    await conn.prepare(options);
  } catch (err) {
    throw new ApiFailure('credentials', `cannot apply the kubeconfig's TLS settings and credentials: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (signal.aborted) throw new ApiFailure('aborted', 'the request was cancelled');
  const send = url.protocol === 'http:' ? http.request : https.request;
  return new Promise((resolve, reject) => {
    let req: http.ClientRequest;
    try {
      req = send(url, { ...options, signal });
    } catch (err) {
      reject(networkFailure(err, signal));
      return;
    }
    req.setTimeout(idleMs, () => req.destroy(new ApiFailure('unreachable', `no answer from ${url.host} for ${Math.round(idleMs / 1000)} s`)));
    req.on('error', (err) => reject(networkFailure(err, signal)));
    req.on('response', (res) => resolve({ req, res }));
    req.end();
  });
}

function readBody(res: http.IncomingMessage, limit: number, signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        res.destroy(new ApiFailure('protocol', `the answer exceeded ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', (err) => reject(networkFailure(err, signal)));
    res.on('close', () => {
      if (!res.complete) reject(networkFailure(new Error('the connection closed before the answer was complete'), signal));
    });
  });
}

/** GETs one JSON document. Rejects with an ApiFailure for every non-200 answer and every I/O problem. */
export async function getJson(conn: ApiConnection, pathAndQuery: string, signal: AbortSignal, idleMs: number): Promise<unknown> {
  const { res } = await startRequest(conn, pathAndQuery, signal, idleMs);
  const status = res.statusCode ?? 0;
  if (status !== 200) throw failureForStatus(status, await readBody(res, MAX_ERROR_BODY, signal).catch(() => ''));
  const body = await readBody(res, MAX_LIST_BODY, signal);
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw new ApiFailure('protocol', `the answer to ${pathAndQuery.split('?')[0]} is not JSON`);
  }
}

function isWatchEvent(v: unknown): v is WatchEvent {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as { type?: unknown; object?: unknown };
  return typeof e.type === 'string' && typeof e.object === 'object' && e.object !== null && !Array.isArray(e.object);
}

/**
 * Streams a watch until the server ends it (resolves) or something fails (rejects with an
 * ApiFailure). `idleMs` bounds the silence between bytes: a watch the server forgot, or a
 * connection that died without a reset, is abandoned after it.
 */
export async function streamWatch(conn: ApiConnection, pathAndQuery: string, handlers: WatchHandlers, signal: AbortSignal, idleMs: number): Promise<void> {
  const { req, res } = await startRequest(conn, pathAndQuery, signal, idleMs);
  const status = res.statusCode ?? 0;
  if (status !== 200) throw failureForStatus(status, await readBody(res, MAX_ERROR_BODY, signal).catch(() => ''));
  handlers.onOpen();
  const splitter = new JsonLineSplitter();
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const fail = (failure: ApiFailure): void => {
      if (settled) return;
      settled = true;
      reject(failure);
      req.destroy();
    };
    const deliver = (lines: ReturnType<JsonLineSplitter['push']>): void => {
      for (const line of lines) {
        if (settled) return;
        if (!line.ok) return fail(new ApiFailure('protocol', `a watch event is not JSON (${line.error})`));
        if (!isWatchEvent(line.value)) return fail(new ApiFailure('protocol', 'a watch event lacks "type" or "object"'));
        handlers.onEvent(line.value);
      }
    };
    const guarded = (read: () => ReturnType<JsonLineSplitter['push']>): void => {
      try {
        deliver(read());
      } catch (err) {
        if (err instanceof ApiFailure) fail(err);
        else if (err instanceof LineTooLongError) fail(new ApiFailure('protocol', err.message));
        else fail(new ApiFailure('protocol', err instanceof Error ? err.message : String(err)));
      }
    };
    res.on('data', (chunk: Buffer) => guarded(() => splitter.push(chunk)));
    res.on('end', () => {
      guarded(() => splitter.end());
      if (settled) return;
      settled = true;
      resolve();
    });
    res.on('error', (err) => fail(networkFailure(err, signal)));
    res.on('close', () => {
      if (!res.complete) fail(networkFailure(new Error('the watch connection was closed'), signal));
    });
  });
}
