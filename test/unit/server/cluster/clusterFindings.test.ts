// The cluster-aware checks of a Service document, each against a fake cluster view: what the
// user reads in the editor for a selector typo, unready pods, target ports, a taken nodePort
// and a Service that differs from the cluster's copy, and the workspace wording.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterFindings } from '../../../../server/src/cluster/clusterFindings';
import { WorkspaceView } from '../../../../server/src/cluster/workspaceView';
import type { ClusterView } from '../../../../server/src/cluster/clusterView';
import type { Finding } from '../../../../server/src/features/finding';
import type { KubeObject, Service } from '../../../../server/src/validation/kubeTypes';
import { FakeClusterView, pod, webPods } from './fakeClusterView';

function service(spec: Record<string, unknown>, metadata: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', ...metadata }, spec };
}

const selectorWbe = service({ selector: { app: 'wbe' }, ports: [{ port: 80, targetPort: 80 }] });
const selectorWeb = (ports: unknown[] = [{ port: 80, targetPort: 80 }], extra: Record<string, unknown> = {}) =>
  service({ selector: { app: 'web' }, ports, ...extra });

/** A live Service as the emulator holds it: defaulted and allocated. */
function liveService(name: string, spec: Service['spec'], namespace = 'default'): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, uid: 'u-' + name, resourceVersion: '7', creationTimestamp: '2026-11-26T08:00:00Z' },
    spec: { clusterIP: '10.96.12.7', clusterIPs: ['10.96.12.7'], type: 'ClusterIP', sessionAffinity: 'None', internalTrafficPolicy: 'Cluster', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', ...spec },
    status: { loadBalancer: {} },
  };
}

interface Case {
  name: string;
  view: () => ClusterView;
  doc: KubeObject;
  expect: Partial<Finding>[];
}

