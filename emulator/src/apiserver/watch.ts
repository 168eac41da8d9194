// Watch streams, as kube-apiserver serves them: chunked JSON, one event per line, flushed as it
// happens. A watch from a list's resourceVersion replays only what changed after it; a watch
// from "0" or "" starts with a synthetic ADDED for every current object. With label or field
// selectors an object that stops matching is reported as DELETED and one that starts matching
// as ADDED, the same translation the apiserver's cacher makes.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResourceType } from '../api/resources';
import type { KubeObject } from '../api/types';
import type { Clock, TimerHandle } from '../clock';
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
  /** Told when a watch is closed because its client stopped reading. */
  log?: (message: string) => void;
}

/**
 * Changes that may wait for a client before its watch counts as falling behind: the cacher's
 * per-watcher input channel for a watch that uses no index (maxWatchChanSizeWithoutIndex).
 */
export const WATCH_CHANNEL_SIZE = 100;
/**
 * How long the queue may stay above WATCH_CHANNEL_SIZE before the watch is closed. The cacher
 * blocks up to its dispatch budget (about 100 ms) on a full channel, then terminates the
 * watcher ("Forcing watcher close due to unresponsiveness"); the emulator produces changes in
 * synchronous bursts that no client could take in the middle of, so it judges on the clock
 * instead of per change, and more leniently.
 */
export const SLOW_WATCHER_BUDGET_MS = 2000;
/**
 * However steadily a client reads, a watch this many changes behind is closed: the queue holds
 * references to objects, old versions included, and must not grow without end.
 */
export const MAX_WATCH_LAG = 10_000;
/** Node's timers hold at most 2^31 - 1 ms; a longer timeoutSeconds means "no timeout" here. */
const MAX_TIMER_MS = 2 ** 31 - 1;

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

interface QueuedEvent {
  type: EventType;
  object: KubeObject;
}

/**
 * Serves one watch. Events go out as fast as the client takes them and no faster: the initial
 * objects and every change wait in a queue (of references, not encoded bytes) and are encoded
 * only when the socket has room, so a slow client costs a queue, not a growing write buffer.
 * A client that falls behind as the cacher defines it has its watch closed and its connection
 * cut; clients (client-go's reflector, the language server) resume from the last version seen.
 */
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

  // The objects that exist when the watch starts go out first, then the changes in order.
  let initial: readonly KubeObject[] = [];
  let initialAt = 0;
  let changes: (QueuedEvent | undefined)[] = [];
  let changesAt = 0;
  let waitingForDrain = false;
  let budget: TimerHandle | undefined;
  // Whether the queue came back to WATCH_CHANNEL_SIZE or fewer since the budget started.
  let caughtUp = false;
  const behind = (): number => changes.length - changesAt;
  const idle = (): boolean => initialAt === initial.length && behind() === 0;

  const pump = (): void => {
    while (!closed && !res.writableNeedDrain) {
      if (initialAt < initial.length) {
        res.write(encode('ADDED', initial[initialAt++]));
      } else if (changesAt < changes.length) {
        const next = changes[changesAt] as QueuedEvent;
        changes[changesAt++] = undefined;
        res.write(encode(next.type, next.object));
        if (behind() <= WATCH_CHANNEL_SIZE) caughtUp = true;
      } else {
        break;
      }
    }
    if (initial.length && initialAt === initial.length) [initial, initialAt] = [[], 0];
    if (changes.length && changesAt === changes.length) [changes, changesAt] = [[], 0];
    if (!closed && !idle() && !waitingForDrain) {
      waitingForDrain = true;
      res.once('drain', () => {
        waitingForDrain = false;
        pump();
      });
    }
  };

  const cutOff = (why: string): void => {
    ctx.log?.(`closed a watch on ${w.rt.resource}: ${why} (as kube-apiserver's cacher closes unresponsive watchers); the client can resume from its last resourceVersion`);
    close();
    // A client that reads nothing cannot take the end of the stream either: cutting the
    // connection frees what was written for it and tells it the watch is over.
    res.destroy();
  };

  // The lag is judged on the clock, never in the middle of a burst: when the budget is up, one
  // turn of the event loop lets the socket report what it sent in the meantime (a long
  // synchronous burst delays the timer and the socket alike). A watch whose queue stayed over
  // WATCH_CHANNEL_SIZE for the whole budget is cut off, as the cacher cuts off a watcher whose
  // channel stays full; so is one too far behind, however it reads.
  const judge = (): void => {
    if (closed) return;
    if (behind() > MAX_WATCH_LAG) return cutOff(`${behind()} changes were waiting for a client that reads too slowly`);
    if (behind() <= WATCH_CHANNEL_SIZE) return;
    if (!caughtUp) return cutOff(`more than ${WATCH_CHANNEL_SIZE} changes waited for ${SLOW_WATCHER_BUDGET_MS} ms (${behind()} now)`);
    startBudget();
  };
  const startBudget = (): void => {
    caughtUp = false;
    budget = ctx.clock.after(SLOW_WATCHER_BUDGET_MS, () => {
      budget = undefined;
      setImmediate(judge);
    });
  };

  const send = (type: EventType, obj: KubeObject): void => {
    if (closed) return;
    changes.push({ type, object: obj });
    pump();
    if (!budget && behind() > WATCH_CHANNEL_SIZE) startBudget();
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
    initial = ctx.store.list(w.rt.key, w.namespace || undefined).filter(w.matches);
  } else {
    const n = Number(rv);
    const past = Number.isInteger(n) && n >= 0 ? ctx.store.eventsSince(n) : 'expired';
    if (past === 'expired') {
      res.end(
        encode('ERROR', {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: `too old resource version: ${rv} (${ctx.store.resourceVersion})`,
          reason: 'Expired',
          code: 410,
        }),
      );
      return;
    }
    if (past !== 'future') for (const e of past) translate(e);
  }

  const unsubscribe = ctx.store.subscribe(translate);
  const timers: { cancel(): void }[] = [];
  function close(): void {
    if (closed) return;
    closed = true;
    unsubscribe();
    for (const t of timers) t.cancel();
    budget?.cancel();
    ctx.openWatches.delete(close);
    [initial, changes] = [[], []];
    res.end();
  }
  ctx.openWatches.add(close);
  req.on('close', close);
  res.on('error', close);
  if (w.timeoutSeconds && w.timeoutSeconds > 0 && w.timeoutSeconds * 1000 <= MAX_TIMER_MS) {
    timers.push(ctx.clock.after(w.timeoutSeconds * 1000, close));
  }
  if (w.allowBookmarks) {
    const every = ctx.bookmarkIntervalMs ?? 60_000;
    const tick = (): void => {
      if (closed) return;
      // Like the cacher's non-blocking add, a bookmark is skipped when the client is behind.
      if (idle() && !res.writableNeedDrain) {
        res.write(encode('BOOKMARK', { kind: w.rt.kind, apiVersion: w.rt.apiVersion, metadata: { resourceVersion: String(ctx.store.resourceVersion) } }));
      }
      timers.push(ctx.clock.after(every, tick));
    };
    timers.push(ctx.clock.after(every, tick));
  }
  pump();
}
