import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rowFor, toTable } from '../../../emulator/src/apiserver/tables';
import { externalIP } from '../../../emulator/src/apiserver/tables/services';
import type { EndpointSlice, Endpoints, Service } from '../../../emulator/src/api/types';
import { kubectlText } from './kubectlText';

const now = Date.parse('2026-11-26T07:01:22Z');
const created = '2026-11-26T07:01:19Z';

function service(name: string, spec: Service['spec'], extra: Partial<Service> = {}): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default', creationTimestamp: created }, spec, ...extra };
}

const web = service('web', {
  type: 'ClusterIP',
  clusterIP: '10.106.68.120',
  clusterIPs: ['10.106.68.120'],
  selector: { app: 'web' },
  ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 80 }],
});
const webNodePort = service('web-nodeport', {
  type: 'NodePort',
  clusterIP: '10.96.0.10',
  clusterIPs: ['10.96.0.10'],
  selector: { app: 'web' },
  ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 80, nodePort: 30080 }],
});

test('the lesson services print as kubectl get svc shows them', () => {
  const kubernetes = service('kubernetes', {
    type: 'ClusterIP',
    clusterIP: '10.96.0.1',
    clusterIPs: ['10.96.0.1'],
    ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 8443 }],
  });
  kubernetes.metadata.creationTimestamp = new Date(now - 694 * 86_400_000 - 3_600_000).toISOString();
  const table = toTable('services', [kubernetes, web, webNodePort], { now, resourceVersion: '1011', includeObject: 'Metadata' });
  assert.equal(
    kubectlText(table),
    [
      'NAME           TYPE        CLUSTER-IP      EXTERNAL-IP   PORT(S)        AGE',
      'kubernetes     ClusterIP   10.96.0.1       <none>        443/TCP        694d',
      'web            ClusterIP   10.106.68.120   <none>        80/TCP         3s',
      'web-nodeport   NodePort    10.96.0.10      <none>        80:30080/TCP   3s',
    ].join('\n'),
  );
  assert.deepEqual(rowFor('services', web, now), ['web', 'ClusterIP', '10.106.68.120', '<none>', '80/TCP', '3s', 'app=web']);
  assert.deepEqual(table.rows[2].cells, ['web-nodeport', 'NodePort', '10.96.0.10', '<none>', '80:30080/TCP', '3s', 'app=web']);
});

test('Cluster-IP shows None for headless services and <none> for ExternalName, whose External-IP is the name', () => {
  const headless = service('db', { type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'], ports: [{ port: 5432, protocol: 'TCP' }] });
  assert.deepEqual(rowFor('services', headless, now).slice(1, 5), ['ClusterIP', 'None', '<none>', '5432/TCP']);
  const external = service('search', { type: 'ExternalName', externalName: 'www.example.com' });
  assert.deepEqual(rowFor('services', external, now).slice(1, 7), ['ExternalName', '<none>', 'www.example.com', '<none>', '3s', '<none>']);
});

test('several ports are joined by commas, and externalIPs replace <none>', () => {
  const dns = service('kube-dns', {
    type: 'ClusterIP',
    clusterIPs: ['10.96.0.10'],
    externalIPs: ['192.0.2.1', '192.0.2.2'],
    selector: { 'k8s-app': 'kube-dns' },
    ports: [
      { name: 'dns', port: 53, protocol: 'UDP' },
      { name: 'dns-tcp', port: 53, protocol: 'TCP' },
      { name: 'metrics', port: 9153, protocol: 'TCP' },
    ],
  });
  assert.deepEqual(rowFor('services', dns, now).slice(3, 5), ['192.0.2.1,192.0.2.2', '53/UDP,53/TCP,9153/TCP']);
});

test('a LoadBalancer is <pending> until it has ingress, then lists the addresses in full', () => {
  const lb = service('shop', {
    type: 'LoadBalancer',
    clusterIPs: ['10.96.44.3'],
    ports: [{ port: 443, nodePort: 31443, protocol: 'TCP' }],
  });
  assert.equal(rowFor('services', lb, now)[3], '<pending>');
  lb.status = { loadBalancer: { ingress: [{ hostname: 'a1b2c3d4e5f6.elb.example.com' }, { ip: '203.0.113.9' }] } };
  // The apiserver builds the wide table, so the printer's 13-character clip never applies.
  assert.equal(rowFor('services', lb, now)[3], '203.0.113.9,a1b2c3d4e5f6.elb.example.com');
  assert.equal(externalIP(lb, false), '203.0.113.9,a...');
  lb.spec.externalIPs = ['192.0.2.7'];
  assert.equal(rowFor('services', lb, now)[3], '203.0.113.9,a1b2c3d4e5f6.elb.example.com,192.0.2.7');
});

function endpoints(ips: string[], port = 80): Endpoints {
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'web', namespace: 'default', creationTimestamp: '2026-11-26T07:01:22Z' },
    subsets: [{ addresses: ips.map((ip) => ({ ip })), ports: [{ name: 'http', port, protocol: 'TCP' }] }],
  };
}

