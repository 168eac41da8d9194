// The meta.k8s.io/v1 Table that kube-apiserver returns when kubectl asks for
// `application/json;as=Table;v=v1;g=meta.k8s.io`. Field names and nullability follow the Go
// types' JSON tags (apimachinery pkg/apis/meta/v1/types.go), because kubectl decodes them.

import type { KubeObject } from '../../api/types';

export interface TableColumnDefinition {
  name: string;
  /** An OpenAPI type: `string`, `integer`, `number`, `boolean` or `date`. */
  type: string;
  /** An OpenAPI format modifier; `name` marks the column that holds the object's name. */
  format: string;
  description: string;
  /** 0 for columns kubectl always shows, 1 for those it shows only with `-o wide`. */
  priority: number;
}

export interface TableRowCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/** The object a row carries, as chosen by the request's includeObject. */
export type TableRowObject = KubeObject | PartialObjectMetadata | null;

export interface PartialObjectMetadata {
  kind: 'PartialObjectMetadata';
  apiVersion: 'meta.k8s.io/v1';
  metadata: KubeObject['metadata'];
}

export interface TableRow {
  cells: unknown[];
  /** Present only for rows that carry conditions (finished pods); omitted otherwise, as in Go. */
  conditions?: TableRowCondition[];
  object: TableRowObject;
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  /** Null on every watch event after the first one of a connection. */
  columnDefinitions: TableColumnDefinition[] | null;
  rows: TableRow[];
}

/** metav1.IncludeObjectPolicy. */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableOptions {
  /** Milliseconds since the epoch; every Age-like cell is measured against it. */
  now: number;
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
  includeObject: IncludeObject;
  noHeaders?: boolean;
}

/** One resource's server-side printer: its columns and how one object becomes a row. */
export interface ResourcePrinter {
  columns: readonly TableColumnDefinition[];
  cells(obj: KubeObject, now: number): unknown[];
  conditions?(obj: KubeObject): TableRowCondition[] | undefined;
}
