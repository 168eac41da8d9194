// YAML request bodies with anchors and aliases are read or refused by goyaml's rule, as
// kube-apiserver does: any number of aliases is fine while copying stays within goyaml's
// alias ratio, and the refusals ("excessive aliasing", an anchor containing itself, an alias
// without an anchor) are 400s in goyaml's words, found without expanding the body.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { ApiError } from '../../../emulator/src/api/errors';
import { R } from '../../../emulator/src/api/resources';
import { decodeApplyBody, decodeObjectBody } from '../../../emulator/src/apiserver/objectBody';
import { startApiFixture, type ApiFixture } from './apiServerFixture';

const SERVICES = '/api/v1/namespaces/default/services';
let api: ApiFixture;
const logged: string[] = [];

before(async () => {
  api = await startApiFixture({ log: (m) => logged.push(m) });
});

after(async () => {
  assert.deepEqual(logged.filter((m) => m.startsWith('error serving')), [], 'no request ended in an internal error');
  await api.close();
});

function send(method: string, path: string, body: string, contentType: string): Promise<{ code: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const headers = { authorization: `Bearer ${api.token}`, 'content-type': contentType };
    const req = request(api.server.url + path, { method, ca: api.ca, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ code: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A Service whose 101 annotations are each an alias of one label value. */
function serviceWithAliases(name: string, count: number): string {
  const annotations = Array.from({ length: count }, (_, i) => `    a${i}: *app`).join('\n');
  return `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  labels:\n    app: &app web\n  annotations:\n${annotations}\nspec:\n  ports:\n  - port: 80\n`;
}

/** The classic "billion laughs": nine levels of nine aliases each, 9^9 copies of "lol" in full. */
const BILLION_LAUGHS = ['kind: Service', 'a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]']
  .concat(Array.from('bcdefghi', (n, i) => `${n}: &${n} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(', ')}]`))
  .join('\n');

/** The 400 a call throws, as ApiError. */
function refusal(call: () => unknown): ApiError {
  try {
    call();
  } catch (err) {
    assert.ok(err instanceof ApiError, `expected an ApiError, got ${String(err)}`);
    assert.equal(err.code, 400);
    return err;
  }
  assert.fail('the body was accepted');
}

test('101 aliases of one scalar are read, each as a copy of the anchored value', () => {
  const value = decodeObjectBody('Service', serviceWithAliases('many', 101), true) as { metadata: { annotations: Record<string, string> } };
  const annotations = value.metadata.annotations;
  assert.equal(Object.keys(annotations).length, 101);
  assert.ok(Object.values(annotations).every((v) => v === 'web'));
});

test('a Service written with 101 aliases is created over HTTP', async () => {
  const created = await send('POST', SERVICES, serviceWithAliases('many-aliases', 101), 'application/yaml');
  assert.equal(created.code, 201, JSON.stringify(created.body));
  const stored = api.cluster.store.get(R.services, 'default', 'many-aliases') as { metadata: { annotations: Record<string, string> } } | undefined;
  assert.equal(stored?.metadata.annotations.a100, 'web');
});

test('a billion-laughs body is refused with goyaml\'s words, on create and on server-side apply', () => {
  assert.match(refusal(() => decodeObjectBody('Service', BILLION_LAUGHS, true)).message, /^the object provided is unrecognized \(must be of type Service\): error converting YAML to JSON: yaml: document contains excessive aliasing \(6b696e64/);
  assert.equal(refusal(() => decodeApplyBody(BILLION_LAUGHS)).message, 'error decoding YAML: error converting YAML to JSON: yaml: document contains excessive aliasing');
});

test('a billion-laughs body sent over HTTP is a 400 Status, not an expansion', async () => {
  const answer = await send('POST', SERVICES, BILLION_LAUGHS, 'application/yaml');
  assert.equal(answer.code, 400);
  assert.equal(answer.body.kind, 'Status');
  assert.equal(answer.body.reason, 'BadRequest');
  assert.match(String(answer.body.message), /error converting YAML to JSON: yaml: document contains excessive aliasing \(/);
});

test('an anchor whose value holds its own alias is refused, not read as a cycle', () => {
  const body = 'apiVersion: v1\nkind: Service\nmetadata: &m\n  name: loop\n  labels: *m\n';
  assert.equal(refusal(() => decodeApplyBody(body)).message, "error decoding YAML: error converting YAML to JSON: yaml: anchor 'm' value contains itself");
  assert.match(refusal(() => decodeObjectBody('Service', body, true)).message, /: error converting YAML to JSON: yaml: anchor 'm' value contains itself \(/);
});

test('an alias with no anchor before it is refused as goyaml refuses it, ahead of later aliasing', () => {
  const body = `kind: Service\nmetadata: {name: *later}\nx: &later y\n${BILLION_LAUGHS.split('\n').slice(1).join('\n')}\n`;
  assert.equal(refusal(() => decodeApplyBody(body)).message, "error decoding YAML: error converting YAML to JSON: yaml: unknown anchor 'later' referenced");
});
