// Services as they reach validation: defaulted by the v1 scheme and allocated by the registry.
// Tests start from one of these and change one thing, so each expected error list names only
// the rule under test.

import type { Service } from '../../../server/src/validation';

/** A ClusterIP Service with its clusterIP allocated. */
export function clusterIPService(): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      type: 'ClusterIP',
      selector: { app: 'web' },
      ports: [{ protocol: 'TCP', port: 80, targetPort: 80 }],
      clusterIP: '10.96.0.10',
      clusterIPs: ['10.96.0.10'],
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
    },
  };
}

/** A NodePort Service with its nodePort allocated. */
export function nodePortService(): Service {
  const svc = clusterIPService();
  svc.metadata.name = 'web-nodeport';
  svc.spec.type = 'NodePort';
  svc.spec.externalTrafficPolicy = 'Cluster';
  svc.spec.ports = [{ protocol: 'TCP', port: 80, targetPort: 80, nodePort: 30080 }];
  return svc;
}

/** A LoadBalancer Service with nodePort allocated and allocateLoadBalancerNodePorts defaulted. */
export function loadBalancerService(): Service {
  const svc = nodePortService();
  svc.metadata.name = 'web-lb';
  svc.spec.type = 'LoadBalancer';
  svc.spec.allocateLoadBalancerNodePorts = true;
  return svc;
}

/** An ExternalName Service as defaulting leaves it (no clusterIP, no families). */
export function externalNameService(): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'db', namespace: 'default' },
    spec: { type: 'ExternalName', externalName: 'db.example.com', sessionAffinity: 'None' },
  };
}

/** A headless Service with a selector after the registry's family defaulting. */
export function headlessService(): Service {
  const svc = clusterIPService();
  svc.metadata.name = 'web-headless';
  svc.spec.clusterIP = 'None';
  svc.spec.clusterIPs = ['None'];
  return svc;
}
