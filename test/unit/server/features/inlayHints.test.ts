// Inlay hints on Service documents against a fake cluster: their labels and exactly where
// they stand (end of the name, after the selector's colon, end of each port and nodePort).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { InlayHint } from 'vscode-languageserver';
import type { ClusterView } from '../../../../server/src/cluster/clusterView';
import { WorkspaceView } from '../../../../server/src/cluster/workspaceView';
import { inlayHints } from '../../../../server/src/features/inlayHints';
import { FakeClusterView } from '../cluster/fakeClusterView';
import { endpointSlice, lessonPods, lessonView, liveService, manifest, serviceYaml } from './featureFixtures';

const everything = { start: { line: 0, character: 0 }, end: { line: 1000, character: 0 } };

function hints(text: string, view: ClusterView, range = everything): [number, number, string][] {
  return inlayHints(manifest(text), range, view).map((h: InlayHint) => [h.position.line, h.position.character, String(h.label)]);
}

test('the lesson: ClusterIP after the name, readiness after the selector, endpoints after the port', () => {
  assert.deepEqual(hints(serviceYaml, lessonView()), [
    [3, 11, 'ClusterIP 10.96.12.4'],
    [6, 11, '3/3 ready'],
    [9, 14, '→ 10.244.0.15:80, 10.244.0.16:80 +1'],
  ]);
  const first = inlayHints(manifest(serviceYaml), everything, lessonView())[0]!;
  assert.equal(first.paddingLeft, true);
});

test('a Service the cluster does not have is "not applied", and nothing else is said', () => {
  const list = inlayHints(manifest(serviceYaml), everything, lessonView({ services: [] }));
  assert.deepEqual(
    list.map((h) => [h.position.line, h.label, h.tooltip]),
    [[3, 'not applied', 'Service default/web is not in emulator at https://127.0.0.1:4321']],
  );
});

test('no hints without a live cluster', () => {
  assert.deepEqual(hints(serviceYaml, new WorkspaceView({ workspaceObjects: () => [] })), []);
  assert.deepEqual(hints(serviceYaml, lessonView({ connected: false })), []);
});

test('nodePorts get their host URL, written or allocated', () => {
  const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: NodePort\n  selector: {app: web}\n  ports:\n  - port: 80\n    nodePort: 30080\n  - port: 443\n';
  const pods = lessonPods().slice(0, 1);
  const view = new FakeClusterView({
    pods,
    services: [
      liveService('web', {
        type: 'NodePort',
        ports: [
          { name: 'a', port: 80, targetPort: 80, protocol: 'TCP', nodePort: 30080 },
          { name: 'b', port: 443, targetPort: 443, protocol: 'TCP', nodePort: 31234 },
        ],
      }),
    ],
    endpointSlices: [
      endpointSlice('web', [{ ip: '10.244.0.15', pod: 'web-7d4b9-a' }], [
        { name: 'a', port: 80 },
        { name: 'b', port: 443 },
      ]),
    ],
  });
  assert.deepEqual(hints(text, view), [
    [3, 11, 'ClusterIP 10.96.12.4'],
    [6, 22, '1/1 ready'],
    [8, 12, '→ 10.244.0.15:80'],
    [9, 19, '→ http://127.0.0.1:30080'],
    [10, 13, '→ 10.244.0.15:443'],
    [10, 13, 'nodePort 31234 → http://127.0.0.1:31234'],
  ]);
});

test('pods that are not ready, and no pods at all', () => {
  const unready = lessonPods(false);
  assert.deepEqual(hints(serviceYaml, lessonView({ pods: unready, endpointSlices: [endpointSlice('web', unready.map((p) => ({ ip: p.status!.podIP!, pod: p.metadata.name!, ready: false })), [{ port: 80 }])] })), [
    [3, 11, 'ClusterIP 10.96.12.4'],
    [6, 11, '0/3 ready'],
    [9, 14, '→ no ready endpoints (3 not ready)'],
  ]);
  assert.deepEqual(hints(serviceYaml, lessonView({ pods: [], endpointSlices: [] })), [
    [3, 11, 'ClusterIP 10.96.12.4'],
    [6, 11, 'no pods'],
    [9, 14, '→ no endpoints'],
  ]);
});

test('headless and LoadBalancer Services show what kubectl get svc shows', () => {
  assert.equal(hints(serviceYaml, lessonView({ services: [liveService('web', { clusterIP: 'None' })] }))[0]![2], 'ClusterIP None');
  const lb = liveService('web', { type: 'LoadBalancer' });
  assert.equal(hints(serviceYaml, lessonView({ services: [lb] }))[0]![2], 'ClusterIP 10.96.12.4 · external <pending>');
  lb.status = { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } };
  assert.equal(hints(serviceYaml, lessonView({ services: [lb] }))[0]![2], 'ClusterIP 10.96.12.4 · external 127.0.0.1');
});

test('only the hints inside the requested range, in file coordinates', () => {
  const text = `${serviceYaml}---\n${serviceYaml.replace('name: web', 'name: api')}`;
  const view = lessonView({ services: [liveService('web'), liveService('api', { clusterIP: '10.96.0.99' })] });
  assert.deepEqual(hints(text, view, { start: { line: 12, character: 0 }, end: { line: 17, character: 0 } }), [
    [15, 11, 'ClusterIP 10.96.0.99'],
  ]);
});
