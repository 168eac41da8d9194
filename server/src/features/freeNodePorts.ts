// Choosing a nodePort nobody holds, for completion and for the quick fix on a taken or
// out-of-range one. Taken are the nodePorts and healthCheckNodePorts of every other Service
// in the cluster, and those the file's Service already asks for on other ports. The first
// choice is the easy-to-remember 30000 + port (30080 for port 80) when that is free; after
// it, the lowest free ports of the range.

import type { ClusterView } from '../cluster/clusterView';
import type { ServiceDoc } from '../cluster/serviceDocument';
import { defaultServiceCheckOptions } from './serviceFindings';

const BASE = defaultServiceCheckOptions.nodePortBase;
const SIZE = defaultServiceCheckOptions.nodePortSize;

/** The ports `svc` may not take for its port at `index` (in `namespace`). */
export function takenNodePorts(view: ClusterView, svc: ServiceDoc, namespace: string, index: number): Set<number> {
  const taken = new Set<number>();
  for (const other of view.services()) {
    if (other.metadata.namespace === namespace && other.metadata.name === svc.name) continue;
    for (const p of Array.isArray(other.spec?.ports) ? other.spec.ports : []) if (typeof p?.nodePort === 'number') taken.add(p.nodePort);
    if (typeof other.spec?.healthCheckNodePort === 'number') taken.add(other.spec.healthCheckNodePort);
  }
  const own = svc.ports.find((p) => p.index === index);
  for (const p of svc.ports) {
    // Ports sharing a port number (53/TCP and 53/UDP) share one nodePort, so theirs is not taken.
    if (p.index !== index && p.nodePort !== undefined && p.port !== own?.port) taken.add(p.nodePort);
  }
  if (svc.healthCheckNodePort !== undefined) taken.add(svc.healthCheckNodePort);
  return taken;
}

/** Up to `count` free nodePorts in the range, best first. */
export function freeNodePorts(taken: ReadonlySet<number>, servicePort: number | undefined, count: number): number[] {
  const out: number[] = [];
  const consider = (port: number): void => {
    if (out.length < count && port >= BASE && port < BASE + SIZE && !taken.has(port) && !out.includes(port)) out.push(port);
  };
  if (servicePort !== undefined && servicePort < SIZE) consider(BASE + servicePort);
  for (let port = BASE; port < BASE + SIZE && out.length < count; port++) consider(port);
  return out;
}
