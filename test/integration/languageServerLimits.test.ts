// The language server's size limit as any LSP client meets it over stdio: a file over the
// limit gets one diagnostic at its top naming its size and the limit, every feature answers
// as for an empty file, Apply refuses it with the reason, and once an edit brings the file
// under the limit it is checked as usual.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CodeLensRequest,
  CompletionRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentSymbolRequest,
  HoverRequest,
  InlayHintRequest,
  type Diagnostic,
} from 'vscode-languageserver/node';
import { FILE_TOO_LARGE_CODE, MAX_CHECKED_FILE_BYTES } from '../../server/src/features/fileSizeLimit';
import { ApplyDocumentsRequest } from '../../server/src/protocol';
import { LspClient, PublishedDiagnostics } from './lspClient';

const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: big-{i}\nspec:\n  selector:\n    app: big-{i}\n  ports:\n    - port: 80\n';

/** A manifest of `---`-separated Services, just over `bytes` long. */
function manifestOver(bytes: number): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size <= bytes; i++) {
    const doc = SERVICE.replaceAll('{i}', String(i));
    parts.push(doc);
    size += doc.length + 4;
  }
  return parts.join('---\n');
}

let client: LspClient;
let published: PublishedDiagnostics;
const uri = 'file:///work/huge.yaml';
const hugeText = manifestOver(MAX_CHECKED_FILE_BYTES);

before(async () => {
  client = LspClient.spawn();
  published = new PublishedDiagnostics(client);
  await client.initialize({ initializationOptions: { cluster: { emulator: false }, validationDelayMs: 0 } });
  await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version: 1, text: hugeText } });
});

after(async () => {
  await client?.close();
});

const tooLarge = (d: Diagnostic[]): boolean => d.length === 1 && d[0]!.code === FILE_TOO_LARGE_CODE;

describe('a file over the size limit', () => {
  it('gets one diagnostic on its first line that gives its size and the limit', async () => {
    const diags = await published.waitFor(uri, tooLarge, 'the file-too-large diagnostic');
    const d = diags[0]!;
    assert.deepEqual(d.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 'apiVersion: v1'.length } });
    assert.equal(d.severity, 2);
    const mb = (Buffer.byteLength(hugeText) / 1e6).toFixed(1);
    assert.equal(typeof d.message, 'string');
    const message = d.message as string;
    assert.ok(message.startsWith(`This file is ${mb} MB, over the 5.0 MB that Kube Service Lab checks`), message);
    assert.match(message, /Split it into smaller files/);
  });

  it('answers hover, inlay hints, code lenses, completion and symbols as for an empty file', async () => {
    const at = { textDocument: { uri }, position: { line: 3, character: 9 } };
    assert.equal(await client.connection.sendRequest(HoverRequest.type, at), null);
    assert.deepEqual(await client.connection.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 100, character: 0 } } }), []);
    assert.deepEqual(await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } }), []);
    assert.deepEqual(await client.connection.sendRequest(CompletionRequest.type, at), []);
    assert.deepEqual(await client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } }), []);
  });

  it('is refused by Apply, with the reason', async () => {
    await assert.rejects(client.connection.sendRequest(ApplyDocumentsRequest, { uri }), (err: Error) => {
      assert.match(err.message, /over the 5\.0 MB that Kube Service Lab checks/);
      return true;
    });
  });

  it('is checked as usual once an edit brings it under the limit', async () => {
    const small = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: small\nspec:\n  ports:\n    - port: 70000\n';
    const lines = hugeText.split('\n');
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: lines.length - 1, character: lines[lines.length - 1]!.length } }, text: small }],
    });
    const diags = await published.waitFor(uri, (d) => d.some((x) => x.code === 'spec.ports[0].port'), 'the port error of the small file');
    assert.equal(diags.filter((d) => d.code === FILE_TOO_LARGE_CODE).length, 0);
  });
});
