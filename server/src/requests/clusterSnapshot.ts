// The cluster tree's contents, from the cluster view's cache: every namespace's Services
// (addresses, DNS names, ports with their endpoints), pods and Deployments. Only a live
// cluster has contents; while the view answers from the workspace's pod templates the
// snapshot is empty and says why in `source`.

import type { ClusterView } from '../cluster/clusterView';
import { podIsReady } from '../cluster/selectorChecks';
import { clusterDomainOf, clusterIPText, dnsNames, externalIPText, isLive, nodePortReach, portEndpoints } from '../features/serviceFacts';
import type { ClusterSnapshot, SnapshotDeployment, SnapshotPod, SnapshotService, SnapshotServicePort } from '../protocol';
import { labelSelectorMatches } from '../validation/labelSelector';
import type { Deployment, KubeObject, Pod, Service } from '../validation/kubeTypes';

function byNamespaceAndName(a: { namespace: string; name: string }, b: { namespace: string; name: string }): number {
  return a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name);
}

function identity(obj: KubeObject): { namespace: string; name: string } {
  return { namespace: obj.metadata.namespace ?? '', name: obj.metadata.name ?? '' };
}

export function clusterSnapshot(view: ClusterView): ClusterSnapshot {
  const snapshot: ClusterSnapshot = {
    source: view.describe(),
    connected: view.connected,
    emulator: view.source.kind === 'emulator',
    namespaces: [],
    services: [],
    pods: [],
    deployments: [],
  };
  if (!isLive(view)) return snapshot;
  const domain = clusterDomainOf(view);
  snapshot.namespaces = [...view.namespaces()];
  snapshot.services = view.services().map((svc) => serviceSnapshot(svc, view, domain)).sort(byNamespaceAndName);
  snapshot.pods = view.pods().map(podSnapshot).sort(byNamespaceAndName);
  snapshot.deployments = view.deployments().map((d) => deploymentSnapshot(d, view)).sort(byNamespaceAndName);
  return snapshot;
}

function serviceSnapshot(svc: Service, view: ClusterView, domain: string): SnapshotService {
  const { namespace, name } = identity(svc);
  const spec = svc.spec ?? {};
  const type = spec.type || 'ClusterIP';
  const slices = view.endpointSlices(namespace, name);
  const ports: SnapshotServicePort[] = (Array.isArray(spec.ports) ? spec.ports : []).map((p) => {
    const out: SnapshotServicePort = {
      protocol: p.protocol || 'TCP',
      port: p.port,
      targetPort: p.targetPort ?? p.port,
      endpoints: portEndpoints(slices, p).map((e) => {
        const ep: SnapshotServicePort['endpoints'][number] = { ip: e.ip, port: e.port, ready: e.ready };
        if (e.pod) ep.pod = e.pod;
        if (e.node) ep.node = e.node;
        return ep;
      }),
    };
    if (p.name) out.name = p.name;
    if (p.nodePort) {
      out.nodePort = p.nodePort;
      const url = nodePortReach(view, p.nodePort).url;
      if (url) out.hostURL = url;
    }
    return out;
  });
  const out: SnapshotService = {
    namespace,
    name,
    type,
    externalIPs: Array.isArray(spec.externalIPs) ? [...spec.externalIPs] : [],
    selector: { ...(spec.selector ?? {}) },
    ports,
    dnsNames: dnsNames(name, namespace, domain),
  };
  const clusterIP = clusterIPText(svc);
  if (clusterIP) out.clusterIP = clusterIP;
  if (type === 'LoadBalancer' || type === 'ExternalName') {
    const external = externalIPText(svc);
    if (external) out.externalIP = external;
  }
  return out;
}

function podSnapshot(pod: Pod): SnapshotPod {
  const out: SnapshotPod = {
    ...identity(pod),
    phase: pod.status?.phase || 'Unknown',
    ready: podIsReady(pod),
    terminating: !!pod.metadata.deletionTimestamp,
    labels: { ...(pod.metadata.labels ?? {}) },
  };
  if (pod.status?.podIP) out.ip = pod.status.podIP;
  if (pod.spec?.nodeName) out.node = pod.spec.nodeName;
  return out;
}

function deploymentSnapshot(d: Deployment, view: ClusterView): SnapshotDeployment {
  const { namespace, name } = identity(d);
  const pods = view
    .pods(namespace)
    .filter((p) => labelSelectorMatches(d.spec?.selector, p.metadata.labels))
    .map((p) => p.metadata.name ?? '')
    .sort();
  return { namespace, name, replicas: d.spec?.replicas ?? 1, readyReplicas: d.status?.readyReplicas ?? 0, pods };
}
