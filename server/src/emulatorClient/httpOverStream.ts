// One HTTP/1.1 exchange over a stream that is already open (a dialled connection into the
// emulated network): node's HTTP client writes the request onto it and reads the whole reply,
// and the stream is closed after.

import { request, type IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import { EmulatorClientError } from './clientError';

export interface StreamRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: string;
  /** How long the stream may stay idle before the exchange fails with a ReplyTimeoutError. */
  timeoutMs: number;
  /** Keeps at most this many bytes of the reply body and drops the rest; all of it without. */
  maxBody?: number;
}

export interface StreamReply {
  status: number;
  statusText: string;
  httpVersion: string;
  headers: IncomingHttpHeaders;
  /** Names and values alternating, as they came on the wire. */
  rawHeaders: string[];
  body: Buffer;
}

/** The reply did not come within the request's timeout. */
export class ReplyTimeoutError extends EmulatorClientError {
  constructor(readonly timeoutMs: number) {
    super(`no reply after ${timeoutMs} ms`);
  }
}

/** Sends `req` over `socket` and resolves with the whole reply; rejects with the stream's error or a ReplyTimeoutError. */
export function httpOverStream(socket: Socket, req: StreamRequest): Promise<StreamReply> {
  const maxBody = req.maxBody ?? Infinity;
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        createConnection: () => socket,
        host: req.url.hostname,
        port: req.url.port || 80,
        path: req.url.pathname + req.url.search,
        method: req.method,
        headers: req.headers,
        setHost: true,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if (size < maxBody) chunks.push(c);
          size += c.length;
        });
        res.on('end', () => {
          socket.destroy();
          resolve({
            status: res.statusCode ?? 0,
            statusText: res.statusMessage ?? '',
            httpVersion: res.httpVersion,
            headers: res.headers,
            rawHeaders: res.rawHeaders,
            body: Buffer.concat(chunks).subarray(0, maxBody),
          });
        });
        res.on('error', reject);
      },
    );
    outgoing.setTimeout(req.timeoutMs, () => outgoing.destroy(new ReplyTimeoutError(req.timeoutMs)));
    outgoing.on('error', (err) => {
      socket.destroy();
      reject(err);
    });
    outgoing.end(req.body);
  });
}
