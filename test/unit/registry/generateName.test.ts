// metadata.generateName: the apiserver appends five random characters from its no-vowel
// alphabet to the prefix (names.SimpleNameGenerator), truncating a long prefix so the name
// fits in 63 characters, and picks another suffix when the name is taken.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { R } from '../../../emulator/src/api/resources';
import type { Service } from '../../../emulator/src/api/types';
import { registryCluster, rt, serviceManifest, statusOf } from './registryFixtures';

const services = rt(R.services);
const SUFFIX = '[bcdfghjklmnpqrstvwxz2456789]{5}';

function generated(prefix: string): Service {
  const svc = serviceManifest('');
  delete svc.metadata.name;
  svc.metadata.generateName = prefix;
  return svc;
}

test('a Service with only generateName gets the prefix plus five characters, and keeps generateName', () => {
  const c = registryCluster();
  const obj = c.registry.create(services, 'default', generated('web-')).object;
  const name = obj.metadata.name ?? '';
  assert.match(name, new RegExp(`^web-${SUFFIX}$`));
  assert.equal(obj.metadata.generateName, 'web-');
  assert.equal(c.store.get(R.services, 'default', name), obj);
});

test('a prefix longer than 58 characters is cut so the generated name has 63', () => {
  const c = registryCluster();
  const prefix = 'a'.repeat(70);
  const pod = c.registry.create(rt(R.pods), 'default', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { generateName: prefix, namespace: 'default' },
    spec: { containers: [{ name: 'main', image: 'nginx' }] },
  }).object;
  const name = pod.metadata.name ?? '';
  assert.equal(name.length, 63);
  assert.match(name, new RegExp(`^a{58}${SUFFIX}$`));
});

test('a name, when given, wins over generateName', () => {
  const c = registryCluster();
  const svc = serviceManifest('web');
  svc.metadata.generateName = 'other-';
  assert.equal(c.registry.create(services, 'default', svc).object.metadata.name, 'web');
});

test('a generated name that is taken is not reused: another suffix is drawn', () => {
  // Same seed, same draws: the first cluster shows which name the first draw gives.
  const first = registryCluster({ seed: 5 }).registry.create(services, 'default', generated('web-')).object.metadata.name ?? '';
  const c = registryCluster({ seed: 5 });
  c.registry.create(services, 'default', serviceManifest(first));

  const obj = c.registry.create(services, 'default', generated('web-')).object;
  assert.notEqual(obj.metadata.name, first);
  assert.match(obj.metadata.name ?? '', new RegExp(`^web-${SUFFIX}$`));
  assert.equal(c.store.count(R.services, 'default'), 2);
});

test('neither name nor generateName is a 422 naming metadata.name, and nothing is allocated', () => {
  const c = registryCluster();
  const used = c.services.clusterIPs.used;
  const svc = serviceManifest('');
  delete svc.metadata.name;
  const status = statusOf(() => c.registry.create(services, 'default', svc));
  assert.equal(status.code, 422);
  assert.equal(status.message, 'Service "" is invalid: metadata.name: Required value: name or generateName is required');
  assert.equal(c.services.clusterIPs.used, used);
});

test('a generateName that cannot make a valid name is rejected on metadata.generateName', () => {
  const c = registryCluster();
  const status = statusOf(() => c.registry.create(services, 'default', generated('Web-')));
  assert.equal(status.code, 422);
  assert.match(status.message ?? '', /metadata\.generateName: Invalid value: "Web-": a DNS-1035 label must consist of lower case/);
});
