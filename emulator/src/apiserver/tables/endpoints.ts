// `kubectl get endpoints`: printEndpoints and formatEndpoints.

import type { Endpoints, KubeObject } from '../../api/types';
import { ageColumn, column, nameColumn } from './commonColumns';
import { timestampSince } from './humanDuration';
import type { ResourcePrinter } from './tableTypes';

const columns = [
  nameColumn,
  column(
    'Endpoints',
    'string',
    'The set of all endpoints is the union of all subsets. Addresses are placed into subsets according to the IPs they share. A single address with multiple ports, some of which are ready and some of which are not (because they come from different containers) will result in the address being displayed in different subsets for the different ports. No address will appear in both Addresses and NotReadyAddresses in the same subset. Sets of addresses and ports that comprise a service.',
  ),
  ageColumn,
];

/** net.JoinHostPort: IPv6 addresses are bracketed. */
function joinHostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/**
 * formatEndpoints with every port: `ip:port` for each ready address of each port (just `ip` for
 * a port-less headless subset), the first three joined by ",", then ` + N more...`. Not-ready
 * addresses are not shown; no subsets at all is `<none>`.
 */
export function formatEndpoints(ep: Endpoints): string {
  const subsets = ep.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const max = 3;
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const ss of subsets) {
    const addresses = ss.addresses ?? [];
    const ports = ss.ports ?? [];
    if (ports.length === 0) {
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(a.ip);
      }
      continue;
    }
    for (const port of ports) {
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(joinHostPort(a.ip, port.port));
      }
    }
  }
  const joined = list.join(',');
  return more ? `${joined} + ${count - max} more...` : joined;
}

export const endpointsPrinter: ResourcePrinter = {
  columns,
  cells(obj: KubeObject, now: number): unknown[] {
    const ep = obj as Endpoints;
    return [ep.metadata.name ?? '', formatEndpoints(ep), timestampSince(ep.metadata.creationTimestamp, now)];
  },
};
