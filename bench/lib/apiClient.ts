// A Kubernetes API client for benchmarks: HTTPS with a keep-alive agent (a fixed number of
// connections, as client-go keeps), JSON bodies, a deadline on every request, and watch streams
// read line by line. It speaks to the emulator exactly as any client over the wire would.

import { Agent, request } from 'node:https';

export interface ApiTarget {
  url: string;
  token: string;
  caPem: string;
}

export interface ApiResponse {
  status: number;
  text: string;
}

export interface RequestOptions {
  body?: unknown;
  accept?: string;
  timeoutMs?: number;
}

export interface WatchEvent<T> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: T;
}

export interface WatchHandle {
  /** Ends the stream; `ended` resolves afterwards. */
  close(): void;
  /** Resolves when the stream ends for any reason, with the reason when it failed. */
  ended: Promise<Error | undefined>;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const DEFAULT_TIMEOUT_MS = 60_000;

export class ApiClient {
  private readonly agent: Agent;

  constructor(
    private readonly target: ApiTarget,
    maxSockets: number,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets, ca: target.caPem });
  }

  request(method: string, path: string, opts: RequestOptions = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = {
      accept: opts.accept ?? 'application/json',
      authorization: `Bearer ${this.target.token}`,
      'user-agent': 'ksl-bench',
    };
    let payload: string | undefined;
    if (opts.body !== undefined) {
      payload = JSON.stringify(opts.body);
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    const ms = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
      const req = request(this.target.url + path, { method, agent: this.agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', reject);
      });
      // A deadline on the whole exchange (waiting for a connection included), not an idle timeout.
      const timer = setTimeout(() => req.destroy(new Error(`${method} ${path}: no answer within ${ms} ms`)), ms);
      req.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      req.end(payload);
    });
  }

  /** The parsed body of a 2xx answer; anything else rejects with ApiError naming the status. */
  async json<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const res = await this.request(method, path, opts);
    if (res.status < 200 || res.status >= 300) {
      throw new ApiError(res.status, `${method} ${path}: ${res.status} ${res.text.slice(0, 300)}`);
    }
    return JSON.parse(res.text) as T;
  }

  /**
   * Opens a watch (`path` must carry `watch=true`) on its own connection and calls `onEvent`
   * for each event line. The stream lives until `close()`, the server ends it, or it fails.
   */
  watch<T>(path: string, onEvent: (event: WatchEvent<T>) => void): WatchHandle {
    let finish: (err: Error | undefined) => void = () => undefined;
    const ended = new Promise<Error | undefined>((resolve) => {
      finish = resolve;
    });
    const req = request(
      this.target.url + path,
      {
        method: 'GET',
        // A watch holds its connection for as long as it lives, so it must not take one of the pool's.
        agent: false,
        ca: this.target.caPem,
        headers: { accept: 'application/json', authorization: `Bearer ${this.target.token}`, 'user-agent': 'ksl-bench' },
      },
      (res) => {
        if (res.statusCode !== 200) {
          finish(new ApiError(res.statusCode ?? 0, `watch ${path}: ${res.statusCode}`));
          res.resume();
          return;
        }
        let pending = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          pending += chunk;
          let nl: number;
          while ((nl = pending.indexOf('\n')) >= 0) {
            const line = pending.slice(0, nl);
            pending = pending.slice(nl + 1);
            if (!line.trim()) continue;
            try {
              onEvent(JSON.parse(line) as WatchEvent<T>);
            } catch (err) {
              finish(err as Error);
              req.destroy();
              return;
            }
          }
        });
        res.on('end', () => finish(undefined));
        res.on('error', (err) => finish(err));
        res.on('close', () => finish(undefined));
      },
    );
    req.on('error', (err) => finish(err));
    req.end();
    return {
      close: () => req.destroy(),
      ended,
    };
  }

  close(): void {
    this.agent.destroy();
  }
}
