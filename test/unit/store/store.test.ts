import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Store } from '../../../emulator/src/store/store';
import type { KubeObject } from '../../../emulator/src/api/types';

const svc = (name: string, ns = 'default'): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: {} });

test('every write gets the next resourceVersion and lists sort by namespace then name', () => {
  const s = new Store();
  s.create('services', svc('b'));
  s.create('services', svc('a'));
  s.create('services', svc('z', 'alpha'));
  assert.equal(s.resourceVersion, 3);
  assert.deepEqual(s.list('services').map((o) => `${o.metadata.namespace}/${o.metadata.name}`), ['alpha/z', 'default/a', 'default/b']);
  assert.deepEqual(s.list('services', 'default').map((o) => o.metadata.resourceVersion), ['2', '1']);
});

test('stored objects are frozen so cached reads cannot be changed by accident', () => {
  const s = new Store();
  const stored = s.create('services', svc('a'));
  assert.throws(() => {
    (stored.metadata as { name: string }).name = 'b';
  }, TypeError);
});

test('update with a stale resourceVersion is a conflict and changes nothing', () => {
  const s = new Store();
  s.create('services', svc('a'));
  s.update('services', { ...svc('a'), spec: { type: 'NodePort' } }, '1');
  assert.throws(() => s.update('services', svc('a'), '1'), /the object has been modified/);
  assert.equal((s.get('services', 'default', 'a')!.spec as { type: string }).type, 'NodePort');
});

test('watch history resumes after a resourceVersion and expires when trimmed', () => {
  const s = new Store({ historySize: 3 });
  for (const n of ['a', 'b', 'c', 'd']) s.create('services', svc(n));
  s.delete('services', 'default', 'a');
  const since = s.eventsSince(3);
  assert.ok(Array.isArray(since));
  assert.deepEqual(since.map((e) => `${e.type} ${e.object.metadata.name} ${e.rv}`), ['ADDED d 4', 'DELETED a 5']);
  assert.equal(s.eventsSince(1), 'expired');
  assert.equal(s.eventsSince(9), 'future');
});

test('a deleted object is delivered with its last state and the deletion resourceVersion', () => {
  const s = new Store();
  const seen: string[] = [];
  s.subscribe((e) => seen.push(`${e.type} ${e.object.metadata.name} rv=${e.object.metadata.resourceVersion}`));
  s.create('services', svc('a'));
  s.delete('services', 'default', 'a');
  assert.deepEqual(seen, ['ADDED a rv=1', 'DELETED a rv=2']);
  assert.equal(s.get('services', 'default', 'a'), undefined);
});
