// What the fuzzer found and what fixed it, one case each: bodies nested too deep for the
// emulator's parsers, YAML alias bombs, percent-escapes that do not decode, query integers that
// do not parse, JSON nulls where Go has zero values, warnings that quote non-Latin-1 text, and
// requests Node's HTTP parser rejects before any handler runs. Each is a 4xx Status (or a
// success), never a 500 and never a crash.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:tls';
import { maxHeaderSize } from 'node:http';
import { request } from 'node:https';
import { R } from '../../../emulator/src/api/resources';
import { decodePath } from '../../../emulator/src/apiserver/routes';
import { MAX_YAML_DEPTH, yamlNestingProblem } from '../../../emulator/src/apiserver/yamlLimits';
import { rt, serviceManifest } from '../registry/registryFixtures';
import { startApiFixture, type ApiFixture } from './apiServerFixture';

const SERVICES = '/api/v1/namespaces/default/services';
let api: ApiFixture;
const logged: string[] = [];

interface Answer {
  code: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

function send(method: string, path: string, body?: string | Buffer, contentType = 'application/json'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { authorization: `Bearer ${api.token}` };
    if (body !== undefined) headers['content-type'] = contentType;
    const req = request(api.server.url + path, { method, ca: api.ca, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ code: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Raw bytes over TLS, for what Node's own client refuses to send; resolves with the answer. */
function sendRaw(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: api.server.port, ca: api.ca, servername: 'localhost', checkServerIdentity: () => undefined }, () => socket.end(text));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
  });
}

function message(a: Answer): string {
  return String(a.body.message);
}

before(async () => {
  api = await startApiFixture({ log: (m) => logged.push(m) });
  api.cluster.registry.create(rt(R.services), 'default', serviceManifest('web'));
});

after(async () => {
  assert.deepEqual(logged.filter((m) => m.startsWith('error serving')), [], 'no request ended in an internal error');
  await api.close();
});

