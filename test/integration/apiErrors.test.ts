// Bad input over raw HTTPS never takes the emulator down and never changes what it stores:
// malformed JSON or YAML is 400, a body of the wrong kind or namespace is 400, an unknown
// content type 415, an unknown path 404, a body over 3 MiB 413, a missing or wrong token 401,
// each with the Status body kube-apiserver 1.32 sends (messages from handlers/rest.go
// transformDecodeError, patch.go, the json scanner, notfoundhandler and the authn filter).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { R } from '../../emulator/src/api/resources';
import { startEmulator, type Emulator } from '../../emulator/src/emulator';
import { apiRequest, failure, jsonOf, type RequestOptions } from './apiRequests';

let emulator: Emulator;
let stateDir: string;
let servicesBefore: Map<string, string>;
const logged: string[] = [];

const SERVICES = '/api/v1/namespaces/default/services';
const NOT_FOUND = failure(404, 'NotFound', 'the server could not find the requested resource', {});

function call(method: string, path: string, opts?: RequestOptions) {
  return apiRequest(emulator, method, path, opts);
}

/** Every Service with its resourceVersion: what must not move whatever a client sends. */
function servicesNow(): Map<string, string> {
  return new Map(emulator.store.list(R.services).map((s) => [`${s.metadata.namespace}/${s.metadata.name}`, s.metadata.resourceVersion ?? '']));
}

async function expectStatus(method: string, path: string, opts: RequestOptions, expected: Record<string, unknown>): Promise<void> {
  const res = await call(method, path, opts);
  assert.equal(res.code, expected.code, `${method} ${path}: ${res.text}`);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  assert.deepEqual(jsonOf(res), expected);
}

function badRequest(message: string): Record<string, unknown> {
  return failure(400, 'BadRequest', message);
}

before(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'ksl-api-errors-'));
  emulator = await startEmulator({ stateDir, podReadyDelayMs: 50, podTerminationDelayMs: 50, hostPorts: false, log: (m) => logged.push(m) });
  const web = JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
  assert.equal((await call('POST', SERVICES, { body: web })).code, 201);
  // The server takes YAML as well as JSON.
  const yaml = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web-yaml\nspec:\n  type: NodePort\n  ports:\n  - port: 80\n';
  assert.equal((await call('POST', SERVICES, { body: yaml, contentType: 'application/yaml' })).code, 201);
  servicesBefore = servicesNow();
});

after(async () => {
  await emulator?.stop();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

test('a malformed JSON body on POST and PUT is 400 "the object provided is unrecognized", quoting the start of the body', async () => {
  await expectStatus(
    'POST',
    SERVICES,
    { body: '{"apiVersion":"v1","kind":"Service","metadata":{"name":"bad"' },
    badRequest(
      'the object provided is unrecognized (must be of type Service): couldn\'t get version/kind; json parse error: ' +
        'unexpected end of JSON input ({"apiVersion":"v1","kind":"Ser ...)',
    ),
  );
  await expectStatus(
    'PUT',
    `${SERVICES}/web`,
    { body: '{"metadata" {"name":"web"}}' },
    badRequest(
      'the object provided is unrecognized (must be of type Service): couldn\'t get version/kind; json parse error: ' +
        'invalid character \'{\' after object key ({"metadata" {"name":"web"}})',
    ),
  );
  await expectStatus(
    'POST',
    SERVICES,
    { body: '' },
    badRequest('the object provided is unrecognized (must be of type Service): couldn\'t get version/kind; json parse error: unexpected end of JSON input (<empty>)'),
  );
});

test('a malformed PATCH body is 400 in the words of each patch type', async () => {
  await expectStatus(
    'PATCH',
    `${SERVICES}/web`,
    { body: '{"spec":}', contentType: 'application/strategic-merge-patch+json' },
    badRequest("invalid character '}' looking for beginning of value"),
  );
  await expectStatus(
    'PATCH',
    `${SERVICES}/web?fieldValidation=Strict`,
    { body: '{"spec":', contentType: 'application/merge-patch+json' },
    badRequest('error decoding patch: unexpected end of JSON input'),
  );
  await expectStatus(
    'PATCH',
    `${SERVICES}/web?fieldValidation=Ignore`,
    { body: '{"spec":', contentType: 'application/merge-patch+json' },
    badRequest('Invalid JSON Patch'),
  );
  await expectStatus(
    'PATCH',
    `${SERVICES}/web?fieldValidation=Ignore`,
    { body: '[{"op":"replace" "path":"/spec"}]', contentType: 'application/json-patch+json' },
    badRequest('invalid character \'"\' after object key:value pair'),
  );
});

test('a malformed YAML body is 400 with goyaml\'s line and problem', async () => {
  const body = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: bad\n  labels: app: bad\n';
  await expectStatus(
    'POST',
    SERVICES,
    { body, contentType: 'application/yaml' },
    badRequest(
      'the object provided is unrecognized (must be of type Service): error converting YAML to JSON: yaml: line 5: ' +
        'mapping values are not allowed in this context (61706956657273696f6e3a2076310a6b696e643a20536572766963650a6d ...)',
    ),
  );
});

test('a body of another kind, or in another namespace than the URL, is 400', async () => {
  const pod = JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bad' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
  await expectStatus('POST', SERVICES, { body: pod }, badRequest('Pod in version "v1" cannot be handled as a Service: converting (v1.Pod) to (core.Service): unknown conversion'));

  const lowercase = JSON.stringify({ apiVersion: 'v1', kind: 'service', metadata: { name: 'bad' } });
  await expectStatus(
    'POST',
    SERVICES,
    { body: lowercase },
    badRequest('service in version "v1" cannot be handled as a Service: no kind "service" is registered for version "v1" in scheme "pkg/api/legacyscheme/scheme.go:30"'),
  );

  const elsewhere = JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'bad', namespace: 'kube-system' }, spec: { ports: [{ port: 80 }] } });
  await expectStatus('POST', SERVICES, { body: elsewhere }, badRequest('the namespace of the provided object does not match the namespace sent on the request'));

  const current = jsonOf<{ metadata: Record<string, unknown> }>(await call('GET', `${SERVICES}/web`));
  const moved = JSON.stringify({ ...current, metadata: { ...current.metadata, namespace: 'kube-system' } });
  await expectStatus('PUT', `${SERVICES}/web`, { body: moved }, badRequest('the namespace of the object (kube-system) does not match the namespace on the request (default)'));
  const renamed = JSON.stringify({ ...current, metadata: { ...current.metadata, name: 'other' } });
  await expectStatus('PUT', `${SERVICES}/web`, { body: renamed }, badRequest('the name of the object (other) does not match the name on the URL (web)'));
});

