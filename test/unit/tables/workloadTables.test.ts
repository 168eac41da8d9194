import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rowFor, toTable } from '../../../emulator/src/apiserver/tables';
import type { Deployment, Pod, ReplicaSet } from '../../../emulator/src/api/types';
import { kubectlText } from './kubectlText';

const now = Date.parse('2026-11-26T07:10:00Z');
const ago = (ms: number): string => new Date(now - ms).toISOString();

function pod(name: string, status: Record<string, unknown>, extra: { spec?: Record<string, unknown>; deletionTimestamp?: string } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      creationTimestamp: ago(3000),
      labels: { app: 'web', 'pod-template-hash': 'd9bb730977' },
      ...(extra.deletionTimestamp ? { deletionTimestamp: extra.deletionTimestamp } : {}),
    },
    spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }], nodeName: 'minikube', ...extra.spec },
    status: status as Pod['status'],
  };
}

const running = (ip: string) => ({
  phase: 'Running',
  podIP: ip,
  podIPs: [{ ip }],
  conditions: [
    { type: 'Initialized', status: 'True' },
    { type: 'Ready', status: 'True' },
    { type: 'ContainersReady', status: 'True' },
    { type: 'PodScheduled', status: 'True' },
  ],
  containerStatuses: [{ name: 'nginx', ready: true, restartCount: 0, started: true, state: { running: { startedAt: ago(2000) } } }],
});

test('a running pod prints as kubectl get pods -o wide shows it', () => {
  const table = toTable('pods', [pod('web-d9bb730977-547dx', running('10.244.0.6'))], { now, includeObject: 'Metadata' });
  assert.equal(
    kubectlText(table, true),
    [
      'NAME                   READY   STATUS    RESTARTS   AGE   IP           NODE       NOMINATED NODE   READINESS GATES',
      'web-d9bb730977-547dx   1/1     Running   0          3s    10.244.0.6   minikube   <none>           <none>',
    ].join('\n'),
  );
});

test('a pod waiting for its container is Pending with the waiting reason and no IP', () => {
  const pending = pod('web-1', {
    phase: 'Pending',
    conditions: [{ type: 'PodScheduled', status: 'True' }],
    containerStatuses: [{ name: 'nginx', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }],
  });
  assert.deepEqual(rowFor('pods', pending, now), ['web-1', '0/1', 'ContainerCreating', '0', '3s', '<none>', 'minikube', '<none>', '<none>']);
  const unscheduled = pod('web-2', { phase: 'Pending' }, { spec: { nodeName: undefined } });
  assert.deepEqual(rowFor('pods', unscheduled, now).slice(1, 7), ['0/1', 'Pending', '0', '3s', '<none>', '<none>']);
  const gated = pod('web-3', { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] });
  assert.equal(rowFor('pods', gated, now)[2], 'SchedulingGated');
});

test('a pod being deleted is Terminating until its phase is terminal', () => {
  const deleting = pod('web-d9bb730977-4xf7b', running('10.244.0.7'), { deletionTimestamp: ago(0) });
  assert.deepEqual(rowFor('pods', deleting, now).slice(0, 5), ['web-d9bb730977-4xf7b', '1/1', 'Terminating', '0', '3s']);
  const finished = pod('job-1', { phase: 'Succeeded' }, { deletionTimestamp: ago(0) });
  assert.equal(rowFor('pods', finished, now)[2], 'Succeeded');
  const lost = pod('web-4', { ...running('10.244.0.8'), reason: 'NodeLost' }, { deletionTimestamp: ago(0) });
  assert.equal(rowFor('pods', lost, now)[2], 'Unknown');
});

test('restarts show when the last container restarted, and the first container decides the status', () => {
  const crashing = pod('web-5', {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: 'False' }],
    containerStatuses: [
      {
        name: 'nginx',
        ready: false,
        restartCount: 3,
        state: { waiting: { reason: 'CrashLoopBackOff' } },
        lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(150_000) } },
      },
      { name: 'sidecar', ready: true, restartCount: 1, state: { running: {} }, lastState: { terminated: { exitCode: 0, finishedAt: ago(600_000) } } },
    ],
  });
  crashing.spec.containers.push({ name: 'sidecar' });
  assert.deepEqual(rowFor('pods', crashing, now).slice(1, 4), ['1/2', 'CrashLoopBackOff', '4 (2m30s ago)']);
  const exited = pod('web-6', {
    phase: 'Running',
    containerStatuses: [{ name: 'nginx', ready: false, restartCount: 0, state: { terminated: { exitCode: 137, signal: 0 } } }],
  });
  assert.equal(rowFor('pods', exited, now)[2], 'ExitCode:137');
});

