// Diagnostics while no cluster runs: the apiserver's validation of a Service, with its exact
// messages on the offending value, following the user's edits.

import * as assert from 'node:assert/strict';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';
import { kslApi } from './helpers/extensionApi';
import { diagnosticLines } from './helpers/editorFeatures';
import { done, seen, until } from './helpers/until';
import { openInEditor, positionOf, workspaceFile, writeWorkspaceFile } from './helpers/workspace';

const BROKEN_SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: broken
spec:
  selector:
    app: web
  ports:
    - port: 70000
      tragetPort: 80
`;

/** Waits until the file's diagnostics satisfy `ok`, re-reading them on every change. */
function diagnosticsWhere(uri: vscode.Uri, what: string, ok: (d: readonly vscode.Diagnostic[]) => boolean): Promise<readonly vscode.Diagnostic[]> {
  return until(`diagnostics of ${uri.path.split('/').pop()} where ${what}`, [vscode.languages.onDidChangeDiagnostics], () => {
    const diagnostics = vscode.languages.getDiagnostics(uri);
    return ok(diagnostics) ? done(diagnostics) : seen(JSON.stringify(diagnosticLines(uri)));
  });
}

function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code ?? '');
}

suite('Diagnostics', () => {
  suiteSetup(async () => {
    await kslApi();
  });

  test('a Service with an out-of-range port and a misspelt field gets the apiserver\'s errors', async () => {
    const uri = await writeWorkspaceFile('broken-service.yaml', BROKEN_SERVICE);
    const editor = await openInEditor(uri);
    const diagnostics = await diagnosticsWhere(uri, 'the port error is there', (ds) => ds.some((d) => codeOf(d) === 'spec.ports[0].port'));

    const port = diagnostics.find((d) => codeOf(d) === 'spec.ports[0].port');
    assert.ok(port);
    assert.equal(port.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(port.message, 'spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive');
    assert.deepEqual(port.range.start, positionOf(editor.document, '70000'));

    const field = diagnostics.find((d) => codeOf(d) === 'spec.ports[0].tragetPort');
    assert.ok(field, `no unknown-field error in ${JSON.stringify(diagnosticLines(uri))}`);
    assert.equal(field.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(field.message, 'strict decoding error: unknown field "spec.ports[0].tragetPort"');
    assert.deepEqual(field.range.start, positionOf(editor.document, 'tragetPort'));
  });

  test('fixing the manifest in the editor clears its errors', async () => {
    const uri = workspaceFile('broken-service.yaml');
    const document = await vscode.workspace.openTextDocument(uri);
    const edit = new vscode.WorkspaceEdit();
    const port = positionOf(document, '70000');
    edit.replace(uri, new vscode.Range(port, port.translate(0, 5)), '80');
    const field = positionOf(document, 'tragetPort');
    edit.replace(uri, new vscode.Range(field, field.translate(0, 'tragetPort'.length)), 'targetPort');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await diagnosticsWhere(uri, 'no error is left', (ds) => !ds.some((d) => d.severity === vscode.DiagnosticSeverity.Error));
  });

  test('without a cluster, the selector is checked against the pod templates of the open files', async () => {
    const service = workspaceFile('service-clusterip.yaml');
    await openInEditor(service);
    const warnings = await diagnosticsWhere(service, 'the selector warning is there', (ds) => ds.some((d) => codeOf(d) === 'ksl/selector-matches-no-pod'));
    const selector = warnings.find((d) => codeOf(d) === 'ksl/selector-matches-no-pod');
    assert.equal(selector?.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(selector?.message ?? '', /^no pod template in the workspace has app=web/);

    // With the Deployment's manifest open, its pod template carries app=web.
    await openInEditor(workspaceFile('deployment-web.yaml'));
    await diagnosticsWhere(service, 'none is left', (ds) => ds.length === 0);
  });
});
