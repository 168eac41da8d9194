import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkRequestBody,
  findDuplicateFields,
  findStrictErrors,
  findTypeErrors,
  findUnknownFields,
  goMapString,
  invalidPatchStatus,
  pruneUnknownFields,
  strictDecodingMessage,
  typeErrorMessage,
  warningHeaderValue,
} from '../../../../server/src/validation/fields';

// The lesson's manifests, as kubectl sends them after converting the YAML to JSON.
const lessonDeployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] },
    },
  },
};

const lessonService = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web' },
  spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 80, nodePort: 30080 }] },
};

/** The lesson Deployment with its one container, pod spec, spec and metadata extended. */
function deploymentWith(parts: {
  container?: Record<string, unknown>;
  podSpec?: Record<string, unknown>;
  spec?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}): Record<string, unknown> {
  const base = lessonDeployment;
  return {
    ...base,
    metadata: { ...base.metadata, ...parts.metadata },
    spec: {
      ...base.spec,
      ...parts.spec,
      template: {
        ...base.spec.template,
        spec: { containers: [{ ...base.spec.template.spec.containers[0], ...parts.container }], ...parts.podSpec },
      },
    },
  };
}

interface DeploymentShape {
  metadata: { labels: Record<string, string> };
  spec: Record<string, unknown> & { template: { spec: { containers: Record<string, unknown>[] } } };
}

function service(ports: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports, ...extra } };
}

test('the lesson Deployment and Service decode cleanly under Strict', () => {
  for (const obj of [lessonDeployment, lessonService]) {
    assert.deepEqual(findUnknownFields(obj.apiVersion, obj.kind, obj), []);
    assert.deepEqual(findTypeErrors(obj.apiVersion, obj.kind, obj), []);
    assert.deepEqual(checkRequestBody(obj.apiVersion, obj.kind, JSON.stringify(obj), 'Strict'), { ok: true, warnings: [] });
  }
});

test('a tragetPort typo is an unknown field at its indexed path, rejected with 400 under Strict', () => {
  const body = service([{ port: 80, tragetPort: 8080 }]);
  assert.deepEqual(findUnknownFields('v1', 'Service', body), ['spec.ports[0].tragetPort']);
  const decision = checkRequestBody('v1', 'Service', JSON.stringify(body), 'Strict');
  assert.deepEqual(decision, {
    ok: false,
    status: {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'Service in version "v1" cannot be handled as a Service: strict decoding error: unknown field "spec.ports[0].tragetPort"',
      reason: 'BadRequest',
      code: 400,
    },
  });
});

test('Warn turns each strict error into a warning; Ignore accepts silently', () => {
  const body = JSON.stringify(service([{ port: 80, tragetPort: 8080 }], { foo: 1 }));
  assert.deepEqual(checkRequestBody('v1', 'Service', body, 'Warn'), {
    ok: true,
    warnings: ['unknown field "spec.ports[0].tragetPort"', 'unknown field "spec.foo"'],
  });
  assert.equal(warningHeaderValue('unknown field "spec.foo"'), '299 - "unknown field \\"spec.foo\\""');
  assert.deepEqual(checkRequestBody('v1', 'Service', body, 'Ignore'), { ok: true, warnings: [] });
});

test('unknown fields deep in a container, matched case-sensitively, in document order', () => {
  const d = deploymentWith({
    container: {
      ports: [{ containerport: 80 }],
      resources: { limit: { cpu: '1' } },
      livenessProbe: { httpGet: { path: '/', port: 80, schema: 'HTTP' } },
    },
  });
  assert.deepEqual(findUnknownFields('apps/v1', 'Deployment', d), [
    'spec.template.spec.containers[0].ports[0].containerport',
    'spec.template.spec.containers[0].resources.limit',
    'spec.template.spec.containers[0].livenessProbe.httpGet.schema',
  ]);
});

test('keys of maps are never unknown fields', () => {
  const d = deploymentWith({
    metadata: {
      labels: { 'app.kubernetes.io/name': 'web', tier: 'frontend', containers: 'x' },
      annotations: { 'example.com/owner': 'team-a', spec: 'not a field' },
    },
    spec: { selector: { matchLabels: { 'app.kubernetes.io/name': 'web' } } },
    podSpec: { nodeSelector: { 'kubernetes.io/os': 'linux' } },
    container: { resources: { limits: { cpu: '500m', 'example.com/gpu': 1 } } },
  });
  assert.deepEqual(findUnknownFields('apps/v1', 'Deployment', d), []);
  const s = service([{ port: 80 }], { selector: { anything: 'goes', 'a.b/c': 'd' } });
  assert.deepEqual(findUnknownFields('v1', 'Service', s), []);
  const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { password: 'c2VjcmV0' }, stringData: { user: 'u' } };
  assert.deepEqual(findUnknownFields('v1', 'Secret', secret), []);
});

