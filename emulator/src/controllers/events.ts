// Records core/v1 Events the way client-go's EventRecorder and the kube-scheduler's
// events.k8s.io recorder do, so `kubectl describe` and `kubectl get events` read like a real
// cluster. Identical events (same object, reason, message, type and source) are aggregated:
// the stored event's count goes up and lastTimestamp moves, as the EventCorrelator does.
// Recording never throws: a lost event must not fail the controller that sent it, which is
// also how client-go behaves (it logs and drops).
//
// Events do not live forever: kube-apiserver stores each with a TTL (--event-ttl, one hour by
// default) that every write starts again. `eventExpiry` is that TTL for the emulator.

import type { Event, KubeObject } from '../api/types';
import { R } from '../api/resources';
import { clone } from '../api/objects';
import { rfc3339, rfc3339Micro, type Clock } from '../clock';
import { ObjectTtl } from '../store/objectTtl';
import type { ClusterClient } from './clusterClient';

export type EventType = 'Normal' | 'Warning';

export interface EventSource {
  /** `deployment-controller`, `kubelet`, `default-scheduler`. */
  component: string;
  /** The node for kubelet events. */
  host?: string;
}

export interface EventRecord {
  type: EventType;
  reason: string;
  message: string;
  /** `spec.containers{nginx}` for container events from the kubelet. */
  fieldPath?: string;
  /** events.k8s.io `action` (the scheduler's `Binding`). */
  action?: string;
}

export interface EventRecorderOptions {
  client: ClusterClient;
  clock: Clock;
  source: EventSource;
  /**
   * `core`: the legacy recorder of kube-controller-manager and the kubelet (source,
   * first/lastTimestamp, count). `eventsV1`: the events.k8s.io recorder of kube-scheduler, seen
   * through core/v1 (eventTime, action, reportingInstance, empty source, no timestamps).
   */
  style?: 'core' | 'eventsV1';
  log?: (message: string) => void;
}

/**
 * Event names end in the clock's UnixNano in hex. The clock here has millisecond precision, so
 * the nanoseconds count up within a millisecond, process-wide: recorders of different
 * components name events of the same object in the same millisecond.
 */
class NameClock {
  private last = 0n;
  next(ms: number): string {
    let ns = BigInt(Math.floor(ms)) * 1_000_000n;
    if (ns <= this.last) ns = this.last + 1n;
    this.last = ns;
    return ns.toString(16);
  }
}

const names = new NameClock();

/** kube-apiserver's default --event-ttl. */
export const EVENT_TTL_MS = 60 * 60 * 1000;
/** client-go's EventCorrelator keeps this many aggregation keys (maxLruCacheEntries). */
const SEEN_CAPACITY = 4096;

/**
 * When an Event was last written, from its own timestamps: the latest of lastTimestamp,
 * eventTime, series.lastObservedTime, firstTimestamp and creationTimestamp. Used for Events
 * restored at start, whose write times the process did not see.
 */
export function eventLastWritten(obj: KubeObject): number | undefined {
  const event = obj as Event & { series?: { lastObservedTime?: string } };
  let latest: number | undefined;
  for (const stamp of [event.lastTimestamp, event.eventTime, event.series?.lastObservedTime, event.firstTimestamp, event.metadata.creationTimestamp]) {
    const ms = typeof stamp === 'string' ? Date.parse(stamp) : NaN;
    if (!Number.isNaN(ms) && (latest === undefined || ms > latest)) latest = ms;
  }
  return latest;
}

/**
 * Deletes every Event `ttlMs` after its last write, through `client`. Call `start()` once the
 * store is loaded and `stop()` at shutdown.
 */
export function eventExpiry(client: ClusterClient, clock: Clock, log?: (message: string) => void, ttlMs = EVENT_TTL_MS): ObjectTtl {
  return new ObjectTtl({
    source: {
      list: (resource) => client.list(resource),
      get: (resource, namespace, name) => client.get(resource, namespace, name),
      subscribe: (listener) => client.subscribe(listener),
    },
    clock,
    resource: R.events,
    ttlMs,
    lastWritten: eventLastWritten,
    remove: (namespace, name, uid) => client.remove(R.events, namespace, name, uid),
    log,
  });
}

