import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
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

test('lists stay sorted by namespace then name, with the newest version of each object, through any mix of writes', () => {
  const op = fc.record({
    kind: fc.constantFrom('create', 'update', 'delete', 'list'),
    ns: fc.constantFrom('default', 'kube-system', 'a', 'zz', 'Default'),
    name: fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,6})$/),
  });
  fc.assert(
    fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
      const s = new Store();
      const model = new Map<string, { ns: string; name: string; rv?: string }>();
      const expected = (ns?: string): string[] =>
        [...model.values()]
          .filter((o) => ns === undefined || o.ns === ns)
          .sort((a, b) => (a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
          .map((o) => `${o.ns}/${o.name}@${o.rv}`);
      const listed = (ns?: string): string[] =>
        s.list('services', ns).map((o) => `${o.metadata.namespace}/${o.metadata.name}@${o.metadata.resourceVersion}`);
      for (const { kind, ns, name } of ops) {
        const key = `${ns}/${name}`;
        if (kind === 'create' && !model.has(key)) {
          model.set(key, { ns, name, rv: s.create('services', svc(name, ns)).metadata.resourceVersion });
        } else if (kind === 'update' && model.has(key)) {
          model.set(key, { ns, name, rv: s.update('services', { ...svc(name, ns), spec: { type: 'NodePort' } }).metadata.resourceVersion });
        } else if (kind === 'delete' && model.has(key)) {
          s.delete('services', ns, name);
          model.delete(key);
        } else if (kind === 'list') {
          assert.deepEqual(listed(ns), expected(ns));
        }
      }
      assert.deepEqual(listed(), expected());
      assert.equal(s.count('services'), model.size);
    }),
  );
});

test('a list is the caller\'s own array: changing it changes nothing in the store', () => {
  const s = new Store();
  for (const n of ['c', 'a', 'b']) s.create('services', svc(n));
  const first = s.list('services', 'default');
  first.reverse().pop();
  assert.deepEqual(s.list('services', 'default').map((o) => o.metadata.name), ['a', 'b', 'c']);
  assert.deepEqual(s.list('services').map((o) => o.metadata.name), ['a', 'b', 'c']);
});

test('what is read back equals what was written, whatever parts stored objects share', () => {
  const json = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.constantFrom('True', 'False', 'Running', '', 'a"b', '1'),
      fc.integer({ min: -3, max: 3 }),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('value'), { maxLength: 3 }),
      fc.dictionary(fc.constantFrom('type', 'status', 'name', 'items', 'x'), tie('value'), { maxKeys: 3, noNullPrototype: true }),
    ),
  })).value;
  fc.assert(
    fc.property(fc.array(json, { minLength: 1, maxLength: 20 }), (specs) => {
      const s = new Store();
      specs.forEach((spec, i) => s.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace: 'default' }, data: { spec } } as KubeObject));
      // Each object rewritten with the next one's content: updates share with their previous version.
      specs.forEach((_, i) => s.update('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace: 'default' }, data: { spec: structuredClone(specs[(i + 1) % specs.length]) } } as KubeObject));
      specs.forEach((_, i) => {
        const stored = s.get('configmaps', 'default', `cm-${i}`) as KubeObject & { data: { spec: unknown } };
        assert.deepStrictEqual(stored.data.spec, specs[(i + 1) % specs.length]);
        assert.equal(JSON.stringify(stored.data.spec), JSON.stringify(specs[(i + 1) % specs.length]));
      });
    }),
  );
});

test('equal parts of different objects are stored once, and every part stays frozen', () => {
  const s = new Store();
  const pod = (name: string, ip: string): KubeObject =>
    ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'default', labels: { app: 'web' } },
      spec: { tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }] },
      status: { phase: 'Running', podIPs: [{ ip }] },
    }) as KubeObject;
  const a = s.create('pods', pod('a', '10.244.0.1')) as KubeObject & { spec: { tolerations: unknown[] }; status: { podIPs: unknown[] } };
  const b = s.create('pods', pod('b', '10.244.0.2')) as KubeObject & { spec: { tolerations: unknown[] }; status: { podIPs: unknown[] } };
  assert.equal(a.spec.tolerations, b.spec.tolerations);
  assert.equal(a.metadata.labels, b.metadata.labels);
  assert.notEqual(a.status.podIPs, b.status.podIPs);
  assert.deepEqual(b.status.podIPs, [{ ip: '10.244.0.2' }]);
  assert.throws(() => {
    (a.spec.tolerations[0] as { operator: string }).operator = 'Equal';
  }, TypeError);
  assert.throws(() => {
    (b.metadata.labels as Record<string, string>).app = 'other';
  }, TypeError);
});

test('an update shares what did not change with the version it replaces', () => {
  const s = new Store();
  const first = s.create('services', { ...svc('a'), spec: { ports: [{ port: 80 }], selector: { app: 'a' }, type: 'ClusterIP' } });
  const second = s.update('services', { ...svc('a'), spec: { ports: [{ port: 80 }], selector: { app: 'a' }, type: 'NodePort' } });
  const ports = (o: KubeObject) => (o.spec as { ports: unknown[] }).ports;
  assert.equal(ports(second), ports(first));
  assert.equal((second.spec as { type: string }).type, 'NodePort');
  assert.equal((first.spec as { type: string }).type, 'ClusterIP', 'the previous version is untouched');
});

test('thousands of writes with no list in between still list in order (the pending side list is merged along the way)', () => {
  const s = new Store();
  const name = (i: number) => `ev-${(i * 7919) % 5000}`;
  for (let i = 0; i < 5000; i++) s.create('events', svc(name(i)));
  for (let i = 0; i < 5000; i += 2) s.delete('events', 'default', name(i));
  for (let i = 0; i < 5000; i += 4) s.create('events', svc(name(i)));
  for (let i = 1; i < 5000; i += 6) s.update('events', { ...svc(name(i)), spec: { type: 'NodePort' } });
  const listed = s.list('events', 'default');
  const names = listed.map((o) => o.metadata.name ?? '');
  assert.deepEqual(names, [...names].sort());
  assert.equal(new Set(names).size, names.length);
  assert.equal(listed.length, 2500 + 1250);
  for (const o of listed) assert.equal(o, s.get('events', 'default', o.metadata.name ?? ''), `${o.metadata.name} is listed in its newest version`);
});
