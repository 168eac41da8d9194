// The emulator's HTTP API over a test cluster (real strategies, fake clock) on 127.0.0.1:0,
// with a small HTTPS client: one-shot requests, and watches read event by event. Every read
// has a deadline, so a missing event fails the test instead of hanging it.

import { request, type RequestOptions } from 'node:https';
import type { ClientRequest, IncomingMessage } from 'node:http';
import selfsigned from 'selfsigned';
import { startApiServer, type RunningApiServer } from '../../../emulator/src/apiserver/apiServer';
import { registryCluster, type RegistryCluster } from '../registry/registryFixtures';

const TOKEN = 'test-token';

/** kubectl get's Accept header: a Table, in v1 or v1beta1, or else plain JSON. */
export const KUBECTL_TABLE_ACCEPT =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

export interface ApiFixture {
  cluster: RegistryCluster;
  server: RunningApiServer;
  /** The CA that signs the server's certificate, and the token it wants, for raw requests. */
  ca: string;
  token: string;
  /** One GET; resolves with the status code and the parsed JSON body. */
  get(path: string, accept?: string): Promise<{ code: number; body: unknown }>;
  /** One request with a JSON body; resolves with the status code and the parsed JSON answer. */
  send(method: string, path: string, body?: unknown): Promise<{ code: number; body: unknown }>;
  /** Opens a watch; events are read one at a time with `next`. */
  watch(path: string, accept?: string): Promise<WatchStream>;
  close(): Promise<void>;
}

export interface WatchEvent {
  type: string;
  object: Record<string, unknown>;
}

export interface WatchStream {
  /** The next event, or a rejection after `ms` milliseconds without one. */
  next(ms?: number): Promise<WatchEvent>;
  close(): void;
}

function tls(): { cert: string; key: string } {
  const pems = selfsigned.generate([{ name: 'commonName', value: 'ksl-test' }], {
    days: 1,
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  return { cert: pems.cert, key: pems.private };
}

/** Reads newline-delimited JSON events from a watch response. */
function eventReader(req: ClientRequest, res: IncomingMessage): WatchStream {
  const queued: WatchEvent[] = [];
  const waiting: ((e: WatchEvent | Error) => void)[] = [];
  let buffered = '';
  let ended: Error | undefined;
  const deliver = (item: WatchEvent | Error): void => {
    const waiter = waiting.shift();
    if (waiter) waiter(item);
    else if (!(item instanceof Error)) queued.push(item);
  };
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    buffered += chunk;
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (line.trim()) deliver(JSON.parse(line) as WatchEvent);
    }
  });
  res.on('close', () => {
    ended = new Error('the watch stream ended');
    while (waiting.length) deliver(ended);
  });
  return {
    next(ms = 5000) {
      const ready = queued.shift();
      if (ready) return Promise.resolve(ready);
      if (ended) return Promise.reject(ended);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.splice(waiting.indexOf(settle), 1);
          reject(new Error(`no watch event within ${ms} ms`));
        }, ms);
        const settle = (item: WatchEvent | Error): void => {
          clearTimeout(timer);
          if (item instanceof Error) reject(item);
          else resolve(item);
        };
        waiting.push(settle);
      });
    },
    close() {
      req.destroy();
    },
  };
}

export async function startApiFixture(opts: { log?: (message: string) => void } = {}): Promise<ApiFixture> {
  const cluster = registryCluster();
  const { cert, key } = tls();
  const server = await startApiServer({ registry: cluster.registry, clock: cluster.clock, token: TOKEN, tls: { cert, key }, log: opts.log });
  const open = new Set<WatchStream>();

  const openRequest = (method: string, path: string, accept: string, body?: string): Promise<{ req: ClientRequest; res: IncomingMessage }> =>
    new Promise((resolve, reject) => {
      const headers: Record<string, string> = { authorization: `Bearer ${TOKEN}`, accept };
      if (body !== undefined) {
        headers['content-type'] = 'application/json';
        // Node sends DELETE bodies neither chunked nor sized unless told the length.
        headers['content-length'] = String(Buffer.byteLength(body));
      }
      const options: RequestOptions = { method, ca: cert, headers };
      const req = request(server.url + path, options, (res) => resolve({ req, res }));
      req.on('error', reject);
      req.end(body);
    });
  const answer = async (res: IncomingMessage): Promise<{ code: number; body: unknown }> => {
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    return { code: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown };
  };

  return {
    cluster,
    server,
    ca: cert,
    token: TOKEN,
    async get(path, accept = 'application/json') {
      return answer((await openRequest('GET', path, accept)).res);
    },
    async send(method, path, body) {
      return answer((await openRequest(method, path, 'application/json', body === undefined ? undefined : JSON.stringify(body))).res);
    },
    async watch(path, accept = 'application/json') {
      const { req, res } = await openRequest('GET', path, accept);
      if (res.statusCode !== 200) throw new Error(`watch ${path} answered ${res.statusCode}`);
      const stream = eventReader(req, res);
      open.add(stream);
      return stream;
    },
    async close() {
      for (const stream of open) stream.close();
      await server.close();
    },
  };
}