export class EventRecorder {
  private readonly client: ClusterClient;
  private readonly clock: Clock;
  private readonly source: EventSource;
  private readonly style: 'core' | 'eventsV1';
  private readonly log: (message: string) => void;
  /**
   * Aggregation key → the stored event it was last counted in; a least-recently-used cache of
   * SEEN_CAPACITY keys (Map order: least recently used first), as client-go's correlator keeps.
   */
  private readonly seen = new Map<string, { namespace: string; name: string }>();

  constructor(opts: EventRecorderOptions) {
    this.client = opts.client;
    this.clock = opts.clock;
    this.source = opts.source;
    this.style = opts.style ?? 'core';
    this.log = opts.log ?? (() => undefined);
  }

  record(obj: KubeObject, rec: EventRecord): void {
    try {
      this.write(obj, rec);
    } catch (err) {
      const what = `${obj.kind ?? ''} ${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
      this.log(`${this.source.component}: dropped event ${rec.reason} for ${what}: ${(err as Error).message}`);
    }
  }

  /** Shorthand for a Normal event. */
  normal(obj: KubeObject, reason: string, message: string, fieldPath?: string): void {
    this.record(obj, { type: 'Normal', reason, message, fieldPath });
  }

  warning(obj: KubeObject, reason: string, message: string, fieldPath?: string): void {
    this.record(obj, { type: 'Warning', reason, message, fieldPath });
  }

  private write(obj: KubeObject, rec: EventRecord): void {
    const now = this.clock.now();
    const namespace = obj.metadata.namespace || 'default';
    const involvedObject = {
      kind: obj.kind,
      namespace: obj.metadata.namespace,
      name: obj.metadata.name,
      uid: obj.metadata.uid,
      apiVersion: obj.apiVersion,
      resourceVersion: obj.metadata.resourceVersion,
      ...(rec.fieldPath ? { fieldPath: rec.fieldPath } : {}),
    };
    if (!involvedObject.namespace) delete involvedObject.namespace;
    const aggKey = JSON.stringify([
      involvedObject.kind,
      involvedObject.namespace,
      involvedObject.name,
      involvedObject.uid,
      rec.fieldPath ?? '',
      rec.type,
      rec.reason,
      rec.message,
      this.source.component,
      this.source.host ?? '',
    ]);
    if (this.style === 'core') {
      const prev = this.seen.get(aggKey);
      const existing = prev && this.client.get<Event>(R.events, prev.namespace, prev.name);
      if (existing) {
        const next = clone(existing) as Event;
        next.count = (existing.count ?? 1) + 1;
        next.lastTimestamp = rfc3339(now);
        next.involvedObject = involvedObject;
        this.client.update(R.events, next);
        // A hit makes the key the most recently used.
        this.seen.delete(aggKey);
        this.seen.set(aggKey, prev);
        return;
      }
      // The event it named expired or was deleted: a new one starts the count again.
      if (prev) this.seen.delete(aggKey);
    }
    const name = `${obj.metadata.name ?? ''}.${names.next(now)}`;
    const event: Event =
      this.style === 'core'
        ? {
            apiVersion: 'v1',
            kind: 'Event',
            metadata: { name, namespace },
            involvedObject,
            reason: rec.reason,
            message: rec.message,
            source: this.source.host ? { component: this.source.component, host: this.source.host } : { component: this.source.component },
            firstTimestamp: rfc3339(now),
            lastTimestamp: rfc3339(now),
            count: 1,
            type: rec.type,
            eventTime: null,
            reportingComponent: this.source.component,
            reportingInstance: this.source.host ?? '',
          }
        : {
            apiVersion: 'v1',
            kind: 'Event',
            metadata: { name, namespace },
            involvedObject,
            reason: rec.reason,
            message: rec.message,
            source: {},
            firstTimestamp: null,
            lastTimestamp: null,
            type: rec.type,
            eventTime: rfc3339Micro(now),
            action: rec.action ?? '',
            reportingComponent: this.source.component,
            reportingInstance: `${this.source.component}-${this.source.host ?? ''}`,
          };
    const created = this.client.create(R.events, event);
    if (this.style === 'core') {
      this.seen.set(aggKey, { namespace, name: created.metadata.name ?? name });
      if (this.seen.size > SEEN_CAPACITY) this.seen.delete(this.seen.keys().next().value as string);
    }
  }
}
