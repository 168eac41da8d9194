// `kubectl … --dry-run=server` over HTTPS. kubectl sends a deletion's dry run inside the
// DeleteOptions body (`{"propagationPolicy":"Background","dryRun":["All"]}`) and a create's as
// `?dryRun=All`; either way the answer is what the write would answer and nothing changes.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { R } from '../../../emulator/src/api/resources';
import type { Service } from '../../../emulator/src/api/types';
import { rt, serviceManifest } from '../registry/registryFixtures';
import { startApiFixture, type ApiFixture } from './apiServerFixture';

let api: ApiFixture;

before(async () => {
  api = await startApiFixture();
});

after(async () => {
  await api?.close();
});

test('kubectl delete --dry-run=server answers with the Service and leaves it and its ClusterIP in place', async () => {
  const stored = api.cluster.registry.create(rt(R.services), 'default', serviceManifest('web')).object as Service;
  const rv = api.cluster.store.resourceVersion;

  const inBody = await api.send('DELETE', '/api/v1/namespaces/default/services/web', { propagationPolicy: 'Background', dryRun: ['All'] });
  const inQuery = await api.send('DELETE', '/api/v1/namespaces/default/services/web?dryRun=All');

  for (const answer of [inBody, inQuery]) {
    assert.equal(answer.code, 200);
    assert.equal((answer.body as Service).metadata.uid, stored.metadata.uid);
  }
  assert.equal(api.cluster.store.get(R.services, 'default', 'web'), stored);
  assert.equal(api.cluster.store.resourceVersion, rv);
  assert.equal(api.cluster.services.clusterIPs.has(stored.spec.clusterIP ?? ''), true);
});

test('a dry-run deletecollection deletes nothing either', async () => {
  api.cluster.registry.create(rt(R.services), 'default', serviceManifest('a'));
  const before = api.cluster.store.list(R.services, 'default');
  const answer = await api.send('DELETE', '/api/v1/namespaces/default/services', { dryRun: ['All'] });
  assert.equal(answer.code, 200);
  assert.deepEqual(api.cluster.store.list(R.services, 'default'), before);
});

test('kubectl create --dry-run=server answers 201 with a ClusterIP and stores nothing', async () => {
  const rv = api.cluster.store.resourceVersion;
  const answer = await api.send('POST', '/api/v1/namespaces/default/services?dryRun=All&fieldManager=kubectl-create', serviceManifest('dry'));
  assert.equal(answer.code, 201);
  assert.match((answer.body as Service).spec.clusterIP ?? '', /^10\./);
  assert.equal(api.cluster.store.get(R.services, 'default', 'dry'), undefined);
  assert.equal(api.cluster.store.resourceVersion, rv);
});
