import { test } from 'node:test';
import assert from 'node:assert/strict';
import { columnsFor, rowFor } from '../../../emulator/src/apiserver/tables';
import type { Event, KubeObject, Namespace, Node } from '../../../emulator/src/api/types';

const now = Date.parse('2026-11-26T07:10:00Z');
const ago = (ms: number): string => new Date(now - ms).toISOString().replace('.000Z', 'Z');

test('an event row names the object as kind/name in lower case, and the wide cells add source, first seen and count', () => {
  const event: Event = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'web.17f5a3c2b1e0d9a8', namespace: 'default' },
    involvedObject: { kind: 'Service', namespace: 'default', name: 'web', uid: '73fd6ca3-280c-491f-9a38-b5ed664c1d81' },
    reason: 'FailedToUpdateEndpoint',
    message: 'Failed to update endpoint default/web: the object has been modified\n',
    source: { component: 'endpoint-controller' },
    firstTimestamp: ago(600_000),
    lastTimestamp: ago(45_000),
    count: 4,
    type: 'Warning',
  };
  assert.deepEqual(
    columnsFor('events').map((c) => `${c.name}/${c.priority}`),
    ['Last Seen/0', 'Type/0', 'Reason/0', 'Object/0', 'Subobject/1', 'Source/1', 'Message/0', 'First Seen/1', 'Count/1', 'Name/1'],
  );
  assert.deepEqual(rowFor('events', event, now), [
    '45s',
    'Warning',
    'FailedToUpdateEndpoint',
    'service/web',
    '',
    'endpoint-controller',
    'Failed to update endpoint default/web: the object has been modified',
    '10m',
    4,
    'web.17f5a3c2b1e0d9a8',
  ]);
});

test('events from the events.k8s.io API fall back to eventTime, the reporting controller and a count of one', () => {
  const event: Event = {
    metadata: { name: 'web-abc.1', namespace: 'default' },
    involvedObject: { kind: 'Pod', name: 'web-abc', fieldPath: 'spec.containers{nginx}' },
    reason: 'Pulled',
    message: 'Container image "nginx:1.27" already present on machine',
    eventTime: '2026-11-26T07:09:30.123456Z',
    firstTimestamp: null,
    lastTimestamp: null,
    reportingComponent: 'kubelet',
    reportingInstance: 'minikube',
    type: 'Normal',
  };
  assert.deepEqual(rowFor('events', event, now).slice(0, 9), [
    '29s',
    'Normal',
    'Pulled',
    'pod/web-abc',
    'spec.containers{nginx}',
    'kubelet, minikube',
    'Container image "nginx:1.27" already present on machine',
    '29s',
    1,
  ]);
  const series = { ...event, series: { count: 7, lastObservedTime: ago(5_000) } };
  assert.deepEqual([rowFor('events', series, now)[0], rowFor('events', series, now)[8]], ['5s', 7]);
});

test('nodes show Ready, their roles from node-role labels, the kubelet version and, wide, the node info', () => {
  const node: Node = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: 'minikube',
      creationTimestamp: ago(3 * 86_400_000 + 5 * 3_600_000),
      labels: { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/hostname': 'minikube' },
    },
    spec: { podCIDR: '10.244.0.0/24' },
    status: {
      conditions: [
        { type: 'MemoryPressure', status: 'False' },
        { type: 'Ready', status: 'True' },
      ],
      addresses: [
        { type: 'InternalIP', address: '192.168.49.2' },
        { type: 'Hostname', address: 'minikube' },
      ],
      nodeInfo: { kubeletVersion: 'v1.32.0', osImage: 'Ubuntu 22.04.5 LTS', kernelVersion: '6.8.0-45-generic', containerRuntimeVersion: 'docker://27.4.0' },
    },
  };
  assert.deepEqual(rowFor('nodes', node, now), [
    'minikube',
    'Ready',
    'control-plane',
    '3d5h',
    'v1.32.0',
    '192.168.49.2',
    '<none>',
    'Ubuntu 22.04.5 LTS',
    '6.8.0-45-generic',
    'docker://27.4.0',
  ]);
  const cordoned: Node = { ...node, metadata: { ...node.metadata, labels: {} }, spec: { unschedulable: true } as Node['spec'], status: {} };
  assert.deepEqual(rowFor('nodes', cordoned, now).slice(1, 5), ['Unknown,SchedulingDisabled', '<none>', '3d5h', '']);
  assert.deepEqual(rowFor('nodes', cordoned, now).slice(7), ['<unknown>', '<unknown>', '<unknown>']);
});

test('namespaces show their phase and age', () => {
  const ns: Namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default', creationTimestamp: ago(694 * 86_400_000) }, status: { phase: 'Active' } };
  assert.deepEqual(rowFor('namespaces', ns, now), ['default', 'Active', '694d']);
  assert.deepEqual(rowFor('namespaces', { metadata: { name: 'new' } }, now), ['new', '', '<unknown>']);
});

test('resources without a printer get the default Name / Created At table', () => {
  const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'kube-system', creationTimestamp: '2026-11-26T07:01:19Z' } };
  assert.deepEqual(columnsFor('configmaps').map((c) => [c.name, c.type, c.format]), [
    ['Name', 'string', 'name'],
    ['Created At', 'date', ''],
  ]);
  assert.deepEqual(rowFor('configmaps', cm, now), ['coredns', '2026-11-26T07:01:19Z']);
});
