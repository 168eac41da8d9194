// Workloads get the apiserver's basic checks of what a Service depends on: labels, the
// selector against the template's labels, and container ports. The lesson's manifests and
// the examples folder are accepted by the apiserver, so they get no error.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, errors } from './checkYaml';

function deployment(kind: string, templateLabels: string, ports = '        - containerPort: 80\n'): string {
  return `apiVersion: apps/v1
kind: ${kind}
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
${templateLabels}    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports:
${ports}`;
}

describe('workload checks', () => {
  for (const kind of ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet']) {
    it(`${kind}: a selector that does not match the template labels, on the template's labels`, () => {
      assert.deepEqual(errors(deployment(kind, '        app: wbe\n')), [
        {
          code: 'spec.template.metadata.labels',
          message: 'spec.template.metadata.labels: Invalid value: {"app":"wbe"}: `selector` does not match template `labels`',
          text: 'app: wbe',
        },
      ]);
    });
  }

  it('container port numbers and names are checked where they are written', () => {
    const yaml = deployment('Deployment', '        app: web\n', '        - containerPort: 0\n        - containerPort: 8080\n          name: metrics_port\n');
    assert.deepEqual(errors(yaml), [
      { code: 'spec.template.spec.containers[0].ports[0].containerPort', message: 'spec.template.spec.containers[0].ports[0].containerPort: Required value', text: 'containerPort' },
      {
        code: 'spec.template.spec.containers[0].ports[1].name',
        message: 'spec.template.spec.containers[0].ports[1].name: Invalid value: "metrics_port": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
        text: 'metrics_port',
      },
    ]);
  });

  it('template labels are checked at the apiserver\'s path (spec.template.labels) and shown on the label', () => {
    assert.deepEqual(errors(deployment('Deployment', '        app: web\n        tier: "-x"\n')), [
      {
        code: 'spec.template.labels',
        message:
          "spec.template.labels: Invalid value: \"-x\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
        text: '"-x"',
      },
    ]);
  });

  it('a Pod gets its container checks too', () => {
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx\n    ports:\n    - containerPort: 70000\n';
    assert.deepEqual(errors(pod), [
      {
        code: 'spec.containers[0].ports[0].containerPort',
        message: 'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
        text: '70000',
      },
    ]);
  });
});

describe('manifests the apiserver accepts get no error', () => {
  const examples = join(import.meta.dirname, '../../../../examples');
  for (const name of readdirSync(examples).filter((n) => n.endsWith('.yaml'))) {
    it(`examples/${name}`, () => {
      assert.deepEqual(check(readFileSync(join(examples, name), 'utf8')), []);
    });
  }

  it('a StatefulSet and a DaemonSet with matching labels', () => {
    assert.deepEqual(check(deployment('StatefulSet', '        app: web\n')), []);
    assert.deepEqual(check(deployment('DaemonSet', '        app: web\n')), []);
  });

  it('a ConfigMap, a Namespace and an Ingress', () => {
    const yaml =
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {a: "1"}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\n' +
      'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web}\nspec:\n  rules: []\n';
    assert.deepEqual(check(yaml), []);
  });
});
