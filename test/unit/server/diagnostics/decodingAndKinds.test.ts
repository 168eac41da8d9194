// What kubectl and the apiserver's decoder refuse before validation: unknown fields, values of
// the wrong type (YAML 1.1 booleans included), duplicate fields in JSON, missing or wrong
// apiVersion and kind, and broken YAML. Each is reported on its own key or value.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { check, errors, service } from './checkYaml';

describe('strict decoding', () => {
  it('an unknown field is an error on its key, with the apiserver message', () => {
    const yaml = service('  ports:\n  - port: 80\n    tragetPort: 8080\n');
    assert.deepEqual(errors(yaml), [
      { code: 'spec.ports[0].tragetPort', message: 'strict decoding error: unknown field "spec.ports[0].tragetPort"', text: 'tragetPort' },
    ]);
  });

  it('unknown fields do not stop validation of the rest', () => {
    const yaml = service('  selector2: {app: web}\n  ports:\n  - port: 0\n    targetPort: 80\n');
    assert.deepEqual(
      errors(yaml).map((e) => e.code),
      ['spec.selector2', 'spec.ports[0].port'],
    );
  });

  it('finds an unknown field under a label key with dots', () => {
    const yaml = service('  ports:\n  - port: 80\n', '  name: web\n  labels:\n    app.kubernetes.io/name: web\n  lables: {}\n');
    assert.deepEqual(errors(yaml), [{ code: 'metadata.lables', message: 'strict decoding error: unknown field "metadata.lables"', text: 'lables' }]);
  });

  it('a wrong type is an error on the value, with the decoder message, and validation waits for it', () => {
    const yaml = service('  ports:\n  - port: "80"\n    name: Bad_Name\n');
    assert.deepEqual(errors(yaml), [
      {
        code: 'spec.ports[0].port',
        message: 'json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32',
        text: '"80"',
      },
    ]);
  });

  it('a YAML 1.1 boolean as a label value is a type error, as with kubectl', () => {
    const yaml = service('  ports:\n  - port: 80\n', '  name: web\n  labels:\n    enabled: yes\n');
    assert.deepEqual(errors(yaml), [
      { code: 'metadata.labels.enabled', message: 'json: cannot unmarshal bool into Go struct field ObjectMeta.metadata.labels of type string', text: 'yes' },
    ]);
  });

  it('duplicate fields are the decoder\'s error in JSON input, which kubectl sends as written', () => {
    const json = '{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "name": "web2"}, "spec": {"ports": [{"port": 80}]}}\n';
    assert.deepEqual(errors(json), [
      { code: 'metadata.name', message: 'strict decoding error: duplicate field "metadata.name"', text: '"name"' },
    ]);
  });

  it('a repeated YAML key is only a warning: kubectl keeps the last value and the apiserver never sees the first', () => {
    const yaml = service('  ports:\n  - port: 0\n    port: 80\n');
    assert.deepEqual(check(yaml).map(({ severity, code, text, line }) => ({ severity, code, text, line })), [
      { severity: 'warning', code: 'ksl/duplicate-key', text: 'port', line: 8 },
    ]);
  });
});

describe('apiVersion and kind', () => {
  it('reports a missing kind and apiVersion on the document', () => {
    assert.deepEqual(errors('metadata:\n  name: web\n'), [
      { code: 'apiVersion', message: 'apiVersion not set', text: 'metadata' },
      { code: 'kind', message: 'kind not set', text: 'metadata' },
    ]);
  });

  it('reports a built-in kind under an apiVersion that does not serve it', () => {
    assert.deepEqual(errors('apiVersion: app/v1\nkind: Deployment\nmetadata: {name: web}\n'), [
      { code: 'apiVersion', message: 'no matches for kind "Deployment" in version "app/v1"', text: 'app/v1' },
    ]);
  });

  it('leaves unknown kinds (custom resources) alone', () => {
    assert.deepEqual(check('apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {anything: [1, 2]}\n'), []);
  });
});

describe('YAML problems', () => {
  it('a syntax error is an error where it is, and the document gets no other finding', () => {
    const yaml = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n    labels: x\n';
    const seen = check(yaml);
    assert.ok(seen.length > 0);
    for (const s of seen) {
      assert.equal(s.severity, 'error');
      assert.equal(s.code, 'ksl/yaml-syntax');
      assert.ok(s.line >= 4, `line ${s.line}: the error is at the bad indentation, not at the top`);
    }
  });

  it('a broken document does not hide the findings of the others', () => {
    const yaml = 'a: [\n---\n' + service('  ports:\n  - port: 0\n    targetPort: 80\n');
    const seen = check(yaml);
    assert.deepEqual(
      seen.map((s) => [s.code, s.line]),
      [
        ['ksl/yaml-syntax', 1],
        ['spec.ports[0].port', 9],
      ],
    );
  });
});