const cases: Case[] = [
  {
    name: 'a selector typo names the closest label that exists and suggests its value',
    view: () => new FakeClusterView({ pods: webPods() }),
    doc: selectorWbe,
    expect: [
      {
        path: ['spec', 'selector', 'app'],
        on: 'value',
        severity: 'warning',
        code: 'ksl/selector-matches-no-pod',
        message: 'no pod has app=wbe; 3 pods have app=web',
        data: { suggestedKey: 'app', suggestedValue: 'web' },
      },
    ],
  },
  {
    name: 'a typo in the selector key goes on the key and suggests the key',
    view: () => new FakeClusterView({ pods: webPods(1) }),
    doc: service({ selector: { ap: 'web' }, ports: [{ port: 80 }] }),
    expect: [{ path: ['spec', 'selector', 'ap'], on: 'key', message: 'no pod has ap=web; 1 pod has app=web', data: { suggestedKey: 'app', suggestedValue: 'web' } }],
  },
  {
    name: 'with no close label, the message counts the pods and names their label keys',
    view: () => new FakeClusterView({ pods: webPods() }),
    doc: service({ selector: { app: 'frontend' }, ports: [{ port: 80 }] }),
    expect: [{ path: ['spec', 'selector', 'app'], message: 'no pod has app=frontend; the 3 pods in namespace default have the label keys app, pod-template-hash' }],
  },
  {
    name: 'an empty namespace is named as such',
    view: () => new FakeClusterView({ pods: webPods() }),
    doc: service({ selector: { app: 'web' }, ports: [{ port: 80 }] }, { namespace: 'shop' }),
    expect: [{ path: ['spec', 'selector', 'app'], message: 'no pod has app=web; namespace shop has no pods' }],
  },
  {
    name: 'a Service without a namespace is checked in the view’s default namespace',
    view: () => new FakeClusterView({ pods: webPods(), defaultNamespace: 'shop' }),
    doc: selectorWeb(),
    expect: [{ message: 'no pod has app=web; namespace shop has no pods' }],
  },
  {
    name: 'labels that exist only on different pods are reported on the selector as a whole',
    view: () => new FakeClusterView({ pods: [...webPods(2), pod('db-0', { labels: { app: 'db', tier: 'db' } })] }),
    doc: service({ selector: { app: 'web', tier: 'db' }, ports: [{ port: 80 }] }),
    expect: [{ path: ['spec', 'selector'], on: 'key', message: 'no pod has app=web,tier=db; 2 pods have app=web, 1 pod has tier=db' }],
  },
  {
    name: 'pods that match but are all pending are listed with their status',
    view: () => new FakeClusterView({ pods: webPods(3, { ready: false }) }),
    doc: selectorWeb(),
    expect: [
      {
        path: ['spec', 'selector'],
        on: 'key',
        severity: 'warning',
        code: 'ksl/selector-no-ready-pod',
        message: '3 pods match app=web, but none is ready: web-7d4b9-a (Pending), web-7d4b9-b (Pending), web-7d4b9-c (Pending)',
      },
    ],
  },
  {
    name: 'a long list of unready pods ends with how many more there are',
    view: () => new FakeClusterView({ pods: webPods(5, { ready: false, waiting: 'ContainerCreating' }) }),
    doc: selectorWeb(),
    expect: [
      {
        message:
          '5 pods match app=web, but none is ready: web-7d4b9-a (Pending, ContainerCreating), web-7d4b9-b (Pending, ContainerCreating), web-7d4b9-c (Pending, ContainerCreating), and 2 more',
      },
    ],
  },
  {
    name: 'a single unready pod, running or terminating',
    view: () => new FakeClusterView({ pods: [pod('web-1', { ready: false, phase: 'Running' })] }),
    doc: selectorWeb(),
    expect: [{ message: '1 pod matches app=web, but it is not ready: web-1 (Running, not ready)' }],
  },
  {
    name: 'a ready pod that is being deleted does not count as ready',
    view: () => new FakeClusterView({ pods: [pod('web-1', { deleting: true }), pod('web-2', { deleting: true })] }),
    doc: selectorWeb(),
    expect: [{ message: '2 pods match app=web, but none is ready: web-1 (Terminating), web-2 (Terminating)' }],
  },
  {
    name: 'one ready pod is enough',
    view: () => new FakeClusterView({ pods: [...webPods(2, { ready: false }), pod('web-ok')] }),
    doc: selectorWeb(),
    expect: [],
  },
  {
    name: 'publishNotReadyAddresses sends traffic to unready pods, so there is nothing to warn about',
    view: () => new FakeClusterView({ pods: webPods(3, { ready: false }) }),
    doc: selectorWeb(undefined, { publishNotReadyAddresses: true }),
    expect: [],
  },
  {
    name: 'a named targetPort no selected container declares, with the closest name suggested',
    view: () => new FakeClusterView({ pods: webPods() }),
    doc: selectorWeb([{ port: 80, targetPort: 'htp' }]),
    expect: [
      {
        path: ['spec', 'ports', 0, 'targetPort'],
        on: 'value',
        severity: 'warning',
        code: 'ksl/target-port-name-not-declared',
        message: 'no container of the 3 selected pods declares a port named "htp"; they declare 80/TCP (http)',
        data: { suggestedValue: 'http' },
      },
    ],
  },
  {
    name: 'a named targetPort declared for another protocol',
    view: () => new FakeClusterView({ pods: [pod('dns-1', { labels: { app: 'web' }, ports: [{ containerPort: 53, name: 'dns', protocol: 'TCP' }] })] }),
    doc: selectorWeb([{ port: 53, targetPort: 'dns', protocol: 'UDP' }]),
    expect: [{ path: ['spec', 'ports', 0, 'targetPort'], message: 'the selected pod declares "dns" only for TCP, not for UDP' }],
  },
  {
    name: 'a named targetPort that one of the containers declares is fine',
    view: () => new FakeClusterView({ pods: webPods() }),
    doc: selectorWeb([{ port: 80, targetPort: 'http' }]),
    expect: [],
  },
  {
    name: 'a numeric targetPort that no container declares is information',
    view: () => new FakeClusterView({ pods: webPods() }),
    doc: selectorWeb([{ port: 80, targetPort: 8080 }]),
    expect: [
      {
        path: ['spec', 'ports', 0, 'targetPort'],
        on: 'value',
        severity: 'information',
        code: 'ksl/target-port-not-declared',
        message: 'no container of the 3 selected pods declares port 8080/TCP; they declare 80/TCP (http)',
      },
    ],
  },
  {
    name: 'a targetPort left to defaulting is the port, and the note goes on the port',
    view: () => new FakeClusterView({ pods: [pod('web-1', { ports: [] })] }),
    doc: selectorWeb([{ port: 8080 }]),
    expect: [{ path: ['spec', 'ports', 0, 'port'], severity: 'information', message: 'no container of the selected pod declares port 8080/TCP; it declares no ports' }],
  },
  {
    name: 'a nodePort another Service holds is an error in the allocator’s words, naming the holder',
    view: () => new FakeClusterView({ pods: webPods(), services: [liveService('web-nodeport', { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 80, nodePort: 30080, protocol: 'TCP' }] })] }),
    doc: service({ type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, nodePort: 30080 }] }, { name: 'web-2' }),
    expect: [
      {
        path: ['spec', 'ports', 0, 'nodePort'],
        on: 'value',
        severity: 'error',
        code: 'spec.ports[0].nodePort',
        message: 'spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated (to Service default/web-nodeport)',
      },
    ],
  },
  {
    name: 'a healthCheckNodePort counts as an allocation too',
    view: () =>
      new FakeClusterView({
        pods: webPods(),
        services: [liveService('lb', { type: 'LoadBalancer', selector: { app: 'web' }, externalTrafficPolicy: 'Local', healthCheckNodePort: 31000, ports: [{ port: 80, nodePort: 30001 }] }, 'shop')],
      }),
    doc: service({ type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, nodePort: 31000 }] }, { name: 'web-2' }),
    expect: [{ code: 'spec.ports[0].nodePort', message: 'spec.ports[0].nodePort: Invalid value: 31000: provided port is already allocated (to Service shop/lb)' }],
  },
  {
    name: 'the Service’s own nodePort is not a conflict',
    view: () => new FakeClusterView({ pods: webPods(), services: [liveService('web-nodeport', { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 80, nodePort: 30080, protocol: 'TCP' }] })] }),
    doc: service({ type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 80, nodePort: 30080 }] }, { name: 'web-nodeport' }),
    expect: [],
  },
  {
    name: 'the same Service in the cluster with what the server fills in does not differ',
    view: () => new FakeClusterView({ pods: webPods(), services: [liveService('web', { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 80, protocol: 'TCP' }] })] }),
    doc: selectorWeb([{ port: 80 }]),
    expect: [],
  },
  {
    name: 'a Service that differs from the cluster’s copy says what differs, on metadata.name',
    view: () =>
      new FakeClusterView({
        pods: webPods(3, { ports: [{ containerPort: 80 }, { containerPort: 8080 }] }),
        services: [liveService('web', { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] })],
      }),
    doc: service({ selector: { app: 'web', tier: 'fe' }, ports: [{ port: 80 }] }),
    expect: [
      { path: ['spec', 'selector', 'tier'], message: 'no pod has tier=fe; the 3 pods in namespace default have the label keys app, pod-template-hash' },
      {
        path: ['metadata', 'name'],
        on: 'value',
        severity: 'information',
        code: 'ksl/differs-from-cluster',
        message: 'the Service in the cluster differs: selector has tier=fe only here; ports[0].targetPort is 8080 there, 80 here',
      },
    ],
  },
  {
    name: 'the differences name both sides of a changed selector, the type and extra ports',
    view: () =>
      new FakeClusterView({
        pods: [...webPods(), pod('api-1', { labels: { app: 'api' } })],
        services: [
          liveService('web', {
            type: 'NodePort',
            selector: { app: 'api' },
            ports: [{ port: 80, targetPort: 80, protocol: 'TCP', nodePort: 31111 }, { name: 'm', port: 9113, targetPort: 9113, protocol: 'TCP', nodePort: 31112 }],
            externalTrafficPolicy: 'Cluster',
          }),
        ],
      }),
    doc: service({ type: 'ClusterIP', selector: { app: 'web' }, ports: [{ port: 80 }] }),
    expect: [
      {
        path: ['metadata', 'name'],
        message: 'the Service in the cluster differs: type is NodePort there, ClusterIP here; selector has app=api there, app=web here; ports[1] (m 9113/TCP) is only there',
      },
    ],
  },
  {
    name: 'labels the file writes are compared; the last-applied annotation is not',
    view: () =>
      new FakeClusterView({
        pods: webPods(),
        services: [
          {
            ...liveService('web', { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 80, protocol: 'TCP' }] }),
            metadata: { name: 'web', namespace: 'default', labels: { app: 'web', team: 'a' }, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' } },
          },
        ],
      }),
    doc: service({ selector: { app: 'web' }, ports: [{ port: 80 }] }, { labels: { app: 'web' }, annotations: {} }),
    expect: [{ path: ['metadata', 'name'], message: 'the Service in the cluster differs: labels have team=a there' }],
  },
  {
    name: 'an ExternalName Service has no selector to check',
    view: () => new FakeClusterView({ pods: webPods() }),
    doc: service({ type: 'ExternalName', externalName: 'example.com', selector: { app: 'nope' } }),
    expect: [],
  },
  {
    name: 'a live view that is not connected gives nothing (its cache is stale or empty)',
    view: () => new FakeClusterView({ pods: [], connected: false }),
    doc: selectorWbe,
    expect: [],
  },
  {
    name: 'no view at all gives nothing',
    view: () => new FakeClusterView({ source: { kind: 'none' }, connected: false }),
    doc: selectorWbe,
    expect: [],
  },
  {
    name: 'documents that are not Services give nothing',
    view: () => new FakeClusterView({ pods: webPods() }),
    doc: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'wbe' } } } },
    expect: [],
  },
  {
    name: 'a Service of the wrong shape gives nothing and does not throw',
    view: () => new FakeClusterView({ pods: webPods(), services: [liveService('web', { selector: { app: 'web' } })] }),
    doc: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: 'app=web', ports: 'eighty' } } as KubeObject,
    expect: [],
  },
];

