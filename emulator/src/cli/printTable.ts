// Renders a meta.k8s.io Table as kubectl's default printer does: upper-case headers, columns
// padded to the widest cell plus three spaces, wide-only columns (priority > 0) hidden unless
// asked for.

import type { Table } from '../apiserver/tables/tableTypes';

export function printTable(table: Table, opts: { wide?: boolean; withNamespace?: string[] } = {}): string {
  const cols = (table.columnDefinitions ?? []).map((c, i) => ({ c, i })).filter(({ c }) => opts.wide || c.priority === 0);
  const header = cols.map(({ c }) => c.name.toUpperCase());
  const rows = table.rows.map((r) => cols.map(({ i }) => String(r.cells[i] ?? '')));
  if (opts.withNamespace) {
    header.unshift('NAMESPACE');
    rows.forEach((r, i) => r.unshift(opts.withNamespace![i] ?? ''));
  }
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  return all.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] + 3))).join('').trimEnd()).join('\n');
}
