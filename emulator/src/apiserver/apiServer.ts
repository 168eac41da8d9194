// The Kubernetes HTTP API of the emulator: authentication, routing and error handling. The
// verbs themselves live in resourceHandlers.ts; discovery and OpenAPI in their own files.
// Bad input of any kind ends in a Status answer; nothing a client sends can stop the server.

import { ServerResponse, type IncomingMessage, type Server } from 'node:http';
import { createServer } from 'node:https';
import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import { ApiError, internalError, unauthorized } from '../api/errors';
import type { Clock } from '../clock';
import type { Registry } from '../registry/registry';
import {
  AGGREGATED_V2,
  AGGREGATED_V2BETA1,
  aggregatedDiscovery,
  legacyApiVersions,
  legacyGroup,
  legacyGroupList,
  legacyResourceList,
} from './discovery';
import { sendError, sendJson } from './http';
import { openApiDocument, openApiIndex } from './openapi';
import { handleResource, type HandlerContext } from './resourceHandlers';
import { parseRoute } from './routes';
import { DIAL_PATH, handleDialUpgrade, handleKslRequest, type KslExtensions } from './kslExtensions';
import { versionInfo } from './version';

export interface ApiServerOptions {
  registry: Registry;
  clock: Clock;
  /** The bearer token every request must carry. */
  token: string;
  /** The serving certificate and key (PEM). kubectl sends bearer tokens only over TLS. */
  tls: { cert: string; key: string };
  host?: string;
  port?: number;
  log?: (message: string) => void;
  bookmarkIntervalMs?: number;
  /** The emulator's own /ksl/v1 endpoints (dial, rules); absent, they answer 404. */
  ksl?: KslExtensions;
}

export interface RunningApiServer {
  server: Server;
  url: string;
  port: number;
  close(): Promise<void>;
}

function tokenMatches(header: string | undefined, token: string): boolean {
  if (!header?.startsWith('Bearer ')) return false;
  const given = Buffer.from(header.slice(7).trim());
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

function notFoundStatus(): ApiError {
  return new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
}

/** Picks the discovery format from the Accept header, as the apiserver's negotiation does. */
function discoveryFormat(accept: string | undefined): 'v2' | 'v2beta1' | 'legacy' {
  const a = (accept ?? '').replace(/\s+/g, '');
  for (const part of a.split(',')) {
    if (part.includes('as=APIGroupDiscoveryList') && part.includes('v=v2beta1')) return 'v2beta1';
    if (part.includes('as=APIGroupDiscoveryList') && part.includes('v=v2')) return 'v2';
    if (part.startsWith('application/json') || part.startsWith('*/*')) return 'legacy';
  }
  return 'legacy';
}

export function createApiHandler(opts: ApiServerOptions, openWatches: Set<() => void>) {
  const log = opts.log ?? (() => undefined);
  const ctx: HandlerContext = {
    registry: opts.registry,
    clock: opts.clock,
    watch: { store: opts.registry.store, clock: opts.clock, openWatches, bookmarkIntervalMs: opts.bookmarkIntervalMs },
  };

  async function dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!tokenMatches(req.headers.authorization, opts.token)) throw unauthorized();
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname.startsWith('/ksl/')) {
      if (req.method !== 'GET') throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
      return handleKslRequest(opts.ksl, req, res, url);
    }
    const route = parseRoute(url.pathname);
    const method = req.method ?? 'GET';
    // A path that names nothing is 404 whatever the method, as the apiserver's NotFound handler answers.
    const known = route.type !== 'unknownResource' && route.type !== 'notFound';
    if (known && route.type !== 'resource' && method !== 'GET') {
      throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    }
    switch (route.type) {
      case 'version':
        return sendJson(res, 200, versionInfo());
      case 'health':
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end('ok');
        return;
      case 'coreDiscovery':
      case 'groupsDiscovery': {
        const core = route.type === 'coreDiscovery';
        const fmt = discoveryFormat(req.headers.accept);
        if (fmt === 'legacy') return sendJson(res, 200, core ? legacyApiVersions() : legacyGroupList());
        return sendJson(res, 200, aggregatedDiscovery(core, fmt), fmt === 'v2' ? AGGREGATED_V2 : AGGREGATED_V2BETA1);
      }
      case 'groupDiscovery': {
        const g = legacyGroup(route.group);
        if (!g) throw notFoundStatus();
        return sendJson(res, 200, g);
      }
      case 'resourceList': {
        const list = legacyResourceList(route.group, route.version);
        if (!list) throw notFoundStatus();
        return sendJson(res, 200, list);
      }
      case 'openapiIndex':
        return sendJson(res, 200, openApiIndex());
      case 'openapiDocument': {
        const doc = openApiDocument(route.gv);
        if (!doc) throw notFoundStatus();
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(doc) });
        res.end(doc);
        return;
      }
      case 'openapiV2':
      case 'unknownResource':
      case 'notFound':
        throw notFoundStatus();
      case 'resource':
        return handleResource(req, res, url, route, ctx);
    }
  }

  return (req: IncomingMessage, res: ServerResponse): void => {
    dispatch(req, res).catch((err: unknown) => {
      const apiErr = err instanceof ApiError ? err : undefined;
      if (!apiErr) log(`error serving ${req.method} ${req.url}: ${(err as Error)?.stack ?? String(err)}`);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      // An error raised before the body was read leaves it unread; drain it so the connection stays usable.
      req.resume();
      sendError(res, apiErr ?? internalError((err as Error)?.message ?? String(err)));
    });
  };
}

export function startApiServer(opts: ApiServerOptions): Promise<RunningApiServer> {
  const openWatches = new Set<() => void>();
  const handler = createApiHandler(opts, openWatches);
  const server = createServer({ cert: opts.tls.cert, key: opts.tls.key }, handler);
  server.keepAliveTimeout = 30_000;
  server.headersTimeout = 60_000;
  server.requestTimeout = 0;
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    if (new URL(req.url ?? '/', 'http://localhost').pathname === DIAL_PATH) {
      handleDialUpgrade(opts.ksl, req, socket, head, tokenMatches(req.headers.authorization, opts.token));
      return;
    }
    // Every other upgrade (kubectl exec, attach and port-forward ask for SPDY or WebSocket)
    // gets an ordinary answer from the API handler, which explains what to use instead.
    const res = new ServerResponse(req);
    res.shouldKeepAlive = false;
    res.assignSocket(socket);
    res.once('finish', () => socket.end());
    handler(req, res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      const host = opts.host ?? '127.0.0.1';
      resolve({
        server,
        port,
        url: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
        close: () =>
          new Promise<void>((done) => {
            for (const close of [...openWatches]) close();
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