test('a finished pod is Completed, and a completed container next to a running one reads Running or NotReady', () => {
  const done = pod('job-2', {
    phase: 'Succeeded',
    containerStatuses: [{ name: 'nginx', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }],
  });
  assert.deepEqual(rowFor('pods', done, now).slice(1, 3), ['0/1', 'Completed']);
  const table = toTable('pods', [done], { now, includeObject: 'None' });
  assert.deepEqual(table.rows[0].conditions, [
    { type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' },
  ]);
  const mixed = pod('web-7', {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: 'False' }],
    containerStatuses: [
      { name: 'nginx', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
      { name: 'sidecar', ready: true, restartCount: 0, state: { running: {} } },
    ],
  });
  assert.equal(rowFor('pods', mixed, now)[2], 'NotReady');
});

test('init containers show Init:n/m, Init:<reason>, and sidecars count towards READY', () => {
  const spec = {
    initContainers: [
      { name: 'migrate', image: 'busybox' },
      { name: 'proxy', image: 'envoy', restartPolicy: 'Always' },
    ],
  };
  const first = pod('web-8', {
    phase: 'Pending',
    initContainerStatuses: [
      { name: 'migrate', ready: false, restartCount: 0, state: { running: {} } },
      { name: 'proxy', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } },
    ],
  }, { spec });
  assert.deepEqual(rowFor('pods', first, now).slice(1, 3), ['0/2', 'Init:0/2']);
  const failed = pod('web-9', {
    phase: 'Pending',
    initContainerStatuses: [{ name: 'migrate', ready: false, restartCount: 2, state: { terminated: { exitCode: 1, reason: 'Error' } } }],
  }, { spec });
  assert.deepEqual(rowFor('pods', failed, now).slice(1, 4), ['0/2', 'Init:Error', '2']);
  const started = pod('web-10', {
    ...running('10.244.0.9'),
    initContainerStatuses: [
      { name: 'migrate', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
      { name: 'proxy', ready: true, restartCount: 0, started: true, state: { running: {} } },
    ],
  }, { spec });
  assert.deepEqual(rowFor('pods', started, now).slice(1, 3), ['2/2', 'Running']);
});

test('readiness gates count the gate conditions that are True', () => {
  const gated = pod('web-11', {
    ...running('10.244.0.10'),
    conditions: [{ type: 'example.com/lb-ready', status: 'True' }, { type: 'Ready', status: 'True' }],
  }, { spec: { readinessGates: [{ conditionType: 'example.com/lb-ready' }, { conditionType: 'example.com/dns-ready' }] } });
  assert.equal(rowFor('pods', gated, now)[8], '1/2');
});

const selector = { matchLabels: { app: 'web' } };
const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } };

test('a deployment shows READY as ready/desired and its containers, images and selector when wide', () => {
  const web: Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', creationTimestamp: ago(3000) },
    spec: { replicas: 3, selector, template },
    status: { replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 },
  };
  const table = toTable('apps/deployments', [web], { now, includeObject: 'Metadata' });
  assert.equal(kubectlText(table), ['NAME   READY   UP-TO-DATE   AVAILABLE   AGE', 'web    3/3     3            3           3s'].join('\n'));
  assert.deepEqual(table.rows[0].cells, ['web', '3/3', 3, 3, '3s', 'nginx', 'nginx:1.27', 'app=web']);
  const scaling: Deployment = { ...web, spec: { ...web.spec, replicas: 5 }, status: { replicas: 4, updatedReplicas: 4, readyReplicas: 2 } };
  assert.deepEqual(rowFor('apps/deployments', scaling, now).slice(1, 4), ['2/5', 4, 0]);
});

test('a replica set prints desired, current and ready counts and its full selector', () => {
  const rs: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web-775855699b', namespace: 'default', creationTimestamp: ago(3000) },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web', 'pod-template-hash': '775855699b' } },
      template: {
        ...template,
        spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }, { name: 'log', image: 'busybox' }] },
      },
    },
    status: { replicas: 3, readyReplicas: 2 },
  };
  assert.deepEqual(rowFor('apps/replicasets', rs, now), [
    'web-775855699b',
    3,
    3,
    2,
    '3s',
    'nginx,log',
    'nginx:1.27,busybox',
    'app=web,pod-template-hash=775855699b',
  ]);
  const empty: ReplicaSet = { ...rs, spec: { ...rs.spec, selector: {} } };
  assert.equal(rowFor('apps/replicasets', empty, now)[7], '<none>');
});
