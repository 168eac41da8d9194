// The objects benchmarks fill a cluster with: Services, their EndpointSlices, Deployments and
// bare Pods, with deterministic names and addresses so two servers (or two runs) see the same
// cluster. Store objects look as the registry and the controllers would have written them;
// manifests look as a user would write them for `kubectl apply`.

import type { Deployment, EndpointSlice, KubeObject, Pod, Service } from '../../emulator/src/api/types';

export const SERVICE_PORT = 80;

/** The i-th address counted from `base` (a dotted quad), i ≥ 0. */
export function addressAt(base: string, i: number): string {
  const b = base.split('.').map(Number);
  const n = ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) + i;
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** ClusterIPs from 10.96.1.0 up, clear of the bootstrap Services' addresses. */
export const clusterIPAt = (i: number): string => addressAt('10.96.1.0', i);
/** Pod IPs from 10.244.0.2 up. */
export const podIPAt = (i: number): string => addressAt('10.244.0.2', i);

export function namespaceObject(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } };
}

/** A Service as stored after admission: ClusterIP allocated (or `None` when headless). */
export function storedService(namespace: string, name: string, clusterIP: string): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, uid: `uid-svc-${namespace}-${name}`, creationTimestamp: '2025-01-01T00:00:00Z' },
    spec: {
      type: 'ClusterIP',
      clusterIP,
      clusterIPs: [clusterIP],
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      internalTrafficPolicy: 'Cluster',
      sessionAffinity: 'None',
      selector: { app: name },
      ports: [{ name: 'http', protocol: 'TCP', port: SERVICE_PORT, targetPort: 8080 }],
    },
    status: { loadBalancer: {} },
  };
}

/** The Service's one EndpointSlice, all endpoints ready, as the EndpointSlice controller writes it. */
export function storedSlice(namespace: string, serviceName: string, podIPs: readonly string[]): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: `${serviceName}-abcde`,
      namespace,
      uid: `uid-slice-${namespace}-${serviceName}`,
      labels: { 'kubernetes.io/service-name': serviceName, 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' },
    },
    addressType: 'IPv4',
    endpoints: podIPs.map((ip, i) => ({
      addresses: [ip],
      conditions: { ready: true, serving: true, terminating: false },
      nodeName: 'ksl',
      targetRef: { kind: 'Pod', namespace, name: `${serviceName}-${i}` },
    })),
    ports: [{ name: 'http', protocol: 'TCP', port: 8080 }],
  };
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** What client-side `kubectl apply` sends on create: the manifest plus its own copy in an annotation. */
export function asApplied<T extends KubeObject>(manifest: T): T {
  const annotations = { ...(manifest.metadata.annotations ?? {}), [LAST_APPLIED]: JSON.stringify(manifest) + '\n' };
  return { ...manifest, metadata: { ...manifest.metadata, annotations } };
}

function podTemplateSpec(): Pod['spec'] {
  return { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 8080, protocol: 'TCP' }] }] };
}

export function deploymentManifest(namespace: string, name: string, replicas: number): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: podTemplateSpec() },
    },
  };
}

/** A Service selecting `app: <selectApp>`; headless when asked. */
export function serviceManifest(namespace: string, name: string, selectApp: string, headless = false): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace },
    spec: {
      ...(headless ? { clusterIP: 'None' } : {}),
      selector: { app: selectApp },
      ports: [{ name: 'http', port: SERVICE_PORT, targetPort: 8080 }],
    },
  };
}

/** A bare Pod, as `kubectl run` would create it (without the run label's variations). */
export function podManifest(namespace: string, name: string, app: string): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels: { app } }, spec: podTemplateSpec() };
}
