// Which documents apply and delete act on, what they skip and why, the pod search path for
// DNS names, and kubectl's wording of API errors.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { documentSubject, kubectlErrorText } from '../../../../../server/src/requests/documentObjects';
import { reverseName, searchCandidates } from '../../../../../server/src/requests/emulatorDns';
import { requestedIndexes } from '../../../../../server/src/requests/manifestSource';
import { manifest, URI } from '../featureFixtures';

const text = [
  'apiVersion: v1',
  'kind: Service',
  'metadata:',
  '  name: web',
  '---',
  '# only a comment',
  '---',
  'apiVersion: v1',
  'kind: Service',
  'metadata:',
  '  name: [oops',
  '---',
  'just: a map',
  '---',
  'apiVersion: v1',
  'kind: Service',
  'metadata:',
  '  generateName: web-',
  '',
].join('\n');

test('empty documents are left out, broken ones skipped with the reason, nameless ones fail', () => {
  const file = manifest(text);
  assert.deepEqual(requestedIndexes({ uri: URI }, file), [0, 1, 2, 3, 4]);
  assert.deepEqual(requestedIndexes({ uri: URI, documents: [4, 1, 1, 9, -1] }, file), [1, 4]);
  const subjects = requestedIndexes({ uri: URI }, file).map((i) => documentSubject(file, i));
  assert.deepEqual(subjects[0]?.result, { document: 0, kind: 'Service', name: 'web', outcome: 'skipped' });
  assert.equal(subjects[0]?.ok, true);
  assert.equal(subjects[1], undefined);
  assert.equal(subjects[2]?.result.outcome, 'skipped');
  assert.match(subjects[2]?.result.message ?? '', /^the YAML does not parse \(line 11: /);
  assert.deepEqual(subjects[3]?.result, { document: 3, kind: '', name: '', outcome: 'skipped', message: 'not a Kubernetes object: apiVersion and kind are required' });
  assert.deepEqual(subjects[4]?.result, { document: 4, kind: 'Service', name: '', outcome: 'failed', message: 'cannot use generate name with apply' });
});

test('API errors read as kubectl prints them', () => {
  const status = (code: number, reason: string, message: string) => ({ status: code, headers: {}, body: JSON.stringify({ kind: 'Status', status: 'Failure', code, reason, message }) });
  assert.equal(kubectlErrorText(status(422, 'Invalid', 'Service "web" is invalid: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive')), 'The Service "web" is invalid: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive');
  assert.equal(kubectlErrorText(status(404, 'NotFound', 'pods "x" not found')), 'Error from server (NotFound): pods "x" not found');
  assert.equal(kubectlErrorText({ status: 502, headers: {}, body: 'bad gateway' }), 'Error from server: bad gateway');
});

test('short names go through the pod search path first; long or absolute names as written', () => {
  assert.deepEqual(searchCandidates('web', 'shop', 'cluster.local'), ['web.shop.svc.cluster.local', 'web.svc.cluster.local', 'web.cluster.local', 'web']);
  assert.deepEqual(searchCandidates('web.default.svc.cluster.local', 'shop', 'cluster.local')[3], 'web.default.svc.cluster.local', 'four dots are fewer than ndots 5');
  assert.deepEqual(searchCandidates('a.b.c.d.e.f', 'shop', 'cluster.local')[0], 'a.b.c.d.e.f');
  assert.deepEqual(searchCandidates('example.com.', 'shop', 'cluster.local'), ['example.com']);
  assert.equal(reverseName('10.96.0.10'), '10.0.96.10.in-addr.arpa');
  assert.equal(reverseName('web'), undefined);
});