test('endpoints show the first three ip:port pairs, then how many more', () => {
  const five = endpoints(['10.244.0.8', '10.244.0.9', '10.244.0.7', '10.244.0.5', '10.244.0.6']);
  assert.equal(
    kubectlText(toTable('endpoints', [five], { now, includeObject: 'Metadata' })),
    ['NAME   ENDPOINTS                                               AGE', 'web    10.244.0.8:80,10.244.0.9:80,10.244.0.7:80 + 2 more...   0s'].join(
      '\n',
    ),
  );
  const three = endpoints(['10.244.0.10', '10.244.0.5', '10.244.0.6']);
  assert.equal(rowFor('endpoints', three, now)[1], '10.244.0.10:80,10.244.0.5:80,10.244.0.6:80');
});

test('endpoints count every port, skip not-ready addresses, and show <none> without subsets', () => {
  const twoPorts: Endpoints = {
    metadata: { name: 'web' },
    subsets: [
      {
        addresses: [{ ip: '10.244.0.5' }, { ip: '10.244.0.6' }],
        notReadyAddresses: [{ ip: '10.244.0.7' }],
        ports: [
          { name: 'http', port: 80 },
          { name: 'https', port: 443 },
        ],
      },
    ],
  };
  assert.equal(rowFor('endpoints', twoPorts, now)[1], '10.244.0.5:80,10.244.0.6:80,10.244.0.5:443 + 1 more...');
  assert.equal(rowFor('endpoints', { metadata: { name: 'web' }, subsets: [] }, now)[1], '<none>');
  const headless: Endpoints = { metadata: { name: 'db' }, subsets: [{ addresses: [{ ip: 'fd00::5' }, { ip: 'fd00::6' }] }] };
  assert.equal(rowFor('endpoints', headless, now)[1], 'fd00::5,fd00::6');
  assert.equal(rowFor('endpoints', endpoints(['fd00::5']), now)[1], '[fd00::5]:80');
  assert.equal(rowFor('endpoints', { metadata: { name: 'web' }, subsets: [{ notReadyAddresses: [{ ip: '10.244.0.7' }], ports: [{ port: 80 }] }] }, now)[1], '');
});

function slice(ports: EndpointSlice['ports'], addresses: string[][]): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'web-abcde', namespace: 'default', creationTimestamp: '2026-11-26T07:01:22Z' },
    addressType: 'IPv4',
    ports,
    endpoints: addresses.map((a, i) => ({ addresses: a, conditions: { ready: i % 2 === 0 } })),
  };
}

test('endpoint slices list port numbers and every address, ready or not', () => {
  const s = slice([{ name: 'http', port: 80, protocol: 'TCP' }], [['10.244.0.8'], ['10.244.0.9'], ['10.244.0.7'], ['10.244.0.5'], ['10.244.0.6']]);
  assert.equal(
    kubectlText(toTable('discovery.k8s.io/endpointslices', [s], { now, includeObject: 'Metadata' })),
    [
      'NAME        ADDRESSTYPE   PORTS   ENDPOINTS                                      AGE',
      'web-abcde   IPv4          80      10.244.0.8,10.244.0.9,10.244.0.7 + 2 more...   0s',
    ].join('\n'),
  );
  const placeholder = slice([], []);
  assert.deepEqual(rowFor('discovery.k8s.io/endpointslices', placeholder, now).slice(2, 4), ['<unset>', '<unset>']);
  const odd = slice([{ name: 'grpc' }, {}, { port: 1 }, { port: 2 }, { port: 3 }], [['10.244.0.8']]);
  assert.equal(rowFor('discovery.k8s.io/endpointslices', odd, now)[2], 'grpc,*,1 + 2 more...');
});
