// Lays a Table out as `kubectl get` prints it, with the same printer `ksl start` uses, so the
// tests that compare this text with captured kubectl output cover that printer too.

import type { Table } from '../../../emulator/src/apiserver/tables';
import { printTable } from '../../../emulator/src/cli/printTable';

export function kubectlText(table: Table, wide = false): string {
  return printTable(table, { wide });
}
