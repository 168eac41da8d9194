// Raw HTTPS requests to a running emulator, for tests that must send what kubectl never would
// (broken bodies, missing tokens, oversized uploads) and read the answer byte for byte. Every
// request has a deadline, so a server that stops answering fails the test instead of hanging it.

import { request } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';

export interface ApiTarget {
  url: string;
  caPem: string;
  token: string;
}

export interface RequestOptions {
  body?: string | Buffer;
  contentType?: string;
  accept?: string;
  /** The bearer token to send; null sends no Authorization header. Defaults to the target's. */
  token?: string | null;
  /** Another Authorization header value, sent as is. */
  authorization?: string;
  /** Send the body chunked, without a Content-Length, so the server only learns its size by reading. */
  chunked?: boolean;
  timeoutMs?: number;
}

export interface RawResponse {
  code: number;
  headers: IncomingHttpHeaders;
  text: string;
}

export function apiRequest(target: ApiTarget, method: string, path: string, opts: RequestOptions = {}): Promise<RawResponse> {
  const headers: Record<string, string> = { accept: opts.accept ?? 'application/json' };
  const token = opts.token === undefined ? target.token : opts.token;
  if (opts.authorization !== undefined) headers.authorization = opts.authorization;
  else if (token !== null) headers.authorization = `Bearer ${token}`;
  if (opts.body !== undefined) {
    headers['content-type'] = opts.contentType ?? 'application/json';
    if (opts.chunked) headers['transfer-encoding'] = 'chunked';
    else headers['content-length'] = String(Buffer.byteLength(opts.body));
  } else if (opts.contentType !== undefined) {
    headers['content-type'] = opts.contentType;
  }
  const ms = opts.timeoutMs ?? 15_000;
  return new Promise((resolve, reject) => {
    const req = request(target.url + path, { method, ca: target.caPem, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ code: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.setTimeout(ms, () => req.destroy(new Error(`${method} ${path}: no answer within ${ms} ms`)));
    req.on('error', reject);
    if (opts.body === undefined) {
      req.end();
    } else if (opts.chunked) {
      // Several writes, so the body really crosses the wire in pieces.
      const body = Buffer.from(opts.body);
      const piece = 256 * 1024;
      for (let at = 0; at < body.length; at += piece) req.write(body.subarray(at, at + piece));
      req.end();
    } else {
      req.end(opts.body);
    }
  });
}

/** Parses a response body as JSON, failing with the text when it is not. */
export function jsonOf<T>(res: RawResponse): T {
  try {
    return JSON.parse(res.text) as T;
  } catch {
    throw new Error(`expected JSON, got ${res.code}: ${res.text.slice(0, 200)}`);
  }
}

/** The metav1.Status the apiserver answers a failed request with. */
export function failure(code: number, reason: string, message: string, details?: Record<string, unknown>): Record<string, unknown> {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}
