// The watch-fed cache against a scripted API server: it lists every resource with the
// connection's credentials, follows watch events one by one, resumes from bookmarks, relists
// on 410 Gone, narrows to the context's namespace when RBAC forbids the cluster-wide list,
// and reports refused credentials and lost connections in words, retrying until they heal.

import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestOptions } from 'node:https';
import { KubeApiView } from '../../../../server/src/cluster/kubeApiView';
import type { Pod } from '../../../../server/src/validation/kubeTypes';
import { FakeApiServer } from './fakeApiServer';
import { pod } from './fakeClusterView';
import { untilView } from './viewWait';

const PODS = '/api/v1/pods';

let api: FakeApiServer | undefined;
let view: KubeApiView | undefined;

afterEach(async () => {
  view?.dispose();
  await view?.closed();
  await api?.stop();
  view = undefined;
  api = undefined;
});

function withRv(p: Pod, rv: string): Pod {
  return { ...p, metadata: { ...p.metadata, resourceVersion: rv } };
}

async function start(setup: (api: FakeApiServer) => void = () => undefined): Promise<{ api: FakeApiServer; view: KubeApiView }> {
  api = new FakeApiServer();
  setup(api);
  const url = await api.start();
  view = new KubeApiView({
    connection: {
      server: url,
      prepare: async (o: RequestOptions) => {
        o.headers = { ...o.headers, Authorization: 'Bearer t0k3n' };
      },
    },
    source: { kind: 'kubeconfig', context: 'test', url },
    label: `context test at ${url}`,
    defaultNamespace: 'default',
    log: () => undefined,
    rand: () => 0,
  });
  return { api, view };
}

const podNames = (v: KubeApiView, ns?: string) => v.pods(ns).map((p) => p.metadata.name).sort();

test('lists every resource with the credentials, then follows watch events into the indexes', async () => {
  const { api, view } = await start((a) => {
    a.setList(PODS, [withRv(pod('web-a'), '5')], '10');
    a.setList('/api/v1/namespaces', [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }], '10');
  });
  await untilView(view, () => view.connected, 'the first sync');
  assert.equal(view.describe(), `context test at ${api.url}`);
  assert.deepEqual(podNames(view), ['web-a']);
  assert.equal(view.pods()[0].kind, 'Pod', 'list items get their kind back');
  assert.deepEqual(view.namespaces(), ['default', 'shop']);
  for (const path of [PODS, '/api/v1/services', '/apis/discovery.k8s.io/v1/endpointslices', '/apis/apps/v1/deployments', '/api/v1/namespaces']) {
    const list = await api.nextRequest((r) => r.path === path && !r.query.has('watch'));
    assert.equal(list.authorization, 'Bearer t0k3n');
    assert.equal(list.query.get('limit'), '500');
  }
  const watch = await api.nextRequest((r) => r.path === PODS && r.query.get('watch') === '1');
  assert.equal(watch.query.get('resourceVersion'), '10');
  assert.equal(watch.query.get('allowWatchBookmarks'), 'true');
  assert.equal(watch.query.get('timeoutSeconds'), '300');

  api.push(PODS, 'ADDED', withRv(pod('web-b', { namespace: 'shop' }), '11'));
  api.push(PODS, 'ADDED', withRv(pod('web-c'), '12'));
  await untilView(view, () => view.pods().length === 3, 'two added pods');
  assert.deepEqual(podNames(view, 'default'), ['web-a', 'web-c']);
  assert.deepEqual(podNames(view, 'shop'), ['web-b']);

  api.push(PODS, 'MODIFIED', withRv(pod('web-a', { ready: false }), '13'));
  api.push(PODS, 'DELETED', withRv(pod('web-c'), '14'));
  await untilView(view, () => view.pods('default').length === 1, 'the deletion');
  assert.equal(view.pods('default')[0].status?.conditions?.[0].status, 'False');

  const slice = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'web-x1', namespace: 'default', resourceVersion: '15', labels: { 'kubernetes.io/service-name': 'web' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['10.244.0.5'], conditions: { ready: true } }],
  };
  await api.nextRequest((r) => r.path === '/apis/discovery.k8s.io/v1/endpointslices' && r.query.get('watch') === '1');
  api.push('/apis/discovery.k8s.io/v1/endpointslices', 'ADDED', slice);
  await untilView(view, () => view.endpointSlices('default', 'web').length === 1, 'the slice');
  assert.deepEqual(view.endpointSlices('default', 'other'), []);
});

