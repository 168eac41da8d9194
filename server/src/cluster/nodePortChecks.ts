// A nodePort the file asks for that another Service in the cluster already holds: the
// apiserver's allocator would refuse the write with "provided port is already allocated", so
// the editor says so first, naming the holder. healthCheckNodePorts come from the same range
// and count as allocations too. The Service itself (same namespace and name) never conflicts
// with its own allocation, since applying the file updates it in place.

import type { Finding } from '../features/finding';
import { errorString, invalid } from '../validation/fieldErrors';
import type { ClusterView } from './clusterView';
import type { ServiceDoc } from './serviceDocument';
import type { Service } from '../validation/kubeTypes';

/** Who holds each node port, derived once per frozen services array (frozen arrays are reused until a change). */
const holdersCache = new WeakMap<readonly Service[], Map<number, string[]>>();

function nodePortHolders(services: readonly Service[]): Map<number, string[]> {
  const cached = holdersCache.get(services);
  if (cached) return cached;
  const out = new Map<number, string[]>();
  const add = (port: unknown, holder: string): void => {
    if (typeof port !== 'number' || port <= 0) return;
    const list = out.get(port);
    if (!list) out.set(port, [holder]);
    else if (!list.includes(holder)) list.push(holder);
  };
  for (const svc of services) {
    const holder = `${svc.metadata.namespace ?? ''}/${svc.metadata.name ?? ''}`;
    const ports = Array.isArray(svc.spec?.ports) ? svc.spec.ports : [];
    for (const p of ports) add(p?.nodePort, holder);
    add(svc.spec?.healthCheckNodePort, holder);
  }
  if (Object.isFrozen(services)) holdersCache.set(services, out);
  return out;
}

export function nodePortFindings(svc: ServiceDoc, namespace: string, view: ClusterView): Finding[] {
  if (svc.type !== 'NodePort' && svc.type !== 'LoadBalancer') return [];
  const holders = nodePortHolders(view.services());
  const self = `${namespace}/${svc.name ?? ''}`;
  const out: Finding[] = [];
  const check = (port: number | undefined, path: (string | number)[], field: string): void => {
    if (port === undefined) return;
    const others = (holders.get(port) ?? []).filter((h) => h !== self);
    if (others.length === 0) return;
    const message = `${errorString(invalid(field, port, 'provided port is already allocated'))} (to Service ${others.join(', Service ')})`;
    out.push({ path, on: 'value', severity: 'error', code: field, message, data: { allocatedTo: others } });
  };
  for (const port of svc.ports) check(port.nodePort, ['spec', 'ports', port.index, 'nodePort'], `spec.ports[${port.index}].nodePort`);
  check(svc.healthCheckNodePort, ['spec', 'healthCheckNodePort'], 'spec.healthCheckNodePort');
  return out;
}