for (const c of cases) {
  test(c.name, () => {
    const got = clusterFindings(c.doc, c.view());
    assert.equal(got.length, c.expect.length, `findings: ${JSON.stringify(got, null, 1)}`);
    c.expect.forEach((want, i) => {
      for (const [k, v] of Object.entries(want)) assert.deepEqual(got[i][k as keyof Finding], v, `finding ${i} ${k}`);
    });
  });
}

function workspace(objects: KubeObject[]): WorkspaceView {
  return new WorkspaceView({ workspaceObjects: () => objects, reason: () => 'the emulator is not running' });
}

const webDeployment: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80, name: 'http' }] }] } },
  },
};

test('with the workspace view the selector check says it looked at the pod templates', () => {
  const got = clusterFindings(selectorWbe, workspace([webDeployment, selectorWbe]));
  assert.deepEqual(
    got.map((f) => [f.path, f.severity, f.message, f.data]),
    [[['spec', 'selector', 'app'], 'warning', 'no pod template in the workspace has app=wbe; 1 Deployment template has app=web', { suggestedKey: 'app', suggestedValue: 'web' }]],
  );
});

test('workspace templates of several kinds are counted by kind', () => {
  const statefulSet: KubeObject = { ...webDeployment, kind: 'StatefulSet', metadata: { name: 'web-db' } };
  const barePod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'debug', labels: { app: 'web' } }, spec: { containers: [{ name: 'c' }] } };
  const got = clusterFindings(selectorWbe, workspace([webDeployment, statefulSet, barePod]));
  assert.equal(got[0].message, 'no pod template in the workspace has app=wbe; 1 Deployment template, 1 StatefulSet template and 1 Pod have app=web');
});

test('with no templates at all the workspace message says so', () => {
  const got = clusterFindings(selectorWbe, workspace([selectorWbe]));
  assert.equal(got[0].message, 'no pod template in the workspace has app=wbe; the workspace has no pod templates in namespace default');
});

test('the workspace view checks target ports against the templates but skips readiness, nodePorts and drift', () => {
  const other = service({ type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, nodePort: 30080 }] }, { name: 'web-nodeport' });
  const doc = service({ type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'htp', nodePort: 30080 }] });
  const got = clusterFindings(doc, workspace([webDeployment, other, doc]));
  assert.deepEqual(
    got.map((f) => [f.path, f.message]),
    [[['spec', 'ports', 0, 'targetPort'], 'no container of the selected pod template declares a port named "htp"; it declares 80/TCP (http)']],
  );
});
