// The apiserver's default table convertor (k8s.io/apiserver pkg/registry/rest/table.go), used
// for every resource that has no printer of its own: the name and the creation time.

import type { KubeObject } from '../../api/types';
import { column, creationTimestampDescription, nameColumn } from './commonColumns';
import { parseTimestamp } from './humanDuration';
import type { ResourcePrinter } from './tableTypes';

/** Go's time.Format(time.RFC3339) in UTC: whole seconds, `Z`; the zero time for an unset timestamp. */
function rfc3339(timestamp: string | undefined): string {
  const t = parseTimestamp(timestamp);
  if (t === undefined) return '0001-01-01T00:00:00Z';
  return new Date(Math.floor(t / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export const defaultPrinter: ResourcePrinter = {
  columns: [nameColumn, column('Created At', 'date', creationTimestampDescription)],
  cells(obj: KubeObject): unknown[] {
    return [obj.metadata.name ?? '', rfc3339(obj.metadata.creationTimestamp)];
  },
};
