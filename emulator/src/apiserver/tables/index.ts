// Server-side printing: turns stored objects into the meta.k8s.io/v1 Table that kubectl asks
// for with `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`. Like kube-apiserver, it
// always builds the wide table (every column, priority 1 included); kubectl hides the wide
// columns itself unless `-o wide` is given.

import type { KubeObject } from '../../api/types';
import { defaultPrinter } from './defaultTable';
import { deploymentPrinter } from './deployments';
import { endpointSlicePrinter } from './endpointSlices';
import { endpointsPrinter } from './endpoints';
import { eventPrinter } from './events';
import { namespacePrinter } from './namespaces';
import { nodePrinter } from './nodes';
import { podPrinter } from './pods';
import { replicaSetPrinter } from './replicaSets';
import { servicePrinter } from './services';
import type { ResourcePrinter, Table, TableColumnDefinition, TableOptions, TableRow, TableRowObject } from './tableTypes';

export type * from './tableTypes';
export { humanDuration } from './humanDuration';

/** Printers by store key; every other resource gets the default Name / Created At table. */
const printers: Readonly<Record<string, ResourcePrinter>> = {
  services: servicePrinter,
  endpoints: endpointsPrinter,
  pods: podPrinter,
  events: eventPrinter,
  namespaces: namespacePrinter,
  nodes: nodePrinter,
  'apps/deployments': deploymentPrinter,
  'apps/replicasets': replicaSetPrinter,
  'discovery.k8s.io/endpointslices': endpointSlicePrinter,
};

function printerFor(resource: string): ResourcePrinter {
  return Object.prototype.hasOwnProperty.call(printers, resource) ? printers[resource] : defaultPrinter;
}

/** The column definitions for `resource` (a store key such as `services` or `apps/deployments`). */
export function columnsFor(resource: string): TableColumnDefinition[] {
  return printerFor(resource).columns.map((c) => ({ ...c }));
}

/** The cells of one row: one value per column of columnsFor(resource), ages measured at `now` (ms). */
export function rowFor(resource: string, obj: KubeObject, now: number): unknown[] {
  return printerFor(resource).cells(obj, now);
}

function rowObject(obj: KubeObject, includeObject: TableOptions['includeObject']): TableRowObject {
  switch (includeObject) {
    case 'None':
      return null;
    case 'Object':
      return obj;
    case 'Metadata':
      return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
  }
}

/**
 * The full Table for `objects` (one object for a GET by name, one per watch event). Rows carry
 * the object as `includeObject` asks: PartialObjectMetadata with the full metadata (what kubectl
 * reads for `-A`, `--show-labels` and `-L`), the whole object, or null. With `noHeaders` the
 * column definitions are null, as on every watch event after a connection's first.
 */
export function toTable(resource: string, objects: readonly KubeObject[], options: TableOptions): Table {
  const printer = printerFor(resource);
  const rows = objects.map((obj): TableRow => {
    const row: TableRow = { cells: printer.cells(obj, options.now), object: rowObject(obj, options.includeObject) };
    const conditions = printer.conditions?.(obj);
    // Go's `conditions,omitempty`: the key goes before `object` only when there are conditions.
    return conditions ? { cells: row.cells, conditions, object: row.object } : row;
  });
  const metadata: Table['metadata'] = {};
  if (options.resourceVersion !== undefined) metadata.resourceVersion = options.resourceVersion;
  if (options.continue) metadata.continue = options.continue;
  if (options.remainingItemCount !== undefined) metadata.remainingItemCount = options.remainingItemCount;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: options.noHeaders ? null : printer.columns.map((c) => ({ ...c })),
    rows,
  };
}