test('duplicate keys in the JSON text, nested and inside arrays and maps', () => {
  assert.deepEqual(findDuplicateFields('{"metadata":{"name":"a","name":"b"}}'), ['metadata.name']);
  const text =
    '{"apiVersion":"v1","kind":"Service","metadata":{"name":"web","labels":{"app":"a","app":"b"}},' +
    '"spec":{"ports":[{"port":80},{"port":81,"port":82}],"type":"ClusterIP","type":"NodePort"}}';
  assert.deepEqual(findDuplicateFields(text, 'v1', 'Service'), ['metadata.labels.app', 'spec.ports[1].port', 'spec.type']);
  const decision = checkRequestBody('v1', 'Service', text, 'Strict');
  assert.equal(
    decision.ok ? '' : decision.status.message,
    'Service in version "v1" cannot be handled as a Service: strict decoding error: duplicate field "metadata.labels.app", ' +
      'duplicate field "spec.ports[1].port", duplicate field "spec.type"',
  );
});

test('a repeated unknown key is one unknown field, and nothing under an unknown field is checked', () => {
  const text = '{"apiVersion":"v1","kind":"Service","metadata":{"name":"web"},"spec":{"foo":1,"foo":2,"bar":{"x":1,"x":2}}}';
  assert.deepEqual(findStrictErrors('v1', 'Service', text), [
    { type: 'unknown field', path: 'spec.foo' },
    { type: 'unknown field', path: 'spec.bar' },
  ]);
  // Without the schema every object counts, which is all the text alone can say.
  assert.deepEqual(findDuplicateFields(text), ['spec.foo', 'spec.bar.x']);
});

test('strict errors keep the order the decoder meets them; the message joins them with ", "', () => {
  const text = '{"apiVersion":"v1","kind":"Service","metadata":{"name":"a","name":"b"},"spec":{"foo":1}}';
  const errors = findStrictErrors('v1', 'Service', text);
  assert.equal(
    strictDecodingMessage(errors),
    'strict decoding error: duplicate field "metadata.name", unknown field "spec.foo"',
  );
  assert.equal(
    strictDecodingMessage(['spec.foo'], ['metadata.name']),
    'strict decoding error: unknown field "spec.foo", duplicate field "metadata.name"',
  );
});

test('a string where an int32 belongs fails decoding with the Go struct field named', () => {
  const body = service([{ port: '80', targetPort: 80 }]);
  const errors = findTypeErrors('v1', 'Service', body);
  assert.equal(errors.length, 1);
  assert.deepEqual(
    { path: errors[0]!.path, field: errors[0]!.field, expected: errors[0]!.expected, actual: errors[0]!.actual },
    { path: ['spec', 'ports', 0, 'port'], field: 'spec.ports[0].port', expected: 'int32', actual: 'string' },
  );
  assert.equal(
    typeErrorMessage('v1', 'Service', errors),
    'Service in version "v1" cannot be handled as a Service: json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32',
  );
});

test('type error messages name the innermost struct and the Go type', () => {
  const cases: [unknown, string][] = [
    [{ spec: { replicas: '3' } }, 'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32'],
    [
      { spec: { template: { metadata: { labels: { version: 1.5 } } } } },
      'json: cannot unmarshal number into Go struct field ObjectMeta.spec.template.metadata.labels of type string',
    ],
    [
      { spec: { template: { spec: { containers: [{ name: 'a', ports: [{ containerPort: 80, protocol: 6 }] }] } } } },
      'json: cannot unmarshal number into Go struct field ContainerPort.spec.template.spec.containers.ports.protocol of type v1.Protocol',
    ],
    [
      { spec: { template: { spec: { containers: { name: 'a' } } } } },
      'json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container',
    ],
    [
      { spec: { template: { spec: { containers: ['nginx'] } } } },
      'json: cannot unmarshal string into Go struct field PodSpec.spec.template.spec.containers of type v1.Container',
    ],
    [{ spec: { paused: 'true' } }, 'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.paused of type bool'],
  ];
  for (const [body, message] of cases) {
    const errors = findTypeErrors('apps/v1', 'Deployment', { apiVersion: 'apps/v1', kind: 'Deployment', ...(body as object) });
    assert.equal(errors[0]?.message, message);
  }
  assert.equal(
    typeErrorMessage('apps/v1', 'Deployment', findTypeErrors('apps/v1', 'Deployment', { spec: { replicas: '3' } })),
    'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
  );
});

test('numbers must be integers that fit: Go quotes the literal it could not parse', () => {
  const text = '{"apiVersion":"v1","kind":"Service","spec":{"ports":[{"port":80.0},{"port":3000000000}]}}';
  assert.deepEqual(
    findTypeErrors('v1', 'Service', text).map((e) => e.message),
    [
      'json: cannot unmarshal number 80.0 into Go struct field ServicePort.spec.ports.port of type int32',
      'json: cannot unmarshal number 3000000000 into Go struct field ServicePort.spec.ports.port of type int32',
    ],
  );
});

