// Hovers on a Service document against a fake cluster: the exact Markdown a user reads on the
// name (addresses, DNS names, ports, endpoints), the selector (the pods it matches), a
// targetPort (the containers exposing it) and a nodePort (where the host reaches it).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterView } from '../../../../server/src/cluster/clusterView';
import { WorkspaceView } from '../../../../server/src/cluster/workspaceView';
import { hover } from '../../../../server/src/features/hover';
import type { KubeObject } from '../../../../server/src/validation/kubeTypes';
import { FakeClusterView, pod } from '../cluster/fakeClusterView';
import { caret, endpointSlice, lessonPods, lessonView, liveService, manifest, TargetedView } from './featureFixtures';

function hoverText(marked: string, view: ClusterView): string | undefined {
  const { text, position } = caret(marked);
  const h = hover(manifest(text), position, view);
  if (!h) return undefined;
  return typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : JSON.stringify(h.contents);
}

const service = (body: string): string => `apiVersion: v1\nkind: Service\nmetadata:\n  name: w<|>eb\nspec:\n${body}`;

test('the name of a running Service shows its address, DNS names, ports and endpoints table', () => {
  const text = hoverText(service('  selector:\n    app: web\n  ports:\n    - port: 80\n      targetPort: 80\n'), lessonView());
  assert.equal(
    text,
    [
      '**Service** `default/web` · ClusterIP',
      '',
      'ClusterIP `10.96.12.4`',
      '',
      '**DNS** `web` · `web.default` · `web.default.svc` · `web.default.svc.cluster.local`',
      '',
      '**Ports**',
      '- 80/TCP → targetPort 80',
      '',
      '**Endpoints** 3/3 ready',
      '',
      '| Pod | IP:port | Ready | Node |',
      '| --- | --- | --- | --- |',
      '| web-7d4b9-a | 10.244.0.15:80 | yes | ksl |',
      '| web-7d4b9-b | 10.244.0.16:80 | yes | ksl |',
      '| web-7d4b9-c | 10.244.0.17:80 | yes | ksl |',
    ].join('\n'),
  );
});

