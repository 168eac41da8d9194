// Each resource holds a bounded number of objects, so a runaway client cannot grow the
// emulator until it runs out of memory. A create past the limit is a 403 worded like a
// ResourceQuota refusal (what kubectl users already know) that also says what to do; it
// stores and allocates nothing, and the limit is per resource.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import selfsigned from 'selfsigned';
import { R } from '../../../emulator/src/api/resources';
import { startApiServer, type RunningApiServer } from '../../../emulator/src/apiserver/apiServer';
import { FakeClock } from '../../../emulator/src/clock';
import { Registry } from '../../../emulator/src/registry/registry';
import { buildStrategies, metaValidator } from '../../../emulator/src/registry/strategies/index';
import type { ServiceStrategy } from '../../../emulator/src/registry/strategies/services';
import { Store } from '../../../emulator/src/store/store';
import { seededRand } from '../helpers/testCluster';
import { rt } from '../registry/registryFixtures';

const TOKEN = 'limits-token';
const SERVICES = '/api/v1/namespaces/default/services';
let store: Store;
let services: ServiceStrategy;
let server: RunningApiServer;
let ca: string;

function service(name: string): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { type: 'NodePort', ports: [{ port: 80 }] } });
}

function call(method: string, path: string, body?: string, contentType = 'application/json'): Promise<{ code: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` };
    if (body !== undefined) headers['content-type'] = contentType;
    const req = request(server.url + path, { method, ca, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ code: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

before(async () => {
  store = new Store();
  const clock = new FakeClock();
  const rand = seededRand(3);
  const strategies = buildStrategies({ serviceCIDR: '10.96.0.0/24', nodePortBase: 30000, nodePortSize: 100, rand });
  services = strategies.services;
  const registry = new Registry({ store, clock, strategies: strategies.map, rand, metaValidator, objectLimits: { default: 3, services: 2 } });
  registry.create(rt(R.namespaces), '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  const pems = selfsigned.generate([{ name: 'commonName', value: 'ksl-limits' }], {
    days: 1,
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  ca = pems.cert;
  server = await startApiServer({ registry, clock, token: TOKEN, tls: { cert: pems.cert, key: pems.private } });
});

after(async () => {
  await server?.close();
});

test('a create past the limit is 403 "exceeded quota", says what to do, and stores and allocates nothing', async () => {
  assert.equal((await call('POST', SERVICES, service('one'))).code, 201);
  assert.equal((await call('POST', SERVICES, service('two'))).code, 201);
  const rv = store.resourceVersion;

  const refused = await call('POST', SERVICES, service('three'));
  assert.equal(refused.code, 403);
  assert.deepEqual(refused.body, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message:
      'services "three" is forbidden: exceeded quota: ksl-object-limit, requested: count/services=1, used: count/services=2, ' +
      'limited: count/services=2. The Kube Service Lab emulator keeps at most 2 services so that it does not run out of memory: ' +
      'delete some (kubectl delete services --all -n <namespace>) or reset the emulator',
    reason: 'Forbidden',
    details: { name: 'three', kind: 'services' },
    code: 403,
  });
  assert.equal(store.resourceVersion, rv, 'nothing was written');

  // A dry run and a server-side apply that would create are refused the same way.
  assert.equal((await call('POST', `${SERVICES}?dryRun=All`, service('three'))).code, 403);
  const apply = await call('PATCH', `${SERVICES}/three?fieldManager=kubectl`, service('three'), 'application/apply-patch+yaml');
  assert.equal(apply.code, 403);
  assert.equal(store.resourceVersion, rv);
  assert.equal(services.clusterIPs.used, 2, 'the refused creates hold no ClusterIP');
  assert.equal(services.nodePorts.used, 2, 'nor a NodePort');

  // Once one is gone there is room again.
  assert.equal((await call('DELETE', `${SERVICES}/one`)).code, 200);
  const three = await call('POST', SERVICES, service('three'));
  assert.equal(three.code, 201);
});

test('the limit is counted per resource: other resources keep their own room', async () => {
  const pod = (name: string): string =>
    JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
  for (const name of ['a', 'b', 'c']) assert.equal((await call('POST', '/api/v1/namespaces/default/pods', pod(name))).code, 201);
  const fourth = await call('POST', '/api/v1/namespaces/default/pods', pod('d'));
  assert.equal(fourth.code, 403);
  assert.match(String(fourth.body.message), /^pods "d" is forbidden: exceeded quota: ksl-object-limit, requested: count\/pods=1, used: count\/pods=3, limited: count\/pods=3\./);
});