test('a body in a format the server cannot read is 415', async () => {
  await expectStatus(
    'POST',
    SERVICES,
    { body: 'name=web', contentType: 'text/plain' },
    failure(415, 'UnsupportedMediaType', 'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf'),
  );
  await expectStatus(
    'PATCH',
    `${SERVICES}/web`,
    { body: '{}', contentType: 'application/json' },
    failure(
      415,
      'UnsupportedMediaType',
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, ' +
        'application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml',
    ),
  );
});

test('an unknown resource, group or path is 404 "the server could not find the requested resource", whatever the method', async () => {
  await expectStatus('GET', '/api/v1/namespaces/default/widgets', {}, NOT_FOUND);
  await expectStatus('GET', '/apis/example.com/v1/widgets', {}, NOT_FOUND);
  await expectStatus('GET', '/apis/example.com', {}, NOT_FOUND);
  await expectStatus('GET', '/no/such/path', {}, NOT_FOUND);
  await expectStatus('POST', '/api/v1/namespaces/default/widgets', { body: '{}' }, NOT_FOUND);
  await expectStatus('DELETE', '/apis/example.com/v1/namespaces/default/widgets/w', {}, NOT_FOUND);
});

test('a body over 3 MiB is 413, whether announced or streamed, and the server answers the next request', async () => {
  const big = '{"metadata":{"name":"big"},"pad":"' + 'x'.repeat(3 * 1024 * 1024) + '"}';
  assert.ok(Buffer.byteLength(big) > 3 * 1024 * 1024);
  const tooLarge = failure(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728');
  await expectStatus('POST', SERVICES, { body: big }, tooLarge);
  await expectStatus('POST', SERVICES, { body: big, chunked: true }, tooLarge);
  const justOver = Buffer.alloc(3 * 1024 * 1024 + 1, 0x20);
  await expectStatus('PUT', `${SERVICES}/web`, { body: justOver }, tooLarge);

  const version = await call('GET', '/version');
  assert.equal(version.code, 200);
  assert.match(jsonOf<{ gitVersion: string }>(version).gitVersion, /^v1\.32\./);
});

test('a missing, wrong or non-bearer token is 401 Unauthorized and reveals nothing', async () => {
  const unauthorized = failure(401, 'Unauthorized', 'Unauthorized');
  await expectStatus('GET', SERVICES, { token: null }, unauthorized);
  await expectStatus('GET', SERVICES, { token: 'not-the-token' }, unauthorized);
  await expectStatus('GET', SERVICES, { token: `${emulator.token}x` }, unauthorized);
  await expectStatus('GET', SERVICES, { authorization: `Basic ${Buffer.from(`admin:${emulator.token}`).toString('base64')}` }, unauthorized);
  await expectStatus('POST', SERVICES, { token: null, body: '{"metadata":{"name":"sneaky"}}' }, unauthorized);
  await expectStatus('DELETE', `${SERVICES}/web`, { token: 'wrong' }, unauthorized);
});

test('after all of it, every Service is still there at the same resourceVersion and nothing new was stored', async () => {
  assert.deepEqual(servicesNow(), servicesBefore);
  const list = jsonOf<{ items: { metadata: { name: string } }[] }>(await call('GET', SERVICES));
  assert.deepEqual(list.items.map((s) => s.metadata.name).sort(), ['kubernetes', 'web', 'web-yaml']);
  assert.deepEqual(logged.filter((m) => m.startsWith('error serving')), [], 'no request ended in an internal error');
});
