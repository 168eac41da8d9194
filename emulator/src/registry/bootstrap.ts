// What exists in every cluster from its first start, as on a kubeadm/minikube cluster: the
// system namespaces, the node, the `kubernetes` Service at the first service IP with the
// apiserver as its endpoint, and CoreDNS (`kube-dns` at the tenth IP, served by a coredns
// Deployment). Creating only what is missing makes this safe to run at every start.

import { ApiError } from '../api/errors';
import { clone } from '../api/objects';
import { mustResource, R } from '../api/resources';
import type { KubeObject } from '../api/types';
import { rfc3339 } from '../clock';
import type { Registry } from './registry';

export interface BootstrapOptions {
  nodeName: string;
  nodeIP: string;
  podCIDR: string;
  kubernetesIP: string;
  dnsIP: string;
  apiPort: number;
  kubeletVersion: string;
}

function ensure(registry: Registry, resource: string, obj: KubeObject): void {
  const rt = mustResource(resource);
  if (registry.store.get(rt.key, obj.metadata.namespace ?? '', obj.metadata.name ?? '')) return;
  registry.create(rt, obj.metadata.namespace ?? '', obj);
}

function nodeObject(o: BootstrapOptions, now: number): KubeObject {
  const t = rfc3339(now);
  const condition = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    lastHeartbeatTime: t,
    lastTransitionTime: t,
    reason,
    message,
  });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: o.nodeName,
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': o.nodeName,
        'kubernetes.io/os': 'linux',
        'node-role.kubernetes.io/control-plane': '',
      },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0' },
    },
    spec: { podCIDR: o.podCIDR, podCIDRs: [o.podCIDR] },
    status: {
      capacity: { cpu: '2', memory: '24Gi', pods: '110', 'ephemeral-storage': '100Gi' },
      allocatable: { cpu: '2', memory: '24Gi', pods: '110', 'ephemeral-storage': '100Gi' },
      conditions: [
        condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      addresses: [
        { type: 'InternalIP', address: o.nodeIP },
        { type: 'Hostname', address: o.nodeName },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: 'kube-service-lab',
        systemUUID: 'kube-service-lab',
        bootID: 'kube-service-lab',
        kernelVersion: 'simulated',
        osImage: 'Kube Service Lab emulator',
        containerRuntimeVersion: 'ksl://simulated',
        kubeletVersion: o.kubeletVersion,
        kubeProxyVersion: o.kubeletVersion,
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
}

/** Nodes are read-only through the API, so the node is written to the store directly. */
function ensureNode(registry: Registry, o: BootstrapOptions): void {
  const existing = registry.store.get(R.nodes, '', o.nodeName);
  if (existing) return;
  const node = nodeObject(o, registry.clock.now());
  node.metadata.uid = crypto.randomUUID();
  node.metadata.creationTimestamp = rfc3339(registry.clock.now());
  registry.store.create(R.nodes, node);
}

/** The apiserver's own endpoint; its port changes between runs, so it is refreshed at each start. */
function ensureKubernetesEndpoints(registry: Registry, o: BootstrapOptions): void {
  const svc = registry.store.get(R.services, 'default', 'kubernetes');
  if (!svc) return;
  const subsets = [{ addresses: [{ ip: o.nodeIP }], ports: [{ name: 'https', port: o.apiPort, protocol: 'TCP' }] }];
  const ep: KubeObject = {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets,
  };
  const slice: KubeObject = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: 'kubernetes',
      namespace: 'default',
      labels: { 'kubernetes.io/service-name': 'kubernetes' },
    },
    addressType: 'IPv4',
    endpoints: [{ addresses: [o.nodeIP], conditions: { ready: true } }],
    ports: [{ name: 'https', port: o.apiPort, protocol: 'TCP' }],
  };
  for (const [resource, obj] of [
    [R.endpoints, ep],
    [R.endpointslices, slice],
  ] as const) {
    const rt = mustResource(resource);
    const current = registry.store.get(resource, 'default', 'kubernetes');
    if (!current) {
      registry.create(rt, 'default', obj);
    } else {
      const next = { ...clone(current), ...clone(obj), metadata: { ...clone(current.metadata), labels: obj.metadata.labels } };
      registry.update(rt, 'default', 'kubernetes', next);
    }
  }
}

export function bootstrap(registry: Registry, o: BootstrapOptions): void {
  for (const name of ['default', 'kube-node-lease', 'kube-public', 'kube-system']) {
    ensure(registry, R.namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  ensureNode(registry, o);
  try {
    ensure(registry, R.services, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
      spec: { clusterIP: o.kubernetesIP, ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] },
    });
    ensure(registry, R.services, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'kube-dns',
        namespace: 'kube-system',
        labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
        annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
      },
      spec: {
        clusterIP: o.dnsIP,
        selector: { 'k8s-app': 'kube-dns' },
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
          { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
          { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
        ],
      },
    });
  } catch (err) {
    // A user may have taken these addresses in an older state; the cluster still starts.
    if (!(err instanceof ApiError)) throw err;
  }
  ensureKubernetesEndpoints(registry, o);
  ensure(registry, R.deployments, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'coredns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { 'k8s-app': 'kube-dns' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
      template: {
        metadata: { labels: { 'k8s-app': 'kube-dns' } },
        spec: {
          priorityClassName: 'system-cluster-critical',
          containers: [
            {
              name: 'coredns',
              image: 'registry.k8s.io/coredns/coredns:v1.11.3',
              args: ['-conf', '/etc/coredns/Corefile'],
              ports: [
                { containerPort: 53, name: 'dns', protocol: 'UDP' },
                { containerPort: 53, name: 'dns-tcp', protocol: 'TCP' },
                { containerPort: 9153, name: 'metrics', protocol: 'TCP' },
              ],
            },
          ],
        },
      },
    },
  });
}
