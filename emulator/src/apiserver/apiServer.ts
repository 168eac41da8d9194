// The Kubernetes HTTP API of the emulator: authentication, routing and error handling. The
// verbs themselves live in resourceHandlers.ts; discovery and OpenAPI in their own files.
// Bad input of any kind ends in a Status answer; nothing a client sends can stop the server.

import { maxHeaderSize, ServerResponse, STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import { createServer } from 'node:https';
import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
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
import { parseRoute, requestUrl } from './routes';
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

/**
 * A request that carries an Origin header comes from a web page. kube-apiserver without
 * --cors-allowed-origins serves such requests and leaves the browser to withhold the answer;
 * the emulator refuses them outright, so a page the user happens to open (DNS rebinding
 * included) cannot even make it do anything. kubectl, client-go and the editor send no Origin.
 */
function fromWebPage(req: IncomingMessage): ApiError | undefined {
  if (req.headers.origin === undefined) return undefined;
  return new ApiError(
    403,
    'Forbidden',
    'requests from web pages (with an Origin header) are refused: the Kube Service Lab API serves kubectl and the editor, ' +
      'and allows no cross-origin access. Use kubectl with the emulator\'s kubeconfig instead.',
  );
}

/**
 * The answer to a request Node's HTTP parser rejected before any handler ran (a request line
 * or headers over Node's limit, a method HTTP does not have, bytes that are not HTTP). Node
 * would answer with an empty 400 or 431; here it is a Status like every other error.
 */
function answerUnparsable(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? new ApiError(
          431,
          'RequestHeaderFieldsTooLarge',
          `the request line and headers are larger than the ${maxHeaderSize} bytes the server reads: send a shorter URL or fewer headers`,
        )
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? new ApiError(408, 'Timeout', 'the request did not arrive in time; send it again')
        : new ApiError(400, 'BadRequest', `the request is not valid HTTP/1.1 (${err.code ?? err.message}); check the method, path and headers`);
  const body = JSON.stringify(status.toStatus());
  socket.end(
    `HTTP/1.1 ${status.code} ${STATUS_CODES[status.code] ?? ''}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** The request's path, or '' when its target is no URL (the handler then answers 400). */
function pathOf(req: IncomingMessage): string {
  try {
    return requestUrl(req.url).pathname;
  } catch {
    return '';
  }
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
    watch: { store: opts.registry.store, clock: opts.clock, openWatches, bookmarkIntervalMs: opts.bookmarkIntervalMs, log },
  };

  async function dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const refused = fromWebPage(req);
    if (refused) throw refused;
    if (!tokenMatches(req.headers.authorization, opts.token)) throw unauthorized();
    const url = requestUrl(req.url);
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
  // A request (headers and body; a watch's or a tunnel's response may last) must arrive within
  // kube-apiserver's default request timeout, so a client that sends a body byte by byte
  // cannot hold a connection and its buffer forever. It is answered 408 by answerUnparsable.
  server.requestTimeout = 60_000;
  server.on('clientError', answerUnparsable);
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    if (pathOf(req) === DIAL_PATH) {
      const allowed = !fromWebPage(req) && tokenMatches(req.headers.authorization, opts.token);
      handleDialUpgrade(opts.ksl, req, socket, head, allowed);
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
