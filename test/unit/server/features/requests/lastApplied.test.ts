// kubectl apply's client-side bookkeeping: the last-applied annotation written exactly as
// kubectl writes it, and the three-way merge patch that decides between "unchanged" and
// "configured".

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goJson, LAST_APPLIED, recordedOriginal, threeWayMergePatch, withLastApplied } from '../../../../../server/src/requests/lastApplied';
import type { KubeObject } from '../../../../../server/src/validation/kubeTypes';

const manifest: KubeObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'default' },
  spec: { type: 'ClusterIP', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 80 }] },
};

/** The Service as the apiserver keeps it after applying `applied`: defaulted, allocated, with status. */
function live(applied: KubeObject, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const spec = applied['spec'] as Record<string, unknown>;
  return {
    ...applied,
    metadata: { ...applied.metadata, uid: 'u1', resourceVersion: '12', creationTimestamp: '2026-11-26T08:00:00Z' },
    spec: {
      ...spec,
      ports: (spec['ports'] as Record<string, unknown>[]).map((p) => ({ protocol: 'TCP', ...p })),
      clusterIP: '10.96.12.4',
      clusterIPs: ['10.96.12.4'],
      sessionAffinity: 'None',
      ...extra,
    },
    status: { loadBalancer: {} },
  };
}

test('the annotation is Go JSON with sorted keys, empty annotations and a newline, as kubectl writes it', () => {
  const applied = withLastApplied(manifest);
  assert.equal(
    applied.metadata.annotations?.[LAST_APPLIED],
    '{"apiVersion":"v1","kind":"Service","metadata":{"annotations":{},"name":"web","namespace":"default"},"spec":{"ports":[{"port":80,"targetPort":80}],"selector":{"app":"web"},"type":"ClusterIP"}}\n',
  );
  assert.equal(manifest.metadata.annotations, undefined, 'the manifest itself is left alone');
  assert.equal(goJson({ b: '<a&b>', a: [1, null, 'x\u2028'] }), '{"a":[1,null,"x\\u2028"],"b":"\\u003ca\\u0026b\\u003e"}');
});

test('the same manifest again is unchanged, whatever the server filled in', () => {
  const applied = withLastApplied(manifest);
  const current = live(applied);
  assert.deepEqual(threeWayMergePatch(recordedOriginal(current as KubeObject), applied, current), {});
});

test('a changed value is set, and the record is updated with it', () => {
  const before = withLastApplied(manifest);
  const changed = withLastApplied({ ...manifest, spec: { ...(manifest['spec'] as object), type: 'NodePort' } });
  const patch = threeWayMergePatch(recordedOriginal(live(before) as KubeObject), changed, live(before));
  assert.deepEqual(patch, { metadata: { annotations: { [LAST_APPLIED]: changed.metadata.annotations![LAST_APPLIED]! } }, spec: { type: 'NodePort' } });
});

test('a field dropped from the manifest is deleted, one the server added is kept', () => {
  const before = withLastApplied({ ...manifest, spec: { ...(manifest['spec'] as object), sessionAffinity: 'ClientIP' } });
  const after = withLastApplied(manifest);
  const current = live(before, { sessionAffinity: 'ClientIP' });
  const patch = threeWayMergePatch(recordedOriginal(current as KubeObject), after, current);
  assert.deepEqual(patch['spec'], { sessionAffinity: null });
});

test('a list is replaced when the manifest changed it, or when the live list lost what it asks for', () => {
  const before = withLastApplied(manifest);
  const twoPorts = withLastApplied({ ...manifest, spec: { ...(manifest['spec'] as object), ports: [{ port: 80, targetPort: 80 }, { port: 443 }] } });
  assert.deepEqual((threeWayMergePatch(recordedOriginal(live(before) as KubeObject), twoPorts, live(before))['spec'] as Record<string, unknown>)['ports'], [{ port: 80, targetPort: 80 }, { port: 443 }]);
  const drifted = live(before, { ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] });
  assert.deepEqual(threeWayMergePatch(recordedOriginal(drifted as KubeObject), before, drifted)['spec'], { ports: [{ port: 80, targetPort: 80 }] });
});

test('a value changed in the cluster (kubectl scale) is set back, as kubectl apply does', () => {
  const deployment = withLastApplied({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' }, spec: { replicas: 3 } });
  const scaled = { ...deployment, spec: { replicas: 5, revisionHistoryLimit: 10 } };
  assert.deepEqual(threeWayMergePatch(recordedOriginal(scaled), deployment, scaled), { spec: { replicas: 3 } });
});

test('an object created without the annotation is patched with it', () => {
  const created = live(manifest);
  const applied = withLastApplied(manifest);
  assert.equal(recordedOriginal(created as KubeObject), undefined);
  assert.deepEqual(Object.keys(threeWayMergePatch(undefined, applied, created)), ['metadata']);
  assert.equal(recordedOriginal({ metadata: { annotations: { [LAST_APPLIED]: 'not json' } } }), undefined);
});
