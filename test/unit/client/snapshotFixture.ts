// A cluster snapshot as the language server sends it after the lesson: the Deployment `web`
// with three pods (one not ready yet), the Services `web` (ClusterIP) and `web-nodeport`, a
// headless Service, a Service whose selector matches nothing, a pod of its own, and kube-dns.

import type { ClusterSnapshot, SnapshotPod, SnapshotService } from '../../../server/src/protocol';

export function pod(name: string, ip: string | undefined, ready: boolean, extra: Partial<SnapshotPod> = {}): SnapshotPod {
  return { namespace: 'default', name, ...(ip ? { ip } : {}), phase: ip ? 'Running' : 'Pending', ready, terminating: false, node: 'ksl', labels: { app: 'web' }, ...extra };
}

const webEndpoints = [
  { ip: '10.244.0.15', port: 80, ready: true, pod: 'web-7c5d-2xk4p', node: 'ksl' },
  { ip: '10.244.0.16', port: 80, ready: true, pod: 'web-7c5d-8q9zt', node: 'ksl' },
  { ip: '10.244.0.17', port: 80, ready: false, pod: 'web-7c5d-tf6nw', node: 'ksl' },
];

export function service(name: string, extra: Partial<SnapshotService> = {}): SnapshotService {
  return {
    namespace: 'default',
    name,
    type: 'ClusterIP',
    clusterIP: '10.96.12.7',
    externalIPs: [],
    selector: { app: 'web' },
    ports: [{ protocol: 'TCP', port: 80, targetPort: 80, endpoints: webEndpoints }],
    dnsNames: [name, `${name}.default`, `${name}.default.svc`, `${name}.default.svc.cluster.local`],
    ...extra,
  };
}

export function lessonSnapshot(): ClusterSnapshot {
  return {
    source: 'emulator at https://127.0.0.1:40123',
    connected: true,
    emulator: true,
    namespaces: ['kube-system', 'shop', 'default'],
    services: [
      service('web-nodeport', {
        type: 'NodePort',
        clusterIP: '10.107.188.99',
        ports: [{ protocol: 'TCP', port: 80, targetPort: 80, nodePort: 30080, hostURL: 'http://127.0.0.1:30080', endpoints: webEndpoints }],
      }),
      service('web'),
      service('web-headless', { clusterIP: 'None' }),
      service('typo', { clusterIP: '10.96.40.2', selector: { app: 'wbe' }, ports: [{ name: 'http', protocol: 'TCP', port: 8080, targetPort: 'http', endpoints: [] }] }),
      {
        namespace: 'kube-system',
        name: 'kube-dns',
        type: 'ClusterIP',
        clusterIP: '10.96.0.10',
        externalIPs: [],
        selector: { 'k8s-app': 'kube-dns' },
        ports: [
          { name: 'dns', protocol: 'UDP', port: 53, targetPort: 53, endpoints: [{ ip: '10.244.0.2', port: 53, ready: true, pod: 'coredns-1' }] },
          { name: 'dns-tcp', protocol: 'TCP', port: 53, targetPort: 53, endpoints: [{ ip: '10.244.0.2', port: 53, ready: true, pod: 'coredns-1' }] },
        ],
        dnsNames: ['kube-dns.kube-system', 'kube-dns.kube-system.svc.cluster.local'],
      },
    ],
    pods: [
      pod('web-7c5d-2xk4p', '10.244.0.15', true),
      pod('web-7c5d-8q9zt', '10.244.0.16', true),
      pod('web-7c5d-tf6nw', '10.244.0.17', false),
      pod('tmp', '10.244.0.30', true, { labels: { run: 'tmp' } }),
      pod('coredns-1', '10.244.0.2', true, { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } }),
    ],
    deployments: [{ namespace: 'default', name: 'web', replicas: 3, readyReplicas: 2, pods: ['web-7c5d-tf6nw', 'web-7c5d-2xk4p', 'web-7c5d-8q9zt'] }],
  };
}
