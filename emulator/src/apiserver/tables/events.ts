// `kubectl get events`: printEvent and formatEventSource.

import type { Event, KubeObject } from '../../api/types';
import { column, nameDescription } from './commonColumns';
import { parseTimestamp, timestampSince } from './humanDuration';
import type { ResourcePrinter } from './tableTypes';
import { asNumber, asRecord, asString } from './unknownFields';

const columns = [
  column('Last Seen', 'string', 'The time at which the most recent occurrence of this event was recorded.'),
  column('Type', 'string', 'Type of this event (Normal, Warning), new types could be added in the future'),
  column(
    'Reason',
    'string',
    "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
  ),
  column('Object', 'string', 'The object that this event is about.'),
  column(
    'Subobject',
    'string',
    'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: "spec.containers{name}" (where "name" refers to the name of the container that triggered the event) or if no container name is specified "spec.containers[2]" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object.',
    1,
  ),
  column('Source', 'string', 'The component reporting this event. Should be a short machine understandable string.', 1),
  column('Message', 'string', 'A human-readable description of the status of this operation.'),
  column('First Seen', 'string', 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)', 1),
  column('Count', 'string', 'The number of times this event has occurred.', 1),
  column('Name', 'string', nameDescription, 1, 'name'),
];

/** formatEventSource: the component (or reporting controller), then `, host` when there is one. */
function eventSource(e: Event): string {
  const component = e.source?.component || e.reportingComponent || '';
  const instance = e.source?.host || e.reportingInstance || '';
  return instance ? `${component}, ${instance}` : component;
}

export const eventPrinter: ResourcePrinter = {
  columns,
  cells(obj: KubeObject, now: number): unknown[] {
    const e = obj as Event;
    const firstSeen =
      parseTimestamp(e.firstTimestamp) === undefined ? timestampSince(e.eventTime, now) : timestampSince(e.firstTimestamp, now);
    let lastSeen = parseTimestamp(e.lastTimestamp) === undefined ? firstSeen : timestampSince(e.lastTimestamp, now);
    let count = e.count ?? 0;
    const series = asRecord(obj.series);
    if (series) {
      lastSeen = timestampSince(asString(series.lastObservedTime), now);
      count = asNumber(series.count);
    } else if (count === 0) {
      // Events from the events.k8s.io API leave count unset for a single occurrence.
      count = 1;
    }
    const kind = (e.involvedObject?.kind ?? '').toLowerCase();
    const name = e.involvedObject?.name ?? '';
    return [
      lastSeen,
      e.type ?? '',
      e.reason ?? '',
      name ? `${kind}/${name}` : kind,
      e.involvedObject?.fieldPath ?? '',
      eventSource(e),
      (e.message ?? '').trim(),
      firstSeen,
      count,
      e.metadata.name ?? '',
    ];
  },
};
