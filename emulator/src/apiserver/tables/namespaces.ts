// `kubectl get namespaces`: printNamespace.

import type { KubeObject, Namespace } from '../../api/types';
import { ageColumn, column, nameColumn } from './commonColumns';
import { timestampSince } from './humanDuration';
import type { ResourcePrinter } from './tableTypes';

const columns = [nameColumn, column('Status', 'string', 'The status of the namespace'), ageColumn];

export const namespacePrinter: ResourcePrinter = {
  columns,
  cells(obj: KubeObject, now: number): unknown[] {
    const ns = obj as Namespace;
    return [ns.metadata.name ?? '', ns.status?.phase ?? '', timestampSince(ns.metadata.creationTimestamp, now)];
  },
};