test('the loose cases Kubernetes accepts: intOrString, quantities as numbers, null anywhere', () => {
  assert.deepEqual(findTypeErrors('v1', 'Service', service([{ port: 80, targetPort: 'http' }, { port: 81, targetPort: 8081 }])), []);
  assert.deepEqual(findTypeErrors('v1', 'Service', service([{ port: null, targetPort: null, name: null }], { clusterIPs: null })), []);
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p' },
    spec: { containers: [{ name: 'a', resources: { limits: { cpu: 0.5, memory: '128Mi' }, requests: { cpu: '100m', memory: ' 64Mi ' } } }] },
  };
  assert.deepEqual(findTypeErrors('v1', 'Pod', pod), []);
});

test('intOrString and Quantity errors come from their own UnmarshalJSON', () => {
  const bad = findTypeErrors('v1', 'Service', service([{ port: 80, targetPort: true }]));
  assert.equal(bad[0]?.message, 'json: cannot unmarshal bool into Go struct field ServicePort.spec.ports.targetPort of type int32');
  const pod = (limits: unknown) => ({ apiVersion: 'v1', kind: 'Pod', spec: { containers: [{ name: 'a', resources: { limits } }] } });
  assert.equal(
    typeErrorMessage('v1', 'Pod', findTypeErrors('v1', 'Pod', pod({ memory: '128MB' }))),
    `Pod in version "v1" cannot be handled as a Pod: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
  );
  assert.equal(findTypeErrors('v1', 'Pod', pod({ memory: '1mi' }))[0]?.message, "unable to parse quantity's suffix");
});

test('an error from a custom unmarshaler stops decoding and wins over an earlier saved one', () => {
  const errors = findTypeErrors('v1', 'Service', service([{ port: '80' }, { port: 81, targetPort: {} }]));
  assert.equal(errors.length, 2);
  assert.equal(
    typeErrorMessage('v1', 'Service', errors),
    'Service in version "v1" cannot be handled as a Service: json: cannot unmarshal object into Go struct field ServicePort.spec.ports.targetPort of type int32',
  );
});

test('a type error is reported instead of strict errors, under every directive', () => {
  const body = JSON.stringify(service([{ port: '80', tragetPort: 1 }]));
  for (const directive of ['Strict', 'Warn', 'Ignore'] as const) {
    const decision = checkRequestBody('v1', 'Service', body, directive);
    assert.equal(decision.ok, false);
    if (!decision.ok) {
      assert.equal(decision.status.code, 400);
      assert.equal(
        decision.status.message,
        'Service in version "v1" cannot be handled as a Service: json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32',
      );
    }
  }
});

test('Secret data must be base64: Go reports the first bad byte', () => {
  const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { password: 'c2VjcmV0!' } };
  assert.equal(
    typeErrorMessage('v1', 'Secret', findTypeErrors('v1', 'Secret', secret)),
    'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 8',
  );
  assert.deepEqual(findTypeErrors('v1', 'Secret', { ...secret, data: { password: 'c2Vj\ncmV0' } }), []);
});

test('pruning drops unknown fields at every depth and keeps map keys, without touching the input', () => {
  const d = deploymentWith({
    spec: { foo: 1 },
    container: { imagePullPolicyy: 'Always' },
    metadata: { labels: { app: 'web', 'not-a-field': 'kept' } },
  });
  const before = structuredClone(d);
  const pruned = pruneUnknownFields('apps/v1', 'Deployment', d) as unknown as DeploymentShape;
  assert.deepEqual(d, before);
  assert.equal('foo' in pruned.spec, false);
  assert.equal('imagePullPolicyy' in pruned.spec.template.spec.containers[0], false);
  assert.equal(pruned.metadata.labels['not-a-field'], 'kept');
  assert.deepEqual(findUnknownFields('apps/v1', 'Deployment', pruned), []);
  assert.deepEqual(pruned.spec.template.spec.containers[0], lessonDeployment.spec.template.spec.containers[0]);
});

test('a strict error in a patch is a 422 Invalid with the patched value in the message', () => {
  const detail = 'strict decoding error: unknown field "spec.foo"';
  const status = invalidPatchStatus('{"spec":{"foo":1}}', detail);
  assert.equal(status.code, 422);
  assert.equal(status.reason, 'Invalid');
  assert.equal(status.message, ' "" is invalid: patch: Invalid value: "{\\"spec\\":{\\"foo\\":1}}": strict decoding error: unknown field "spec.foo"');
  assert.deepEqual(status.details?.causes, [
    { reason: 'FieldValueInvalid', message: 'Invalid value: "{\\"spec\\":{\\"foo\\":1}}": ' + detail, field: 'patch' },
  ]);
  assert.equal(goMapString({ spec: { replicas: 3, ports: [{ port: 80, name: 'web' }] }, b: true, a: null }), 'map[a:<nil> b:true spec:map[ports:[map[name:web port:80]] replicas:3]]');
});
