// Code lenses above Service and workload documents: the apply command with its arguments,
// and the one-line status from the cluster.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeLens } from 'vscode-languageserver';
import type { ClusterView } from '../../../../server/src/cluster/clusterView';
import { WorkspaceView } from '../../../../server/src/cluster/workspaceView';
import { codeLenses } from '../../../../server/src/features/codeLens';
import type { Deployment } from '../../../../server/src/validation/kubeTypes';
import { pod } from '../cluster/fakeClusterView';
import { lessonPods, lessonView, manifest, serviceYaml, TargetedView, URI } from './featureFixtures';

const deploymentYaml = `# The lesson's Deployment.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: nginx
          image: nginx:1.27
`;

const liveDeployment: Deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default' },
  spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [] } } },
  status: { replicas: 3, readyReplicas: 2 },
};

function lenses(text: string, view: ClusterView): [number, string, string, unknown][] {
  return codeLenses(manifest(text), view).map((l: CodeLens) => [l.range.start.line, l.command?.title ?? '', l.command?.command ?? '', l.command?.arguments?.[0]]);
}

test('a Deployment and a Service each get "Apply to emulator" and their status', () => {
  const text = `${deploymentYaml}---\n${serviceYaml}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n`;
  const view = lessonView({ deployments: [liveDeployment] });
  assert.deepEqual(lenses(text, view), [
    [1, 'Apply to emulator', 'ksl.applyToEmulator', { uri: URI, documents: [0] }],
    [1, '2/3 pods ready', 'ksl.revealInExplorer', { namespace: 'default', kind: 'Deployment', name: 'web' }],
    [19, 'Apply to emulator', 'ksl.applyToEmulator', { uri: URI, documents: [1] }],
    [19, '3/3 endpoints ready · ClusterIP 10.96.12.4', 'ksl.revealInExplorer', { namespace: 'default', kind: 'Service', name: 'web' }],
  ]);
});

test('objects the cluster does not have are "not applied", as a plain label', () => {
  const list = codeLenses(manifest(serviceYaml), lessonView({ services: [] }));
  assert.deepEqual(list[1]?.command, { title: 'not applied', command: '' });
});

test('without a live cluster only the apply lens is offered', () => {
  assert.deepEqual(lenses(serviceYaml, new WorkspaceView({ workspaceObjects: () => [] })), [[0, 'Apply to emulator', 'ksl.applyToEmulator', { uri: URI, documents: [0] }]]);
});

test('a kubeconfig cluster is named in the apply lens', () => {
  const view = new TargetedView({ source: { kind: 'kubeconfig', context: 'prod', url: 'https://10.0.0.1:6443' } }, { source: { kind: 'kubeconfig', context: 'prod', url: 'https://10.0.0.1:6443' } });
  assert.equal(lenses(serviceYaml, view)[0]![1], 'Apply to context prod');
});

test('a Pod says its phase, readiness and IP; other workloads count their pods', () => {
  const podYaml = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web-7d4b9-a\nspec:\n  containers:\n    - name: main\n      image: nginx\n';
  assert.equal(lenses(podYaml, lessonView())[1]![1], 'Running · ready · 10.244.0.15');
  const statefulSet = 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  serviceName: db\n  selector:\n    matchLabels: {app: db}\n  template:\n    metadata:\n      labels: {app: db}\n    spec:\n      containers: [{name: db, image: postgres}]\n';
  const owned = (name: string, ready: boolean) => {
    const p = pod(name, { labels: { app: 'db' }, ready });
    p.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'u', controller: true }];
    return p;
  };
  assert.equal(lenses(statefulSet, lessonView({ pods: [...lessonPods(), owned('db-0', true), owned('db-1', false)] }))[1]![1], '1/2 pods ready');
  assert.equal(lenses(statefulSet, lessonView())[1]![1], 'no pods');
});

test('documents that do not parse, or have no name, get no lenses', () => {
  assert.deepEqual(lenses('apiVersion: v1\nkind: Service\nmetadata:\n  name: [web\n', lessonView()), []);
  assert.deepEqual(lenses('apiVersion: v1\nkind: Service\nspec: {}\n', lessonView()), []);
});
