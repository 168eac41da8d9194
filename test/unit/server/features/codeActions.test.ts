// Quick fixes and the targetPort refactoring, driven by the diagnostics the server really
// publishes for each document, checked by the text they leave behind.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeAction, Diagnostic, Range, TextEdit } from 'vscode-languageserver';
import { clusterFindings } from '../../../../server/src/cluster/clusterFindings';
import type { ClusterView } from '../../../../server/src/cluster/clusterView';
import { codeActions } from '../../../../server/src/features/codeActions';
import { fileDiagnostics } from '../../../../server/src/features/diagnostics';
import { LineIndex } from '../../../../server/src/manifest/positions';
import { caret, lessonView, liveService, manifest, URI } from './featureFixtures';

/** The text after the edits (which must not overlap). */
function applyEdits(text: string, edits: TextEdit[]): string {
  const lines = new LineIndex(text);
  const sorted = [...edits].sort((a, b) => lines.offsetAt(b.range.start) - lines.offsetAt(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, lines.offsetAt(e.range.start)) + e.newText + out.slice(lines.offsetAt(e.range.end));
  return out;
}

function actionsFor(text: string, view: ClusterView, range?: Range): { actions: CodeAction[]; diagnostics: Diagnostic[] } {
  const file = manifest(text);
  const diagnostics = fileDiagnostics(file, { generation: 1, findings: (svc) => clusterFindings(svc, view) });
  const whole = range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return { actions: codeActions(file, whole, diagnostics, view), diagnostics };
}

function fixed(text: string, action: CodeAction | undefined): string {
  assert.ok(action, 'no such action');
  return applyEdits(text, action.edit!.changes![URI]!);
}

const svc = (spec: string): string => `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n${spec}`;

test('a selector typo is replaced by the label the pods have', () => {
  const text = svc('  selector:\n    app: wbe\n  ports:\n    - port: 80\n');
  const { actions, diagnostics } = actionsFor(text, lessonView());
  const fix = actions.find((a) => a.title === 'Change the selector to app=web');
  assert.equal(fix?.kind, 'quickfix');
  assert.equal(fix?.isPreferred, true);
  assert.deepEqual(fix?.diagnostics, [diagnostics.find((d) => d.code === 'ksl/selector-matches-no-pod')]);
  assert.equal(fixed(text, fix), svc('  selector:\n    app: web\n  ports:\n    - port: 80\n'));
});

test('a typo in the selector key changes the key too', () => {
  const text = svc('  selector:\n    ap: web\n');
  const { actions } = actionsFor(text, lessonView());
  assert.equal(fixed(text, actions.find((a) => a.title === 'Change the selector to app=web')), svc('  selector:\n    app: web\n'));
});

test('a named targetPort no container declares becomes the close name one does', () => {
  const text = svc('  selector:\n    app: web\n  ports:\n    - port: 80\n      targetPort: htp\n');
  const { actions } = actionsFor(text, lessonView());
  assert.equal(fixed(text, actions.find((a) => a.title === 'Change targetPort to "http"')), svc('  selector:\n    app: web\n  ports:\n    - port: 80\n      targetPort: http\n'));
});

test('a port without a name gets the name the container gives its target, on its own line', () => {
  const text = svc('  selector:\n    app: web\n  ports:\n    - name: metrics\n      port: 9113\n    - port: 8080\n      targetPort: 80\n');
  const { actions } = actionsFor(text, lessonView());
  const fix = actions.find((a) => a.title === 'Name the port "http"');
  assert.equal(fixed(text, fix), svc('  selector:\n    app: web\n  ports:\n    - name: metrics\n      port: 9113\n    - name: http\n      port: 8080\n      targetPort: 80\n'));
});

test('a well-known port number names the port, made unique, and a flow mapping keeps its line', () => {
  const text = svc('  ports:\n  - {name: https, port: 8443}\n  - {port: 443}\n  - {port: 9000, protocol: UDP}\n');
  const { actions } = actionsFor(text, lessonView({ pods: [] }));
  assert.deepEqual(
    actions.map((a) => a.title),
    ['Name the port "https-443"', 'Name the port "udp-9000"'],
  );
  assert.equal(fixed(text, actions[0]), svc('  ports:\n  - {name: https, port: 8443}\n  - {name: https-443, port: 443}\n  - {port: 9000, protocol: UDP}\n'));
});

test('a nodePort out of range or already taken is replaced by a free one', () => {
  const outOfRange = svc('  type: NodePort\n  ports:\n    - port: 80\n      nodePort: 40000\n');
  const first = actionsFor(outOfRange, lessonView()).actions.find((a) => a.title.startsWith('Use the free nodePort'));
  assert.equal(first?.title, 'Use the free nodePort 30080');
  assert.equal(fixed(outOfRange, first), svc('  type: NodePort\n  ports:\n    - port: 80\n      nodePort: 30080\n'));
  const taken = svc('  type: NodePort\n  ports:\n    - port: 80\n      nodePort: 30080\n');
  const view = lessonView({ services: [liveService('other', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] })] });
  assert.equal(actionsFor(taken, view).actions.find((a) => a.title.startsWith('Use the free nodePort'))?.title, 'Use the free nodePort 30000');
});

test('a numeric targetPort can be switched to the container port’s name', () => {
  const marked = svc('  selector:\n    app: web\n  ports:\n    - port: 80\n      targetPort: 8<|>0\n');
  const { text, position } = caret(marked);
  const { actions } = actionsFor(text, lessonView(), { start: position, end: position });
  const refactor = actions.find((a) => a.kind === 'refactor.rewrite');
  assert.equal(refactor?.title, 'Use the container port\'s name "http" for targetPort 80');
  assert.equal(fixed(text, refactor), svc('  selector:\n    app: web\n  ports:\n    - port: 80\n      targetPort: http\n'));
  const elsewhere = actionsFor(text, lessonView(), { start: { line: 9, character: 12 }, end: { line: 9, character: 12 } });
  assert.equal(elsewhere.actions.find((a) => a.kind === 'refactor.rewrite'), undefined);
});
