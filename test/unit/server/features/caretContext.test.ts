// Which field the caret is on while a line is being typed, read from indentation: keys and
// values, inside sequences written at their key's indentation or deeper, and half-typed
// lines that do not parse.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { caretContext } from '../../../../server/src/features/caretContext';

function at(marked: string): [unknown[], string, string] | undefined {
  const offset = marked.indexOf('<|>');
  const ctx = caretContext(marked.replace('<|>', ''), offset);
  return ctx && [ctx.path, ctx.on, ctx.prefix];
}

const head = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n';

test('a value after a colon, with what is typed so far', () => {
  assert.deepEqual(at(`${head}spec:\n  type: No<|>\n`), [['spec', 'type'], 'value', 'No']);
  assert.deepEqual(at(`${head}spec:\n  type: <|>`), [['spec', 'type'], 'value', '']);
  assert.deepEqual(at(`${head}spec:\n  type:<|>`), [['spec', 'type'], 'value', '']);
  assert.deepEqual(at(`${head}spec:\n  type :<|>`), [['spec', 'type'], 'value', '']);
});

test('a key being typed in a mapping, even when the line does not parse as one', () => {
  assert.deepEqual(at(`${head}spec:\n  selector:\n    app: web\n    ti<|>\n  ports: []\n`), [['spec', 'selector', 'ti'], 'key', 'ti']);
  assert.deepEqual(at(`${head}spec:\n  selector:\n    <|>\n`), [['spec', 'selector', ''], 'key', '']);
  assert.deepEqual(at(`${head}spec:\n  selector:\n    app: w<|>\n`), [['spec', 'selector', 'app'], 'value', 'w']);
  assert.deepEqual(at(`${head}spec:\n  "selector" :   # quoted\n    ti<|>\n`), [['spec', 'selector', 'ti'], 'key', 'ti']);
  assert.deepEqual(at(`${head}spec:\n  'it''s':\n    ti<|>\n`), [['spec', "it's", 'ti'], 'key', 'ti']);
});

test('sequence items count their index, at the key’s indentation or deeper', () => {
  const deep = `${head}spec:\n  ports:\n    - port: 80\n      name: a\n    - port: 443\n      protocol: <|>\n`;
  assert.deepEqual(at(deep), [['spec', 'ports', 1, 'protocol'], 'value', '']);
  const flush = `${head}spec:\n  ports:\n  - port: 80\n  - port: 443\n    targetPort: ht<|>\n`;
  assert.deepEqual(at(flush), [['spec', 'ports', 1, 'targetPort'], 'value', 'ht']);
  assert.deepEqual(at(`${head}spec:\n  ports:\n  - port: 80\n  - nodeP<|>\n`), [['spec', 'ports', 1, 'nodeP'], 'key', 'nodeP']);
  assert.deepEqual(at(`${head}spec:\n  ports:\n    - nodePort: 3<|>\n`), [['spec', 'ports', 0, 'nodePort'], 'value', '3']);
});

test('comments, blank lines and nested items above do not confuse the walk', () => {
  const text = `${head}spec:\n  # the ports\n  ports:\n\n    - port: 80\n      # comment: here\n      targetPort: 80\n    - port: 81\n  selector:\n    app: <|>\n`;
  assert.deepEqual(at(text), [['spec', 'selector', 'app'], 'value', '']);
  const template = 'kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: a\n          ports:\n            - containerPort: 80\n        - name: b\n          ports:\n            - protocol: <|>\n';
  assert.deepEqual(at(template), [['spec', 'template', 'spec', 'containers', 1, 'ports', 0, 'protocol'], 'value', '']);
});

test('inside a comment or a flow collection there is no context', () => {
  assert.equal(at(`${head}spec:\n  type: ClusterIP # a <|>`), undefined);
  assert.equal(at(`${head}spec:\n  selector: {app: <|>}\n`), undefined);
});
