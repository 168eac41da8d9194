// The parts of a Service document the cluster checks read, taken from whatever the manifest
// parser produced. A field of the wrong type is treated as absent here: validation reports it
// on its own, and a cluster check built on a misread value would only add noise.

import type { KubeObject } from '../validation/kubeTypes';

export interface ServicePortDoc {
  /** The index in spec.ports, for field paths. */
  index: number;
  port: number | undefined;
  protocol: string;
  /** The targetPort as written, or undefined when the file leaves it to defaulting. */
  targetPort: number | string | undefined;
  nodePort: number | undefined;
}

export interface ServiceDoc {
  name: string | undefined;
  namespace: string | undefined;
  type: string;
  /** The selector's pairs in file order; undefined when the Service has no selector. */
  selector: [string, string][] | undefined;
  ports: ServicePortDoc[];
  publishNotReadyAddresses: boolean;
  healthCheckNodePort: number | undefined;
}

export function record(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

const positiveInt = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined);

/** The Service as the cluster checks see it, or undefined for anything that is not a Service document. */
export function readServiceDocument(obj: KubeObject): ServiceDoc | undefined {
  const doc = record(obj);
  if (!doc || doc['kind'] !== 'Service') return undefined;
  const meta = record(doc['metadata']);
  const spec = record(doc['spec']) ?? {};
  const rawSelector = record(spec['selector']);
  const selector = rawSelector ? Object.entries(rawSelector).filter((e): e is [string, string] => typeof e[1] === 'string') : undefined;
  const ports: ServicePortDoc[] = [];
  if (Array.isArray(spec['ports'])) {
    spec['ports'].forEach((item, index) => {
      const p = record(item);
      if (!p) return;
      const target = p['targetPort'];
      ports.push({
        index,
        port: positiveInt(p['port']),
        protocol: typeof p['protocol'] === 'string' && p['protocol'] ? p['protocol'] : 'TCP',
        targetPort: positiveInt(target) ?? (typeof target === 'string' && target ? target : undefined),
        nodePort: positiveInt(p['nodePort']),
      });
    });
  }
  return {
    name: typeof meta?.['name'] === 'string' && meta['name'] ? meta['name'] : undefined,
    namespace: typeof meta?.['namespace'] === 'string' && meta['namespace'] ? meta['namespace'] : undefined,
    type: typeof spec['type'] === 'string' && spec['type'] ? spec['type'] : 'ClusterIP',
    selector: selector && selector.length > 0 ? selector : undefined,
    ports,
    publishNotReadyAddresses: spec['publishNotReadyAddresses'] === true,
    healthCheckNodePort: positiveInt(spec['healthCheckNodePort']),
  };
}
