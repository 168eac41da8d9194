import { test } from 'node:test';
import assert from 'node:assert/strict';
import { columnsFor, toTable } from '../../../emulator/src/apiserver/tables';
import type { Pod, Service } from '../../../emulator/src/api/types';

const now = Date.parse('2026-11-26T07:01:22Z');

const web: Service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: {
    name: 'web',
    namespace: 'default',
    uid: '73fd6ca3-280c-491f-9a38-b5ed664c1d81',
    resourceVersion: '1011',
    creationTimestamp: '2026-11-26T07:01:19Z',
    labels: { app: 'web' },
  },
  spec: { type: 'NodePort', clusterIPs: ['10.96.0.10'], selector: { app: 'web' }, ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }] },
};

test('a list answers with a meta.k8s.io/v1 Table whose rows carry the full metadata as PartialObjectMetadata', () => {
  const table = toTable('services', [web], { now, resourceVersion: '1011', includeObject: 'Metadata' });
  assert.equal(
    JSON.stringify(table),
    JSON.stringify({
      kind: 'Table',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { resourceVersion: '1011' },
      columnDefinitions: columnsFor('services'),
      rows: [
        {
          cells: ['web', 'NodePort', '10.96.0.10', '<none>', '80:30080/TCP', '3s', 'app=web'],
          object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: web.metadata },
        },
      ],
    }),
  );
  assert.deepEqual(
    table.columnDefinitions?.map((c) => [c.name, c.type, c.format, c.priority]),
    [
      ['Name', 'string', 'name', 0],
      ['Type', 'string', '', 0],
      ['Cluster-IP', 'string', '', 0],
      ['External-IP', 'string', '', 0],
      ['Port(s)', 'string', '', 0],
      ['Age', 'string', '', 0],
      ['Selector', 'string', '', 1],
    ],
  );
});

test('includeObject=Object carries the whole object and None carries null', () => {
  assert.equal(toTable('services', [web], { now, includeObject: 'Object' }).rows[0].object, web);
  assert.equal(toTable('services', [web], { now, includeObject: 'None' }).rows[0].object, null);
});

test('watch events after the first carry null column definitions, and an empty list has no rows', () => {
  const event = toTable('services', [web], { now, resourceVersion: '1012', includeObject: 'Metadata', noHeaders: true });
  assert.equal(JSON.stringify(event).includes('"columnDefinitions":null'), true);
  assert.equal(event.rows[0].cells[0], 'web');
  assert.deepEqual(toTable('pods', [], { now, resourceVersion: '7', includeObject: 'Metadata' }).rows, []);
});

test('finished pods carry the Completed row condition between cells and object, as Go orders the keys', () => {
  const failed: Pod = { metadata: { name: 'job-3' }, spec: { containers: [{ name: 'main' }] }, status: { phase: 'Failed' } };
  const row = toTable('pods', [failed], { now, includeObject: 'None' }).rows[0];
  assert.deepEqual(Object.keys(row), ['cells', 'conditions', 'object']);
  assert.deepEqual(row.conditions, [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }]);
  const runningRow = toTable('pods', [{ ...failed, status: { phase: 'Running' } }], { now, includeObject: 'None' }).rows[0];
  assert.deepEqual(Object.keys(runningRow), ['cells', 'object']);
});

test('every printer has one cell per column definition, and the Name column is marked with format name', () => {
  const objects: Record<string, Parameters<typeof toTable>[1][number]> = {
    services: web,
    endpoints: { metadata: { name: 'web' } },
    pods: { metadata: { name: 'p' }, spec: { containers: [] } },
    events: { metadata: { name: 'e' }, involvedObject: {} },
    namespaces: { metadata: { name: 'n' } },
    nodes: { metadata: { name: 'no' } },
    'apps/deployments': { metadata: { name: 'd' }, spec: { selector: {}, template: { spec: { containers: [] } } } },
    'apps/replicasets': { metadata: { name: 'r' }, spec: { selector: {} } },
    'discovery.k8s.io/endpointslices': { metadata: { name: 's' }, addressType: 'IPv4', endpoints: [] },
    configmaps: { metadata: { name: 'c' } },
  };
  for (const [resource, obj] of Object.entries(objects)) {
    const table = toTable(resource, [obj], { now, includeObject: 'None' });
    assert.equal(table.rows[0].cells.length, table.columnDefinitions?.length, resource);
    const nameColumn = table.columnDefinitions?.findIndex((c) => c.format === 'name') ?? -1;
    assert.equal(table.rows[0].cells[nameColumn], obj.metadata.name, resource);
  }
});