test('a JSON body nested deeper than 500 levels is refused in Go\'s words, on create and on patch', async () => {
  const deep = (n: number): string =>
    `{"apiVersion":"v1","kind":"Service","metadata":{"name":"deep"},"spec":{"ports":[{"port":80}],"x":${'{"x":'.repeat(n)}1${'}'.repeat(n)}}}`;
  const created = await send('POST', SERVICES, deep(600));
  assert.equal(created.code, 400);
  assert.match(message(created), /^the object provided is unrecognized \(must be of type Service\): couldn't get version\/kind; json parse error: exceeded max depth \(/);
  const patched = await send('PATCH', `${SERVICES}/web`, `{"spec":${'['.repeat(9_000)}${']'.repeat(9_000)}}`, 'application/merge-patch+json');
  assert.equal(patched.code, 400);
  assert.equal(message(patched), 'error decoding patch: exceeded max depth');
  // Well within the limit, unknown fields are only warned about, as before.
  const shallow = await send('POST', SERVICES, deep(100));
  assert.equal(shallow.code, 201);
  assert.equal(shallow.headers.warning, '299 - "unknown field \\"spec.x\\""');
});

test('YAML nested past the limit, in flow or block style, is refused before the parser sees it', async () => {
  for (const body of ['['.repeat(100_000) + ']'.repeat(100_000), '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000), '- '.repeat(600) + 'x\n']) {
    const a = await send('POST', SERVICES, body, 'application/yaml');
    assert.equal(a.code, 400);
    assert.match(message(a), new RegExp(`error converting YAML to JSON: yaml: exceeded max depth of ${MAX_YAML_DEPTH} \\(`));
  }
  const block = Array.from({ length: 600 }, (_, i) => ' '.repeat(i) + 'a:').join('\n') + ' 1\n';
  assert.match(message(await send('POST', SERVICES, block, 'application/yaml')), /yaml: line 501: exceeded max depth of 500/);
  const apply = await send('PATCH', `${SERVICES}/web?fieldManager=t`, '['.repeat(1000) + ']'.repeat(1000), 'application/apply-patch+yaml');
  assert.equal(apply.code, 400);
  assert.equal(message(apply), `error decoding YAML: error converting YAML to JSON: yaml: exceeded max depth of ${MAX_YAML_DEPTH}`);
});

test('the nesting scan counts structure, not brackets inside quotes, comments or block scalars', () => {
  const manifest = [
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    '  name: web # [[[[[[ {{{{',
    '  annotations:',
    `    quoted: "${'['.repeat(800)}"`,
    `    single: '${'{'.repeat(800)}'`,
    '    script: |',
    `      ${'['.repeat(800)}`,
    `      - - - - ${'{'.repeat(800)}`,
    'spec:',
    '  ports: [{port: 80, targetPort: [8080]}]',
  ].join('\n');
  assert.equal(yamlNestingProblem(manifest), undefined);
  assert.deepEqual(yamlNestingProblem('a:\n  b: ' + '['.repeat(10) + ']'.repeat(10), 10), { line: 2, message: 'exceeded max depth of 10' });
});

test('a YAML alias bomb is refused with goyaml\'s words', async () => {
  const names = 'abcdefghijklm';
  const lines = ['a: &a [x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < names.length; i++) lines.push(`${names[i]}: &${names[i]} [*${names[i - 1]}, *${names[i - 1]}, *${names[i - 1]}]`);
  const a = await send('POST', SERVICES, lines.join('\n') + '\nkind: Service\n', 'application/yaml');
  assert.equal(a.code, 400);
  assert.match(message(a), /^the object provided is unrecognized \(must be of type Service\): error converting YAML to JSON: yaml: document contains excessive aliasing \(/);
});

test('a path escape that is not % and two hex digits is 400 in url.ParseRequestURI\'s words; %2F separates segments as in Go', async () => {
  const bad = await send('GET', `${SERVICES}/we%zzb`);
  assert.equal(bad.code, 400);
  assert.equal(message(bad), `parse "${SERVICES}/we%zzb": invalid URL escape "%zz"`);
  assert.equal((await send('GET', `${SERVICES}/%E0%A4%A`)).code, 400);
  // Bytes that are not UTF-8 decode, and name nothing.
  assert.equal((await send('GET', `${SERVICES}/%C3%28`)).code, 404);
  assert.equal(decodePath('/api/v1/namespaces/default/services/a%2Fb'), '/api/v1/namespaces/default/services/a/b');
  assert.equal((await send('GET', `/api/v1/namespaces%2Fdefault%2Fservices%2Fweb`)).code, 200);
});

test('limit and timeoutSeconds that strconv.ParseInt cannot read are 400', async () => {
  const limit = await send('GET', `${SERVICES}?limit=abc`);
  assert.equal(limit.code, 400);
  assert.equal(message(limit), 'strconv.ParseInt: parsing "abc": invalid syntax');
  const timeout = await send('GET', `${SERVICES}?watch=true&timeoutSeconds=99999999999999999999`);
  assert.equal(timeout.code, 400);
  assert.equal(message(timeout), 'strconv.ParseInt: parsing "99999999999999999999": value out of range');
});

test('JSON nulls read as Go reads them: a null label value is the label "", a null field is left out', async () => {
  const body = JSON.stringify({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'nulls', labels: { team: null }, annotations: { note: null } },
    spec: { type: null, selector: { app: null }, ports: [{ port: 80, name: null }] },
  });
  const created = await send('POST', SERVICES, body);
  assert.equal(created.code, 201, message(created));
  const obj = created.body as { metadata: { labels: unknown; annotations: unknown }; spec: { type: string; selector: unknown } };
  assert.deepEqual(obj.metadata.labels, { team: '' });
  assert.deepEqual(obj.metadata.annotations, { note: '' });
  assert.deepEqual(obj.spec.selector, { app: '' });
  assert.equal(obj.spec.type, 'ClusterIP', 'a null type is no type, and defaults');
  const patched = await send('PATCH', `${SERVICES}/nulls`, '[{"op":"add","path":"/metadata/labels/tier","value":null}]', 'application/json-patch+json');
  assert.equal(patched.code, 200, message(patched));
  assert.deepEqual((patched.body as { metadata: { labels: unknown } }).metadata.labels, { team: '', tier: '' });
});

test('a warning that quotes a field name outside Latin-1 is sent as its UTF-8 bytes, after a write that succeeded', async () => {
  const body = JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'emoji' }, spec: { ports: [{ port: 80 }], 'ünknown😀': 1 } });
  const created = await send('POST', SERVICES, body);
  assert.equal(created.code, 201);
  const warning = Buffer.from(String(created.headers.warning), 'latin1').toString('utf8');
  assert.equal(warning, '299 - "unknown field \\"spec.ünknown😀\\""');
});

test('requests Node\'s parser rejects get a Status too: 431 for headers over its limit, 400 for what is not HTTP', async () => {
  const tooLong = await send('GET', `${SERVICES}?labelSelector=${'a'.repeat(maxHeaderSize + 10)}`);
  assert.equal(tooLong.code, 431);
  assert.equal(tooLong.body.kind, 'Status');
  assert.match(message(tooLong), new RegExp(`larger than the ${maxHeaderSize} bytes the server reads: send a shorter URL or fewer headers`));

  const garbage = await sendRaw('BREW /coffee HTCPCP/1.0\r\n\r\n');
  assert.match(garbage, /^HTTP\/1\.1 400 Bad Request\r\n/);
  const status = JSON.parse(garbage.slice(garbage.indexOf('\r\n\r\n') + 4)) as { kind: string; code: number; message: string };
  assert.equal(status.kind, 'Status');
  assert.equal(status.code, 400);
  assert.match(status.message, /^the request is not valid HTTP\/1\.1 \(HPE_/);

  // The server is unharmed.
  assert.equal((await send('GET', '/version')).code, 200);
});

test('a request target that is no URL is 400, on a plain request and on an upgrade', async () => {
  const plain = await sendRaw(`GET //[ HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${api.token}\r\nConnection: close\r\n\r\n`);
  assert.match(plain, /^HTTP\/1\.1 (400|404) /);
  const upgrade = await sendRaw(`GET //[ HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${api.token}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n`);
  assert.match(upgrade, /^HTTP\/1\.1 (400|404) /);
  assert.equal((await send('GET', '/version')).code, 200);
});
