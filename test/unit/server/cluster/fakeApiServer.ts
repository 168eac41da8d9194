// A scripted Kubernetes API on 127.0.0.1 for the watch-cache tests: lists come from tables the
// test fills, watches stay open until the test pushes events or ends them, and any path can
// be made to fail with a status. Every request is recorded so tests can await and inspect them.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KubeObject } from '../../../../server/src/validation/kubeTypes';

export interface RecordedRequest {
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
}

interface OpenWatch {
  path: string;
  res: ServerResponse;
}

/** `/api/v1/namespaces/default/pods` → [`/api/v1/pods`, `default`]. */
function splitNamespaced(path: string): [string, string | undefined] {
  const m = /^(\/api\/v1|\/apis\/[^/]+\/[^/]+)\/namespaces\/([^/]+)\/([^/]+)$/.exec(path);
  return m ? [`${m[1]}/${m[3]}`, decodeURIComponent(m[2])] : [path, undefined];
}

export class FakeApiServer {
  readonly lists = new Map<string, { items: KubeObject[]; resourceVersion: string }>();
  readonly requests: RecordedRequest[] = [];
  /** Answers a request with an error status instead of its list or watch. */
  failWith: (req: RecordedRequest) => { status: number; message: string } | undefined = () => undefined;
  private readonly watches: OpenWatch[] = [];
  private readonly waiters: { match: (r: RecordedRequest) => boolean; resolve: (r: RecordedRequest) => void }[] = [];
  private server: Server | undefined;
  url = '';

  async start(): Promise<string> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const w of this.watches.splice(0)) w.res.end();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  setList(path: string, items: KubeObject[], resourceVersion: string): void {
    this.lists.set(path, { items, resourceVersion });
  }

  /** Resolves with the first request (already made or still to come, after `after`) that matches. */
  nextRequest(match: (r: RecordedRequest) => boolean, after = 0): Promise<RecordedRequest> {
    const made = this.requests.slice(after).find(match);
    if (made) return Promise.resolve(made);
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  /** Writes one watch event to every open watch on `path`. */
  push(path: string, type: string, object: unknown): void {
    for (const w of this.watches) if (w.path === path) w.res.write(JSON.stringify({ type, object }) + '\n');
  }

  /** Writes raw text to every open watch on `path`, for malformed-stream tests. */
  pushRaw(path: string, text: string): void {
    for (const w of this.watches) if (w.path === path) w.res.write(text);
  }

  /** Ends every open watch on `path` cleanly, as a server-side timeout does. */
  endWatches(path: string): void {
    for (let i = this.watches.length - 1; i >= 0; i--) {
      if (this.watches[i].path !== path) continue;
      this.watches[i].res.end();
      this.watches.splice(i, 1);
    }
  }

  openWatches(path: string): number {
    return this.watches.filter((w) => w.path === path).length;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const recorded: RecordedRequest = { path: url.pathname, query: url.searchParams, authorization: req.headers.authorization };
    this.requests.push(recorded);
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      if (!this.waiters[i].match(recorded)) continue;
      this.waiters[i].resolve(recorded);
      this.waiters.splice(i, 1);
    }
    const failure = this.failWith(recorded);
    if (failure) {
      res.writeHead(failure.status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: failure.message, code: failure.status }));
      return;
    }
    if (url.searchParams.get('watch') === '1') {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
      res.flushHeaders();
      const watch = { path: url.pathname, res };
      this.watches.push(watch);
      req.on('close', () => {
        const i = this.watches.indexOf(watch);
        if (i >= 0) this.watches.splice(i, 1);
      });
      return;
    }
    const [clusterPath, namespace] = splitNamespaced(url.pathname);
    const list = this.lists.get(clusterPath) ?? { items: [], resourceVersion: '1' };
    const items = namespace === undefined ? list.items : list.items.filter((o) => o.metadata.namespace === namespace);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ kind: 'List', apiVersion: 'v1', metadata: { resourceVersion: list.resourceVersion }, items }));
  }
}
