// Completion in Service documents: enum values, selector keys and values from live pods and
// workspace templates, targetPort names from the selected containers, a free nodePort.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CompletionItem, TextEdit } from 'vscode-languageserver';
import type { ClusterView } from '../../../../server/src/cluster/clusterView';
import { WorkspaceView } from '../../../../server/src/cluster/workspaceView';
import { completion } from '../../../../server/src/features/completion';
import type { KubeObject } from '../../../../server/src/validation/kubeTypes';
import { pod } from '../cluster/fakeClusterView';
import { caret, lessonView, liveService, manifest } from './featureFixtures';

function complete(marked: string, view: ClusterView, workspace: KubeObject[] = []): CompletionItem[] {
  const { text, position } = caret(marked);
  return completion(manifest(text), position, view, workspace);
}

const labels = (items: CompletionItem[]): string[] => items.map((i) => i.label);
const details = (items: CompletionItem[]): [string, string | undefined][] => items.map((i) => [i.label, i.detail]);

const head = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n';

const apiTemplate: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'api' },
  spec: {
    selector: { matchLabels: { app: 'api' } },
    template: { metadata: { labels: { app: 'api', tier: 'backend' } }, spec: { containers: [{ name: 'api', image: 'api', ports: [{ containerPort: 8080, name: 'web' }] }] } },
  },
};

test('the Service type, with each value explained, replacing what is typed', () => {
  const items = complete(`${head}  type: No<|>\n`, lessonView());
  assert.deepEqual(labels(items), ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']);
  assert.deepEqual((items[1]!.textEdit as TextEdit).range, { start: { line: 5, character: 8 }, end: { line: 5, character: 10 } });
  assert.equal((items[1]!.textEdit as TextEdit).newText, 'NodePort');
  assert.match(String((items[1]!.documentation as { value: string }).value), /30000-32767/);
});

test('protocol, sessionAffinity and the traffic policies', () => {
  assert.deepEqual(labels(complete(`${head}  ports:\n    - port: 53\n      protocol: <|>\n`, lessonView())), ['TCP', 'UDP', 'SCTP']);
  assert.deepEqual(labels(complete(`${head}  sessionAffinity: <|>\n`, lessonView())), ['None', 'ClientIP']);
  assert.deepEqual(labels(complete(`${head}  externalTrafficPolicy: <|>\n`, lessonView())), ['Cluster', 'Local']);
  assert.deepEqual(labels(complete(`${head}  internalTrafficPolicy: <|>\n`, lessonView())), ['Cluster', 'Local']);
});

test('selector keys: the pairs that exist on pods and templates, then the keys, without those written', () => {
  const items = complete(`${head}  selector:\n    tier: backend\n    <|>\n  ports:\n    - port: 80\n`, lessonView(), [apiTemplate]);
  assert.deepEqual(details(items), [
    ['app: web', '3 pods'],
    ['pod-template-hash: 7d4b9', '3 pods'],
    ['app: api', '1 workspace pod template'],
    ['app', 'label key on 3 pods, 1 workspace pod template'],
    ['pod-template-hash', 'label key on 3 pods'],
  ]);
  assert.equal((items[0]!.textEdit as TextEdit).newText, 'app: web');
  assert.equal(items[0]!.filterText, 'app');
  assert.equal((items[3]!.textEdit as TextEdit).newText, 'app: ');
});

test('selector keys while the document does not parse yet', () => {
  assert.deepEqual(labels(complete(`${head}  selector:\n    app: web\n    po<|>\n`, lessonView())), ['pod-template-hash: 7d4b9', 'pod-template-hash']);
});

test('selector values for the key, from the namespace the Service lands in', () => {
  const view = lessonView({ pods: [...lessonView().pods(), pod('shop-1', { namespace: 'shop', labels: { app: 'shop' } })] });
  assert.deepEqual(details(complete(`${head}  selector:\n    app: <|>\n`, view, [apiTemplate])), [
    ['web', '3 pods'],
    ['api', '1 workspace pod template'],
  ]);
  const inShop = `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector:\n    app: <|>\n`;
  assert.deepEqual(labels(complete(inShop, view)), ['shop']);
});

test('with the workspace view the templates are the pods, counted once', () => {
  const view = new WorkspaceView({ workspaceObjects: () => [apiTemplate] });
  assert.deepEqual(details(complete(`${head}  selector:\n    app: <|>\n`, view, [apiTemplate])), [['api', '1 workspace pod template']]);
});

test('targetPort: the names the selected containers give their ports, then unnamed port numbers', () => {
  const pods = [pod('web-1', { ports: [{ containerPort: 80, name: 'http' }, { containerPort: 9113 }, { containerPort: 53, name: 'dns', protocol: 'UDP' }] })];
  const items = complete(`${head}  selector:\n    app: web\n  ports:\n    - port: 80\n      targetPort: <|>\n`, lessonView({ pods }));
  assert.deepEqual(details(items), [
    ['http', 'container main port 80/TCP'],
    ['9113', 'container main port 9113/TCP'],
  ]);
  const udp = complete(`${head}  selector:\n    app: web\n  ports:\n    - port: 53\n      protocol: UDP\n      targetPort: <|>\n`, lessonView({ pods }));
  assert.deepEqual(labels(udp), ['dns']);
});

test('nodePort: 30000 + port when free, then the lowest free ports', () => {
  const text = `${head}  type: NodePort\n  ports:\n    - port: 80\n      nodePort: <|>\n`;
  assert.deepEqual(labels(complete(text, lessonView())), ['30080', '30000']);
  const taken = lessonView({ services: [liveService('other', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }, { port: 81, nodePort: 30000 }] })] });
  assert.deepEqual(labels(complete(text, taken)), ['30001', '30002']);
});

test('nothing for other kinds and other fields', () => {
  assert.deepEqual(complete('apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: <|>\n', lessonView()), []);
  assert.deepEqual(complete(`${head}  clusterIP: <|>\n`, lessonView()), []);
});