test('a watch that ends resumes from the last bookmark', async () => {
  const { api, view } = await start((a) => a.setList(PODS, [], '20'));
  await untilView(view, () => view.connected, 'the first sync');
  await api.nextRequest((r) => r.path === PODS && r.query.get('watch') === '1');
  api.push(PODS, 'BOOKMARK', { kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: '42' } });
  const seen = api.requests.length;
  // The bookmark is written before the end, so it has been read once the watch is reopened.
  api.endWatches(PODS);
  const rewatch = await api.nextRequest((r) => r.path === PODS && r.query.get('watch') === '1', seen);
  assert.equal(rewatch.query.get('resourceVersion'), '42');
  assert.equal(view.connected, true, 'a watch that ends normally is not a lost connection');
});

test('410 Gone on the watch relists and the cache takes the new contents', async () => {
  const { api, view } = await start((a) => a.setList(PODS, [withRv(pod('web-a'), '5'), withRv(pod('web-b'), '6')], '10'));
  await untilView(view, () => view.connected, 'the first sync');
  await api.nextRequest((r) => r.path === PODS && r.query.get('watch') === '1');
  api.setList(PODS, [withRv(pod('web-b'), '6'), withRv(pod('web-c'), '30')], '31');
  const seen = api.requests.length;
  api.push(PODS, 'ERROR', { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'too old resource version: 10 (31)', reason: 'Expired', code: 410 });
  await untilView(view, () => podNames(view).join() === 'web-b,web-c', 'the relisted pods');
  const rewatch = await api.nextRequest((r) => r.path === PODS && r.query.get('watch') === '1', seen);
  assert.equal(rewatch.query.get('resourceVersion'), '31');
});

test('refused credentials disconnect the view with a clear description, and it recovers when they work', async () => {
  let refuse = true;
  const { api, view } = await start((a) => {
    a.failWith = () => (refuse ? { status: 401, message: 'Unauthorized' } : undefined);
  });
  await api.nextRequest((r) => r.path === PODS);
  await untilView(view, () => /refused/.test(view.describe()), 'the failure to show');
  assert.equal(view.connected, false);
  assert.equal(view.describe(), `context test at ${api.url}: the server refused the credentials (401 Unauthorized: Unauthorized), retrying`);
  refuse = false;
  await untilView(view, () => view.connected, 'the retry to succeed');
});

test('a forbidden cluster-wide list narrows to the context namespace; forbidden namespaces are not fatal', async () => {
  const { api, view } = await start((a) => {
    a.setList(PODS, [withRv(pod('web-a'), '5'), withRv(pod('other', { namespace: 'kube-system' }), '6')], '10');
    a.failWith = (r) =>
      r.path === PODS || r.path === '/api/v1/namespaces'
        ? { status: 403, message: `pods is forbidden: User "dev" cannot list resource "pods" in API group "" at the cluster scope` }
        : undefined;
  });
  await untilView(view, () => view.connected, 'the sync in the namespace');
  assert.deepEqual(podNames(view), ['web-a']);
  assert.deepEqual(view.namespaces(), ['default']);
  const watch = await api.nextRequest((r) => r.path === '/api/v1/namespaces/default/pods' && r.query.get('watch') === '1');
  assert.equal(watch.query.get('resourceVersion'), '10');
});

test('a server that goes away disconnects the view, keeping what it knew', async () => {
  const { api, view } = await start((a) => a.setList(PODS, [withRv(pod('web-a'), '5')], '10'));
  await untilView(view, () => view.connected, 'the first sync');
  await api.stop();
  await untilView(view, () => !view.connected, 'the loss');
  assert.match(view.describe(), /: unreachable \(connect ECONNREFUSED 127\.0\.0\.1:\d+\), retrying$/);
  assert.deepEqual(podNames(view), ['web-a']);
});

test('garbage on a watch is a failure that ends in a relist, not a crash', async () => {
  const { api, view } = await start((a) => a.setList(PODS, [], '10'));
  await untilView(view, () => view.connected, 'the first sync');
  await api.nextRequest((r) => r.path === PODS && r.query.get('watch') === '1');
  api.push(PODS, 'ADDED', { metadata: 'not an object' });
  api.setList(PODS, [withRv(pod('web-ok'), '11')], '11');
  api.pushRaw(PODS, '{"type": "ADDED", "object": {\n');
  await untilView(view, () => view.connected && view.pods().length === 1, 'the relist after the bad line');
  assert.deepEqual(podNames(view), ['web-ok']);
});