test('the hover range is the name itself, in file coordinates after an earlier document', () => {
  const { text, position } = caret(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n---\n${service('  selector:\n    app: web\n')}`);
  const h = hover(manifest(text), position, lessonView());
  assert.deepEqual(h?.range, { start: { line: 8, character: 8 }, end: { line: 8, character: 11 } });
});

test('a NodePort Service shows each port from port to host URL, and endpoints per port', () => {
  const pods = lessonPods().slice(0, 2);
  const view = new FakeClusterView({
    pods,
    services: [
      liveService('web', {
        type: 'NodePort',
        ports: [
          { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP', nodePort: 30080 },
          { name: 'metrics', port: 9113, targetPort: 9113, protocol: 'TCP', nodePort: 31999 },
        ],
      }),
    ],
    endpointSlices: [
      endpointSlice(
        'web',
        [
          { ip: '10.244.0.16', pod: 'web-7d4b9-b', ready: false },
          { ip: '10.244.0.15', pod: 'web-7d4b9-a' },
        ],
        [
          { name: 'http', port: 80 },
          { name: 'metrics', port: 9113 },
        ],
      ),
    ],
  });
  const text = hoverText(service('  type: NodePort\n  selector:\n    app: web\n  ports:\n    - name: http\n      port: 80\n'), view);
  assert.equal(
    text,
    [
      '**Service** `default/web` · NodePort',
      '',
      'ClusterIP `10.96.12.4`',
      '',
      '**DNS** `web` · `web.default` · `web.default.svc` · `web.default.svc.cluster.local`',
      '',
      '**Ports**',
      '- `http` 80/TCP → targetPort http → nodePort 30080 → http://127.0.0.1:30080',
      '- `metrics` 9113/TCP → targetPort 9113 → nodePort 31999 → http://127.0.0.1:31999',
      '',
      '**Endpoints** 1/2 ready',
      '',
      '| Pod | IP:port | Ready | Node |',
      '| --- | --- | --- | --- |',
      '| web-7d4b9-a | 10.244.0.15:80 | yes | ksl |',
      '| web-7d4b9-a | 10.244.0.15:9113 | yes | ksl |',
      '| web-7d4b9-b | 10.244.0.16:80 | no | ksl |',
      '| web-7d4b9-b | 10.244.0.16:9113 | no | ksl |',
    ].join('\n'),
  );
});

test('on a real cluster the nodePort is named on every node, since the view does not list nodes', () => {
  const view = new FakeClusterView({
    source: { kind: 'kubeconfig', context: 'prod', url: 'https://10.0.0.1:6443' },
    services: [liveService('web', { type: 'NodePort', ports: [{ port: 80, targetPort: 80, protocol: 'TCP', nodePort: 30080 }] })],
  });
  const text = hoverText(service('  type: NodePort\n  selector:\n    app: web\n'), view) ?? '';
  assert.ok(text.includes("- 80/TCP → targetPort 80 → nodePort 30080 → port 30080 of every node (the editor does not read the cluster's nodes, so it cannot name their addresses)"), text);
  assert.ok(text.endsWith('**Endpoints** none: no pod that the selector matches is running'), text);
});

test('headless, LoadBalancer and ExternalName Services say what their addresses are', () => {
  const headless = hoverText(service('  clusterIP: None\n'), lessonView({ services: [liveService('web', { clusterIP: 'None', clusterIPs: ['None'] })] })) ?? '';
  assert.ok(headless.includes("ClusterIP `None`: headless, the DNS names resolve to the ready pods' IPs"), headless);
  const lb = hoverText(service('  type: LoadBalancer\n'), lessonView({ services: [liveService('web', { type: 'LoadBalancer' })] })) ?? '';
  assert.ok(lb.includes('ClusterIP `10.96.12.4` · External IP `<pending>`'), lb);
  const external = hoverText(
    service('  type: ExternalName\n  externalName: db.example.com\n'),
    lessonView({ services: [liveService('web', { type: 'ExternalName', clusterIP: undefined, clusterIPs: undefined, externalName: 'db.example.com', selector: undefined, ports: undefined })] }),
  );
  assert.equal(
    external,
    ['**Service** `default/web` · ExternalName', '', 'External name `db.example.com`: the DNS names are CNAMEs to it', '', '**DNS** `web` · `web.default` · `web.default.svc` · `web.default.svc.cluster.local`'].join('\n'),
  );
});

test('a Service that is not in the cluster says so, and which names it will get', () => {
  const view = lessonView({ services: [] });
  assert.equal(
    hoverText(service('  selector:\n    app: web\n'), view),
    [
      '**Service** `default/web` · ClusterIP',
      '',
      'Not applied to emulator at https://127.0.0.1:4321: no ClusterIP or endpoints yet.',
      '',
      '**DNS** (once applied) `web` · `web.default` · `web.default.svc` · `web.default.svc.cluster.local`',
    ].join('\n'),
  );
});

test('without a cluster the hover names the source, and the cluster domain comes from the emulator', () => {
  const workspace = new WorkspaceView({ workspaceObjects: () => [], reason: () => 'the emulator is not running' });
  assert.equal(
    hoverText(service(''), workspace),
    [
      '**Service** `default/web` · ClusterIP',
      '',
      'No cluster: workspace pod templates (the emulator is not running).',
      '',
      '**DNS** (once applied) `web` · `web.default` · `web.default.svc` · `web.default.svc.cluster.local`',
    ].join('\n'),
  );
  const custom = new TargetedView({ services: [] }, { emulator: { dns: '127.0.0.1:5353', clusterDomain: 'lab.internal' } });
  assert.ok(hoverText(service(''), custom)?.includes('`web.default.svc.lab.internal`'));
});

test('the selector lists the pods it matches with phase, readiness and IP', () => {
  const pods = [...lessonPods(), pod('web-old', { labels: { app: 'web' }, deleting: true }), pod('db-0', { labels: { app: 'db' } })];
  const text = hoverText('apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: w<|>eb\n', new FakeClusterView({ pods }));
  assert.equal(
    text,
    [
      '**Selector** `app=web` matches 4 pods in `default`, 3 ready',
      '',
      '| Pod | Phase | Ready | IP |',
      '| --- | --- | --- | --- |',
      '| web-7d4b9-a | Running | yes | 10.244.0.15 |',
      '| web-7d4b9-b | Running | yes | 10.244.0.16 |',
      '| web-7d4b9-c | Running | yes | 10.244.0.17 |',
      '| web-old | Terminating | no |  |',
    ].join('\n'),
  );
});

test('a selector that matches nothing says so, in the namespace the Service lands in', () => {
  const text = hoverText('apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  sel<|>ector:\n    app: web\n', lessonView());
  assert.equal(text, '**Selector** `app=web` matches no pod in `shop`');
});

test('with the workspace view the selector names the workloads whose templates match', () => {
  const deployment: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } } },
  };
  const view = new WorkspaceView({ workspaceObjects: () => [deployment], reason: () => 'the emulator is not running' });
  const text = hoverText('apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    a<|>pp: web\n', view);
  assert.equal(text, ['**Selector** `app=web` matches 1 pod template in the workspace in `default` (no cluster is connected)', '', '- Deployment `web`'].join('\n'));
});

test('a targetPort shows the containers that expose it', () => {
  const doc = (target: string): string => `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n    - port: 80\n      targetPort: ${target}\n`;
  assert.equal(
    hoverText(doc('ht<|>tp'), lessonView()),
    ['**targetPort** `http` is exposed by', '', '- container `main` port 80/TCP (`http`) in 3 pods: web-7d4b9-a, web-7d4b9-b, web-7d4b9-c'].join('\n'),
  );
  assert.equal(hoverText(doc('8<|>080'), lessonView()), '**targetPort** `8080`: no container of the 3 selected pods declares 8080/TCP');
  assert.equal(hoverText(doc('htp<|>'), lessonView()), '**targetPort** `htp`: no container of the 3 selected pods declares a port named `htp` for TCP');
});

test('a nodePort shows the URL that reaches it from the host', () => {
  const text = hoverText('apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: NodePort\n  ports:\n    - port: 80\n      nodePort: 300<|>80\n', lessonView());
  assert.equal(text, '**nodePort** `30080` reaches port 80/TCP of `default/web` from outside the cluster at http://127.0.0.1:30080');
});

test('other places and other kinds have no hover', () => {
  assert.equal(hoverText('apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: Cluster<|>IP\n', lessonView()), undefined);
  assert.equal(hoverText('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: w<|>eb\n', lessonView()), undefined);
  assert.equal(hoverText('apiVersion: v1\nkind: Service\nmetadata:\n  name: [w<|>eb\n', lessonView()), undefined);
});
