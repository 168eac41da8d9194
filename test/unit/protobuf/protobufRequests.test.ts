// Protobuf bodies through the emulator's HTTPS API: creates and updates land like their JSON
// twins, the answer stays JSON (client-go decodes it by its Content-Type), fieldValidation
// cannot see unknown protobuf fields (the apiserver's strict serializer for protobuf is the
// plain one), and the scale subresource takes a protobuf Scale too.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import selfsigned from 'selfsigned';
import { startApiServer, type RunningApiServer } from '../../../emulator/src/apiserver/apiServer';
import { registryCluster } from '../registry/registryFixtures';
import { deployment, serviceNodePort } from './kubectlCaptures';
import { entry, envelope, int, msg, str } from './protoEncoder';

const TOKEN = 'protobuf-test-token';
const PROTOBUF = 'application/vnd.kubernetes.protobuf';

let server: RunningApiServer;
let ca: string;

interface Answer {
  code: number;
  contentType: string;
  warning: string | string[] | undefined;
  body: Record<string, unknown>;
}

function call(method: string, path: string, body: Uint8Array, contentType = PROTOBUF): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers = {
      authorization: `Bearer ${TOKEN}`,
      accept: 'application/vnd.kubernetes.protobuf,application/json',
      'content-type': contentType,
      'content-length': String(body.length),
    };
    const req = request(server.url + path, { method, ca, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          code: res.statusCode ?? 0,
          contentType: res.headers['content-type'] ?? '',
          warning: res.headers.warning,
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

before(async () => {
  const pems = selfsigned.generate([{ name: 'commonName', value: 'ksl-protobuf-test' }], {
    days: 1,
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  ca = pems.cert;
  const cluster = registryCluster();
  server = await startApiServer({ registry: cluster.registry, clock: cluster.clock, token: TOKEN, tls: { cert: pems.cert, key: pems.private } });
});

after(async () => {
  await server?.close();
});

test('kubectl\'s protobuf Service create is answered in JSON with the created Service', async () => {
  const answer = await call(
    'POST',
    '/api/v1/namespaces/default/services?fieldManager=kubectl-create&fieldValidation=Strict',
    Buffer.from(serviceNodePort.hex, 'hex'),
  );
  assert.equal(answer.code, 201, JSON.stringify(answer.body));
  assert.equal(answer.contentType, 'application/json');
  const spec = answer.body.spec as { clusterIP: string; type: string; ports: unknown[] };
  assert.equal(spec.type, 'NodePort');
  assert.match(spec.clusterIP, /^10\.\d+\.\d+\.\d+$/);
  assert.deepEqual(spec.ports, [{ name: '8080-80', protocol: 'TCP', port: 8080, targetPort: 80, nodePort: 30099 }]);
});

test('unknown protobuf fields are dropped without a warning or an error, even with fieldValidation=Strict', async () => {
  const raw = [...msg(1, str(1, 'quiet'), str(99, 'surprise')), ...msg(2, msg(1, int(3, 80), int(77, 1)), str(55, 'x'))];
  for (const validation of ['Strict', 'Warn']) {
    const answer = await call('POST', `/api/v1/namespaces/default/services?fieldValidation=${validation}&dryRun=All`, envelope('v1', 'Service', raw));
    assert.equal(answer.code, 201, JSON.stringify(answer.body));
    assert.equal(answer.warning, undefined);
    assert.deepEqual((answer.body.spec as { ports: unknown }).ports, [{ port: 80, protocol: 'TCP', targetPort: 80 }]);
  }
});

test('a protobuf body of another kind than the URL\'s is the apiserver\'s 400', async () => {
  const answer = await call('POST', '/api/v1/namespaces/default/services', envelope('v1', 'Pod', msg(1, str(1, 'p'))));
  assert.equal(answer.code, 400);
  assert.equal(answer.body.message, 'Pod in version "v1" cannot be handled as a Service: converting (v1.Pod) to (core.Service): unknown conversion');
});

test('a malformed protobuf body is a 400 Status', async () => {
  const answer = await call('POST', '/api/v1/namespaces/default/services', Uint8Array.of(0x6b, 0x38, 0x73, 0x00, 0x0a, 0x05));
  assert.equal(answer.code, 400);
  assert.equal(answer.body.kind, 'Status');
  assert.equal(answer.body.reason, 'BadRequest');
  assert.equal(answer.body.message, 'the object provided is unrecognized (must be of type Service): unexpected EOF (6b3873000a05)');
});

test('a protobuf update replaces the object', async () => {
  const created = await call('POST', '/api/v1/namespaces', envelope('v1', 'Namespace', msg(1, str(1, 'team-pb'))));
  assert.equal(created.code, 201, JSON.stringify(created.body));
  const rv = (created.body.metadata as { resourceVersion: string }).resourceVersion;
  const updated = await call(
    'PUT',
    '/api/v1/namespaces/team-pb',
    envelope('v1', 'Namespace', msg(1, str(1, 'team-pb'), str(6, rv), entry(11, 'owner', 'pb'))),
  );
  assert.equal(updated.code, 200, JSON.stringify(updated.body));
  assert.deepEqual((updated.body.metadata as { labels: unknown }).labels, { 'kubernetes.io/metadata.name': 'team-pb', owner: 'pb' });
});

test('the scale subresource takes a protobuf Scale', async () => {
  const created = await call('POST', '/apis/apps/v1/namespaces/default/deployments', Buffer.from(deployment.hex, 'hex'));
  assert.equal(created.code, 201, JSON.stringify(created.body));
  const scaled = await call(
    'PUT',
    '/apis/apps/v1/namespaces/default/deployments/cap5/scale',
    envelope('autoscaling/v1', 'Scale', [...msg(1, str(1, 'cap5'), str(3, 'default')), ...msg(2, int(1, 5))]),
  );
  assert.equal(scaled.code, 200, JSON.stringify(scaled.body));
  assert.deepEqual(scaled.body.spec, { replicas: 5 });
});

test('kinds without protobuf tables, and other media types, are 415s', async () => {
  const node = await call('POST', '/api/v1/nodes', envelope('v1', 'Node', msg(1, str(1, 'n'))));
  assert.equal(node.code, 415);
  const cbor = await call('POST', '/api/v1/namespaces/default/services', Uint8Array.of(0xa0), 'application/cbor');
  assert.equal(cbor.code, 415);
});
