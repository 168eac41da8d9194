// SetDefaults_Service from pkg/apis/core/v1/defaults.go: what the v1 scheme fills in on every
// decode, before admission, allocation and validation. ClusterIPs, IP families, nodePorts and
// the healthCheckNodePort are not defaulted here; the registry fills those (serviceRegistry.ts).

import type { Service } from './kubeTypes';
import { externallyAccessible } from './serviceValidation';

export const DEFAULT_CLIENT_IP_AFFINITY_SECONDS = 10800;

/** Deep copy through JSON, which is exactly the data a manifest can carry. */
export function cloneService(svc: Service): Service {
  return JSON.parse(JSON.stringify(svc)) as Service;
}

/** Returns a defaulted deep copy; the argument is not modified. */
export function defaultService(svc: Service): Service {
  const out = cloneService(svc);
  out.spec ??= {};
  const spec = out.spec;
  if (!spec.sessionAffinity) spec.sessionAffinity = 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP') {
    const cfg = spec.sessionAffinityConfig;
    if (!cfg || !cfg.clientIP || cfg.clientIP.timeoutSeconds === undefined || cfg.clientIP.timeoutSeconds === null) {
      spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: DEFAULT_CLIENT_IP_AFFINITY_SECONDS } };
    }
  }
  if (!spec.type) spec.type = 'ClusterIP';
  // Go decodes `null` in a list of structs, and a missing non-pointer field, as zero values:
  // a ServicePort without `port` has port 0 (which validation then rejects as 0, not null).
  if (Array.isArray(spec.ports)) {
    spec.ports = spec.ports.map((p) => (p === null || typeof p !== 'object' ? ({} as typeof p) : p));
    for (const port of spec.ports) if (port.port === undefined || port.port === null) port.port = 0;
  }
  for (const port of spec.ports ?? []) {
    if (!port.protocol) port.protocol = 'TCP';
    if (port.targetPort === undefined || port.targetPort === null || port.targetPort === 0 || port.targetPort === '') {
      port.targetPort = port.port;
    }
  }
  if (externallyAccessible(out) && !spec.externalTrafficPolicy) spec.externalTrafficPolicy = 'Cluster';
  if ((spec.internalTrafficPolicy === undefined || spec.internalTrafficPolicy === null) && ['NodePort', 'LoadBalancer', 'ClusterIP'].includes(spec.type)) {
    spec.internalTrafficPolicy = 'Cluster';
  }
  if (spec.type === 'LoadBalancer') {
    if (spec.allocateLoadBalancerNodePorts === undefined || spec.allocateLoadBalancerNodePorts === null) spec.allocateLoadBalancerNodePorts = true;
    for (const ing of out.status?.loadBalancer?.ingress ?? []) {
      if (ing.ip && !ing.ipMode) ing.ipMode = 'VIP';
    }
  }
  return out;
}
