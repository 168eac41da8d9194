// Lays a Table out as `kubectl get` prints it (cli-runtime's table printer over a tabwriter with
// three spaces of padding): upper-cased headers, wide-only columns dropped unless `wide`, every
// column but the last padded to its widest cell. Tests compare this text with captured output.

import type { Table } from '../../../emulator/src/apiserver/tables';

export function kubectlText(table: Table, wide = false): string {
  const defs = table.columnDefinitions ?? [];
  const keep = defs.map((d, i) => (wide || d.priority === 0 ? i : -1)).filter((i) => i >= 0);
  const lines = [keep.map((i) => defs[i].name.toUpperCase()), ...table.rows.map((r) => keep.map((i) => String(r.cells[i])))];
  const widths = keep.map((_, c) => Math.max(...lines.map((l) => l[c].length)));
  return lines.map((l) => l.map((cell, c) => (c === l.length - 1 ? cell : cell.padEnd(widths[c] + 3))).join('')).join('\n');
}
