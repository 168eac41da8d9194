// The pods a Service document selects and the container ports they declare, grouped so that
// three replicas of one Deployment read as one container. A named targetPort matches a port
// by name and protocol, a number by containerPort and protocol, as the endpoints
// controller's FindPort does.

import type { ClusterView } from '../cluster/clusterView';
import { matchingPods } from '../cluster/selectorChecks';
import type { ServiceDoc } from '../cluster/serviceDocument';
import type { Pod } from '../validation/kubeTypes';

/** The pods of `namespace` that the Service's selector matches; none without a selector. */
export function selectedPods(view: ClusterView, svc: ServiceDoc, namespace: string): Pod[] {
  const selector = svc.selector;
  if (!selector) return [];
  return matchingPods(view.pods(namespace), selector);
}

export interface DeclaredPort {
  container: string;
  port: number;
  protocol: string;
  name?: string;
  /** The names of the pods whose container declares it, in the order given. */
  pods: string[];
}

/** Every container port the pods declare, one entry per container, port, protocol and name. */
export function declaredPorts(pods: readonly Pod[]): DeclaredPort[] {
  const out = new Map<string, DeclaredPort>();
  for (const pod of pods) {
    const containers = Array.isArray(pod.spec?.containers) ? pod.spec.containers : [];
    for (const c of containers) {
      const ports = Array.isArray(c?.ports) ? c.ports : [];
      for (const p of ports) {
        if (typeof p?.containerPort !== 'number') continue;
        const protocol = p.protocol || 'TCP';
        const name = typeof p.name === 'string' && p.name ? p.name : undefined;
        const key = `${c.name}\u0000${p.containerPort}\u0000${protocol}\u0000${name ?? ''}`;
        let entry = out.get(key);
        if (!entry) {
          entry = { container: String(c.name ?? ''), port: p.containerPort, protocol, pods: [] };
          if (name) entry.name = name;
          out.set(key, entry);
        }
        entry.pods.push(pod.metadata.name ?? '');
      }
    }
  }
  return [...out.values()];
}

/** The declared ports a targetPort reaches: by name, or by number, with the same protocol. */
export function portsForTarget(declared: readonly DeclaredPort[], target: number | string, protocol: string): DeclaredPort[] {
  return declared.filter((d) => d.protocol === protocol && (typeof target === 'string' ? d.name === target : d.port === target));
}
