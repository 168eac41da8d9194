// Bad input never crashes a feature: every feature, at every position of odd documents
// (wrong types everywhere, anchors and merge keys, random bytes), against a live-looking
// cluster, answers without throwing.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codeActions } from '../../../../server/src/features/codeActions';
import { codeLenses } from '../../../../server/src/features/codeLens';
import { completion } from '../../../../server/src/features/completion';
import { hover } from '../../../../server/src/features/hover';
import { inlayHints } from '../../../../server/src/features/inlayHints';
import { documentSymbols } from '../../../../server/src/features/symbols';
import { randomText, seededRandom } from '../manifest/fuzzInput';
import { lessonView, manifest } from './featureFixtures';

const odd = [
  'apiVersion: v1\nkind: Service\nmetadata: {name: 7, namespace: [x]}\nspec:\n  selector: [app, web]\n  ports: {port: 80}\n  type: 3\n',
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: null\n  ports:\n    - null\n    - port: "80"\n      targetPort: {}\n      nodePort: -1\n    - 42\n',
  'base: &b {port: 80, targetPort: http}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - <<: *b\n      name: a\n    - *b\n',
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers: [null, 3, {name: [x], ports: "80"}]\n',
  '- just\n- a list\n---\n"string"\n---\n',
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n    ti\n  ports:\n  - port: 80\n    targetPort: \n',
];

test('every feature answers at every position of odd documents', () => {
  const rand = seededRandom(7);
  const texts = [...odd, ...Array.from({ length: 8 }, () => `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n${randomText(rand, 200)}`)];
  const view = lessonView();
  for (const text of texts) {
    const file = manifest(text);
    const lines = text.split('\n');
    const all = { start: { line: 0, character: 0 }, end: { line: lines.length, character: 0 } };
    assert.doesNotThrow(() => codeLenses(file, view), text);
    assert.doesNotThrow(() => documentSymbols(file), text);
    assert.doesNotThrow(() => inlayHints(file, all, view), text);
    lines.forEach((line, l) => {
      for (let c = 0; c <= line.length; c++) {
        const position = { line: l, character: c };
        const at = { start: position, end: position };
        assert.doesNotThrow(() => hover(file, position, view), `${JSON.stringify(text)} at ${l}:${c}`);
        assert.doesNotThrow(() => completion(file, position, view, []), `${JSON.stringify(text)} at ${l}:${c}`);
        const diagnostic = { range: at, message: 'spec.ports[0].nodePort: Invalid value: 1: provided port is already allocated', code: 'spec.ports[0].nodePort', data: { path: 'x' } };
        assert.doesNotThrow(() => codeActions(file, at, [diagnostic], view), `${JSON.stringify(text)} at ${l}:${c}`);
      }
    });
  }
});
