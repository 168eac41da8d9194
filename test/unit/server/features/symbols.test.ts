// The outline: one symbol per object document, a Service's ports and a workload's
// containers beneath it, in file coordinates.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import { documentSymbols } from '../../../../server/src/features/symbols';
import { manifest } from './featureFixtures';

function outline(symbols: DocumentSymbol[]): unknown[] {
  return symbols.map((s) => [s.name, s.kind, s.detail, s.selectionRange.start.line, (s.children ?? []).map((c) => [c.name, c.kind, c.detail, c.selectionRange.start.line])]);
}

test('a Deployment with its containers and a Service with its ports', () => {
  const text = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: shop',
    '  namespace: prod',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '        - name: app',
    '          image: hashicorp/http-echo:1.0',
    '        - name: exporter',
    '          image: nginx/nginx-prometheus-exporter:1.3',
    '---',
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    '  name: shop',
    'spec:',
    '  ports:',
    '    - name: http',
    '      port: 80',
    '      targetPort: http',
    '    - port: 9113',
    '',
  ].join('\n');
  const symbols = documentSymbols(manifest(text));
  assert.deepEqual(outline(symbols), [
    [
      'Deployment shop',
      SymbolKind.Class,
      'prod',
      3,
      [
        ['app', SymbolKind.Object, 'hashicorp/http-echo:1.0', 9],
        ['exporter', SymbolKind.Object, 'nginx/nginx-prometheus-exporter:1.3', 11],
      ],
    ],
    [
      'Service shop',
      SymbolKind.Interface,
      undefined,
      17,
      [
        ['http 80/TCP', SymbolKind.Field, '→ http', 20],
        ['9113/TCP', SymbolKind.Field, undefined, 23],
      ],
    ],
  ]);
  assert.deepEqual(symbols[1]!.range, { start: { line: 14, character: 0 }, end: { line: 23, character: 16 } });
  assert.deepEqual(symbols[1]!.selectionRange, { start: { line: 17, character: 8 }, end: { line: 17, character: 12 } });
});

test('a Pod lists its containers; broken and empty documents have no symbol', () => {
  const text = '# nothing here\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers: [{name: c, image: busybox}]\n---\nkind: [\n';
  assert.deepEqual(outline(documentSymbols(manifest(text))), [['Pod p', SymbolKind.Object, undefined, 5, [['c', SymbolKind.Object, 'busybox', 7]]]]);
});
