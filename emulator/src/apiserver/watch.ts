// Watch streams, as kube-apiserver serves them: chunked JSON, one event per line, flushed as it
// happens. A watch from a list's resourceVersion replays only what changed after it; a watch
// from "0" or "" starts with a synthetic ADDED for every current object. With label or field
// selectors an object that stops matching is reported as DELETED and one that starts matching
// as ADDED, the same translation the apiserver's cacher makes.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResourceType } from '../api/resources';
import type { KubeObject } from '../api/types';
import type { Clock } from '../clock';
import type { Store, StoreEvent } from '../store/store';
import { toTable } from './tables';
import type { AcceptInfo } from './http';

export interface WatchRequest {
  rt: ResourceType;
  namespace: string;
  /** The client's resourceVersion parameter: undefined, '', '0' or a number. */
  resourceVersion: string | undefined;
  matches: (obj: KubeObject) => boolean;
  accept: AcceptInfo;
  allowBookmarks: boolean;
  timeoutSeconds?: number;
}

export interface WatchContext {
  store: Store;
  clock: Clock;
  /** Every open watch is closed when the server stops. */
  openWatches: Set<() => void>;
  bookmarkIntervalMs?: number;
}

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export function serveWatch(req: IncomingMessage, res: ServerResponse, w: WatchRequest, ctx: WatchContext): void {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache' });
  res.flushHeaders();
  let first = true;
  let closed = false;

  const encode = (type: EventType, obj: unknown): string => {
    if (w.accept.table && (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED')) {
      const o = obj as KubeObject;
      const table = toTable(w.rt.key, [o], {
        now: ctx.clock.now(),
        resourceVersion: o.metadata.resourceVersion ?? '',
        includeObject: w.accept.includeObject,
        noHeaders: !first,
      });
      first = false;
      return JSON.stringify({ type, object: table }) + '\n';
    }
    return JSON.stringify({ type, object: obj }) + '\n';
  };
  const send = (type: EventType, obj: unknown): void => {
    if (!closed) res.write(encode(type, obj));
  };

  const inScope = (e: StoreEvent): boolean =>
    e.resource === w.rt.key && (!w.namespace || e.object.metadata.namespace === w.namespace);

  const translate = (e: StoreEvent): void => {
    if (!inScope(e)) return;
    const now = e.type !== 'DELETED' && w.matches(e.object);
    const before = e.old !== undefined && w.matches(e.old);
    if (e.type === 'ADDED') {
      if (now) send('ADDED', e.object);
    } else if (e.type === 'MODIFIED') {
      if (now && before) send('MODIFIED', e.object);
      else if (now) send('ADDED', e.object);
      else if (before) send('DELETED', e.object);
    } else if (before || w.matches(e.object)) {
      send('DELETED', e.object);
    }
  };

  const rv = w.resourceVersion;
  if (rv === undefined || rv === '' || rv === '0') {
    for (const obj of ctx.store.list(w.rt.key, w.namespace || undefined)) if (w.matches(obj)) send('ADDED', obj);
  } else {
    const n = Number(rv);
    const past = Number.isInteger(n) && n >= 0 ? ctx.store.eventsSince(n) : 'expired';
    if (past === 'expired') {
      send('ERROR', {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `too old resource version: ${rv} (${ctx.store.resourceVersion})`,
        reason: 'Expired',
        code: 410,
      });
      res.end();
      return;
    }
    if (past !== 'future') for (const e of past) translate(e);
  }

  const unsubscribe = ctx.store.subscribe(translate);
  const timers: { cancel(): void }[] = [];
  const close = (): void => {
    if (closed) return;
    closed = true;
    unsubscribe();
    for (const t of timers) t.cancel();
    ctx.openWatches.delete(close);
    res.end();
  };
  ctx.openWatches.add(close);
  req.on('close', close);
  res.on('error', close);
  if (w.timeoutSeconds && w.timeoutSeconds > 0) timers.push(ctx.clock.after(w.timeoutSeconds * 1000, close));
  if (w.allowBookmarks) {
    const every = ctx.bookmarkIntervalMs ?? 60_000;
    const tick = (): void => {
      if (closed) return;
      send('BOOKMARK', {
        kind: w.rt.kind,
        apiVersion: w.rt.apiVersion,
        metadata: { resourceVersion: String(ctx.store.resourceVersion) },
      });
      timers.push(ctx.clock.after(every, tick));
    };
    timers.push(ctx.clock.after(every, tick));
  }
}
