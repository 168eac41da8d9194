// Activation: the extension waits for a YAML file (or its view), then registers its commands
// and starts the language server, which publishes diagnostics for the open file.

import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import { kslApi, kslExtension } from './helpers/extensionApi';
import { done, seen, until } from './helpers/until';
import { openInEditor, workspaceFile } from './helpers/workspace';

suite('Activation', () => {
  test('the extension is loaded but stays inactive while no YAML file is open', () => {
    assert.equal(kslExtension().isActive, false);
  });

  test('opening a YAML manifest activates it and starts the language server', async () => {
    const uri = workspaceFile('service-clusterip.yaml');
    await openInEditor(uri);
    // The language server's first publication for the file shows that activation happened
    // and the server runs, without forcing activation from here.
    await until('diagnostics from the language server for service-clusterip.yaml', [vscode.languages.onDidChangeDiagnostics], () =>
      kslExtension().isActive && vscode.languages.getDiagnostics().some(([u]) => u.toString() === uri.toString()) ? done(true) : seen(`active: ${kslExtension().isActive}`),
    );
    const api = await kslApi();
    assert.ok(api.languageClient.client?.isRunning(), 'the language client is not running');
  });

  test('every command package.json declares is registered', async () => {
    const manifest = kslExtension().packageJSON as { contributes: { commands: { command: string }[] } };
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = manifest.contributes.commands.map((c) => c.command).filter((c) => !registered.has(c));
    assert.deepEqual(missing, []);
  });
});
