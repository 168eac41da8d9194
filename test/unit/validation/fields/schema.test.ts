import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldAt, goTypeOf, knownKinds, quantityParseError, schemaFor } from '../../../../server/src/validation/fields';

test('every kind the emulator serves has a schema', () => {
  const expected = [
    'v1/Service', 'v1/Pod', 'v1/Namespace', 'v1/Endpoints', 'v1/Event', 'v1/Node', 'v1/ConfigMap', 'v1/Secret',
    'apps/v1/Deployment', 'apps/v1/ReplicaSet', 'apps/v1/StatefulSet', 'apps/v1/DaemonSet',
    'discovery.k8s.io/v1/EndpointSlice', 'autoscaling/v1/Scale', 'v1/DeleteOptions', 'v1/Status',
  ];
  const known = new Set(knownKinds().map((k) => `${k.apiVersion}/${k.kind}`));
  for (const k of expected) assert.ok(known.has(k), k);
  assert.equal(schemaFor('v1', 'Deployment'), undefined);
  assert.equal(schemaFor('apps/v1', 'deployment'), undefined);
});

test('fieldAt tells the language server what a YAML node should hold', () => {
  const svc = schemaFor('v1', 'Service')!;
  assert.equal(fieldAt(svc, ['spec', 'ports', 0, 'targetPort'])?.kind, 'intOrString');
  assert.deepEqual(fieldAt(svc, ['spec', 'ports', 0, 'port']), { kind: 'integer', bits: 32 });
  assert.equal(fieldAt(svc, ['metadata', 'labels', 'app.kubernetes.io/name'])?.kind, 'string');
  assert.equal(fieldAt(svc, ['spec', 'ports', 0, 'tragetPort']), undefined);
  assert.equal(fieldAt(svc, ['spec', 'ports', 'x']), undefined);
  const deploy = schemaFor('apps/v1', 'Deployment')!;
  assert.equal(goTypeOf(fieldAt(deploy, ['spec', 'template', 'spec', 'containers'])!), '[]v1.Container');
  assert.equal(fieldAt(deploy, ['spec', 'template', 'spec', 'containers', 0, 'resources', 'limits', 'cpu'])?.kind, 'quantity');
  assert.equal(fieldAt(deploy, ['metadata', 'managedFields', 0, 'fieldsV1', 'f:spec', 'f:replicas'])?.kind, 'open');
});

test('quantity parsing accepts and rejects what resource.ParseQuantity does', () => {
  for (const ok of ['0', '100m', '1.5Gi', '128Mi', '1e3', '1E+5', '0.5', '-1', '1.', '500k', '2Ti']) {
    assert.equal(quantityParseError(ok), undefined, ok);
  }
  assert.equal(quantityParseError('1mi'), "unable to parse quantity's suffix");
  assert.equal(quantityParseError('1e'), "unable to parse quantity's suffix");
  for (const bad of ['', '1Kib', '100MB', 'abc', '1.5.5', 'true', '{}']) {
    assert.equal(
      quantityParseError(bad),
      `quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
      bad,
    );
  }
});
