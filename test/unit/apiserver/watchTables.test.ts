// `kubectl get pods -w` over HTTPS: kubectl lists with the Table Accept header, then watches
// from the list's resourceVersion with the same header. Each event's object is a
// meta.k8s.io/v1 Table with one row; only the first event of a connection carries the column
// definitions (apiserver handlers/response.go, watchEmbeddedEncoder sets NoHeaders after it),
// and the Table's resourceVersion is the event's.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { columnsFor } from '../../../emulator/src/apiserver/tables';
import { R } from '../../../emulator/src/api/resources';
import type { Pod } from '../../../emulator/src/api/types';
import { rt, serviceManifest } from '../registry/registryFixtures';
import { KUBECTL_TABLE_ACCEPT, startApiFixture, type ApiFixture, type WatchEvent } from './apiServerFixture';

let api: ApiFixture;

before(async () => {
  api = await startApiFixture();
});

after(async () => {
  await api?.close();
});

interface TableObject {
  kind: string;
  apiVersion: string;
  metadata: { resourceVersion?: string };
  columnDefinitions: unknown[] | null;
  rows: { cells: unknown[]; object: { kind?: string; metadata?: { name?: string; uid?: string; resourceVersion?: string } } | null }[];
}

function tableOf(event: WatchEvent): TableObject {
  const table = event.object as unknown as TableObject;
  assert.equal(table.kind, 'Table');
  assert.equal(table.apiVersion, 'meta.k8s.io/v1');
  assert.equal(table.rows.length, 1, 'one row per event');
  return table;
}

function pod(name: string): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'web', image: 'nginx' }] } };
}

async function listResourceVersion(path: string): Promise<string> {
  const list = await api.get(path, KUBECTL_TABLE_ACCEPT);
  assert.equal(list.code, 200);
  const rv = (list.body as TableObject).metadata.resourceVersion;
  assert.ok(rv);
  return rv;
}

test('kubectl get pods -w: a Table per event, column definitions only on the first, the event\'s resourceVersion on each', async () => {
  const rv = await listResourceVersion('/api/v1/namespaces/default/pods?limit=500');
  const watch = await api.watch(`/api/v1/namespaces/default/pods?resourceVersion=${rv}&watch=true`, KUBECTL_TABLE_ACCEPT);
  const { registry } = api.cluster;
  const pods = rt(R.pods);

  const created = registry.create(pods, 'default', pod('web-1')).object as Pod;
  const running = registry.update(pods, 'default', 'web-1', { ...structuredClone(created), status: { phase: 'Running' } }, { subresource: 'status' })
    .object as Pod;
  const gone = registry.delete(pods, 'default', 'web-1').object;

  const added = await watch.next();
  const modified = await watch.next();
  const deleted = await watch.next();
  watch.close();

  assert.deepEqual([added.type, modified.type, deleted.type], ['ADDED', 'MODIFIED', 'DELETED']);
  const [a, m, d] = [tableOf(added), tableOf(modified), tableOf(deleted)];

  assert.deepEqual(a.columnDefinitions, columnsFor('pods'));
  assert.deepEqual(
    a.columnDefinitions?.map((c) => (c as { name: string }).name),
    ['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP', 'Node', 'Nominated Node', 'Readiness Gates'],
  );
  assert.equal(m.columnDefinitions, null);
  assert.equal(d.columnDefinitions, null);

  assert.deepEqual(a.rows[0].cells.slice(0, 5), ['web-1', '0/1', 'Pending', '0', '0s']);
  assert.deepEqual(m.rows[0].cells.slice(0, 3), ['web-1', '0/1', 'Running']);
  assert.equal(d.rows[0].cells[0], 'web-1');

  assert.equal(a.metadata.resourceVersion, created.metadata.resourceVersion);
  assert.equal(m.metadata.resourceVersion, running.metadata.resourceVersion);
  assert.ok(Number(d.metadata.resourceVersion) > Number(running.metadata.resourceVersion), 'a deletion has its own resourceVersion');
  assert.equal(gone.metadata.uid, created.metadata.uid);

  // kubectl reads the row's object for -A, --show-labels and -L: PartialObjectMetadata by default.
  const row = a.rows[0].object;
  assert.equal(row?.kind, 'PartialObjectMetadata');
  assert.equal(row?.metadata?.name, 'web-1');
  assert.equal(row?.metadata?.uid, created.metadata.uid);
});

test('a watch from resourceVersion 0 on one name (kubectl get svc web -w) starts with a synthetic ADDED that carries the columns', async () => {
  const { registry } = api.cluster;
  const services = rt(R.services);
  registry.create(services, 'default', serviceManifest('web'));
  registry.create(services, 'default', serviceManifest('other'));
  const watch = await api.watch(
    '/api/v1/namespaces/default/services?fieldSelector=metadata.name%3Dweb&resourceVersion=0&watch=true',
    KUBECTL_TABLE_ACCEPT,
  );

  const first = await watch.next();
  assert.equal(first.type, 'ADDED');
  assert.deepEqual(tableOf(first).columnDefinitions, columnsFor('services'));
  assert.equal(tableOf(first).rows[0].cells[0], 'web');

  const other = registry.get(services, 'default', 'other');
  registry.update(services, 'default', 'other', { ...structuredClone(other), metadata: { ...structuredClone(other.metadata), labels: { seen: 'no' } } });
  const web = registry.get(services, 'default', 'web');
  registry.update(services, 'default', 'web', { ...structuredClone(web), metadata: { ...structuredClone(web.metadata), labels: { seen: 'yes' } } });

  const second = await watch.next();
  watch.close();
  assert.equal(second.type, 'MODIFIED');
  const table = tableOf(second);
  assert.equal(table.columnDefinitions, null);
  assert.equal(table.rows[0].cells[0], 'web', 'the change to "other" was filtered out');
  assert.equal(table.rows[0].cells[6], 'app=web');
});

test('every watch connection gets the column definitions on its own first event', async () => {
  const rv = await listResourceVersion('/api/v1/namespaces/default/pods');
  const path = `/api/v1/namespaces/default/pods?resourceVersion=${rv}&watch=true`;
  const one = await api.watch(path, KUBECTL_TABLE_ACCEPT);
  const two = await api.watch(path, KUBECTL_TABLE_ACCEPT);
  api.cluster.registry.create(rt(R.pods), 'default', pod('web-2'));
  const [e1, e2] = [await one.next(), await two.next()];
  one.close();
  two.close();
  assert.deepEqual(tableOf(e1).columnDefinitions, columnsFor('pods'));
  assert.deepEqual(tableOf(e2).columnDefinitions, columnsFor('pods'));
});

test('includeObject=None and Object change what each row carries; a plain JSON watch carries the objects themselves', async () => {
  const rv = await listResourceVersion('/api/v1/namespaces/default/pods');
  const base = `/api/v1/namespaces/default/pods?resourceVersion=${rv}&watch=true`;
  const none = await api.watch(`${base}&includeObject=None`, KUBECTL_TABLE_ACCEPT);
  const whole = await api.watch(`${base}&includeObject=Object`, KUBECTL_TABLE_ACCEPT);
  const plain = await api.watch(base, 'application/json');
  const created = api.cluster.registry.create(rt(R.pods), 'default', pod('web-3')).object;

  const [n, w, p] = [await none.next(), await whole.next(), await plain.next()];
  for (const s of [none, whole, plain]) s.close();

  assert.equal(tableOf(n).rows[0].object, null);
  assert.deepEqual(tableOf(w).rows[0].object, created);
  assert.equal(p.type, 'ADDED');
  assert.deepEqual(p.object, created);
});
