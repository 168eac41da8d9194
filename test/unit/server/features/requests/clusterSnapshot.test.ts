// The cluster tree's snapshot from a fake view: Services with addresses, DNS names and
// per-port endpoints, pods, Deployments with the pods they select; nothing from a workspace.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkspaceView } from '../../../../../server/src/cluster/workspaceView';
import { clusterSnapshot } from '../../../../../server/src/requests/clusterSnapshot';
import type { Deployment } from '../../../../../server/src/validation/kubeTypes';
import { pod } from '../../cluster/fakeClusterView';
import { endpointSlice, lessonPods, lessonView, liveService } from '../featureFixtures';

const deployment: Deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default' },
  spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { spec: { containers: [] } } },
  status: { readyReplicas: 3 },
};

test('a Service with its endpoints, pods and the Deployment that selects them', () => {
  const pods = [...lessonPods(), pod('db-0', { labels: { app: 'db' } })];
  const nodePort = liveService('shop', { type: 'NodePort', ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP', nodePort: 30080 }] }, 'shop');
  const snapshot = clusterSnapshot(lessonView({ pods, deployments: [deployment], services: [liveService('web'), nodePort] }));
  assert.equal(snapshot.source, 'emulator at https://127.0.0.1:4321');
  assert.equal(snapshot.emulator, true);
  assert.deepEqual(snapshot.namespaces, ['default', 'shop']);
  assert.deepEqual(snapshot.services[0], {
    namespace: 'default',
    name: 'web',
    type: 'ClusterIP',
    clusterIP: '10.96.12.4',
    externalIPs: [],
    selector: { app: 'web' },
    ports: [
      {
        protocol: 'TCP',
        port: 80,
        targetPort: 80,
        endpoints: [
          { ip: '10.244.0.15', port: 80, ready: true, pod: 'web-7d4b9-a', node: 'ksl' },
          { ip: '10.244.0.16', port: 80, ready: true, pod: 'web-7d4b9-b', node: 'ksl' },
          { ip: '10.244.0.17', port: 80, ready: true, pod: 'web-7d4b9-c', node: 'ksl' },
        ],
      },
    ],
    dnsNames: ['web', 'web.default', 'web.default.svc', 'web.default.svc.cluster.local'],
  });
  assert.deepEqual(snapshot.services[1]!.ports, [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 'http', nodePort: 30080, hostURL: 'http://127.0.0.1:30080', endpoints: [] }]);
  assert.deepEqual(
    snapshot.pods.map((p) => [p.name, p.ip, p.phase, p.ready, p.terminating, p.node]),
    [
      ['db-0', undefined, 'Running', true, false, undefined],
      ['web-7d4b9-a', '10.244.0.15', 'Running', true, false, 'ksl'],
      ['web-7d4b9-b', '10.244.0.16', 'Running', true, false, 'ksl'],
      ['web-7d4b9-c', '10.244.0.17', 'Running', true, false, 'ksl'],
    ],
  );
  assert.deepEqual(snapshot.deployments, [{ namespace: 'default', name: 'web', replicas: 3, readyReplicas: 3, pods: ['web-7d4b9-a', 'web-7d4b9-b', 'web-7d4b9-c'] }]);
});

test('a LoadBalancer without an address is <pending>; a headless Service has None', () => {
  const snapshot = clusterSnapshot(lessonView({ services: [liveService('lb', { type: 'LoadBalancer' }), liveService('web', { clusterIP: 'None' })], endpointSlices: [endpointSlice('web', [{ ip: '10.244.0.15', pod: 'p', ready: false }], [{ port: 80 }])] }));
  assert.equal(snapshot.services[0]!.externalIP, '<pending>');
  assert.equal(snapshot.services[1]!.clusterIP, 'None');
  assert.deepEqual(snapshot.services[1]!.ports[0]!.endpoints, [{ ip: '10.244.0.15', port: 80, ready: false, pod: 'p', node: 'ksl' }]);
});

test('without a live cluster the snapshot is empty and says why', () => {
  const snapshot = clusterSnapshot(new WorkspaceView({ workspaceObjects: () => [], reason: () => 'the emulator is not running' }));
  assert.deepEqual(snapshot, { source: 'workspace pod templates (the emulator is not running)', connected: false, emulator: false, namespaces: [], services: [], pods: [], deployments: [] });
});
