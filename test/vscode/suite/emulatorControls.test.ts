// Stopping, starting and resetting the emulator from the command palette. Stop keeps the
// cluster for the next start; Reset asks first, then starts a new cluster with a new token.

import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';
import type { KslExtensionApi } from '../../../client/src/extension';
import { childLabels, treeNodeAt, treeText } from './helpers/clusterTree';
import { kslApi } from './helpers/extensionApi';
import { done, seen, until } from './helpers/until';
import { answerNextMessage, messageMark, messagesSince } from './helpers/windowStubs';

/** The bearer token in the emulator's kubeconfig. */
function tokenOf(api: KslExtensionApi): string {
  assert.ok(api.emulator.state.kind === 'running', `the emulator is ${api.emulator.state.kind}`);
  const token = /^\s*token:\s*(\S+)/m.exec(readFileSync(api.emulator.state.kubeconfig, 'utf8'))?.[1];
  assert.ok(token, 'the kubeconfig has no token');
  return token;
}

function services(api: KslExtensionApi): string[] {
  return childLabels(api, treeNodeAt(api, 'default', 'Services'));
}

suite('Emulator controls', () => {
  let api: KslExtensionApi;

  suiteSetup(async () => {
    api = await kslApi();
  });

  test('Stop Emulator stops it, and Start Emulator brings back the same cluster', async () => {
    assert.ok(services(api).includes('web'), treeText(api));
    const token = tokenOf(api);
    await vscode.commands.executeCommand('ksl.stopEmulator');
    assert.equal(api.emulator.state.kind, 'stopped');
    const mark = messageMark();
    await vscode.commands.executeCommand('ksl.startEmulator');
    assert.deepEqual(messagesSince(mark, 'error'), []);
    assert.equal(api.emulator.state.kind, 'running');
    assert.equal(tokenOf(api), token, 'a restart must keep the token, or open terminals lose the cluster');
    await until('the tree to show web again', [api.clusterTree.onDidChangeTreeData], () => (services(api).includes('web') ? done(true) : seen(treeText(api))));
  });

  test('Reset Emulator asks first, and does nothing when the user says no', async () => {
    const pid = api.emulator.pid;
    let question = '';
    answerNextMessage('warning', (text) => {
      question = text;
      return undefined;
    });
    await vscode.commands.executeCommand('ksl.resetEmulator');
    assert.match(question, /Every Service, Deployment and pod in it is deleted/);
    assert.equal(api.emulator.pid, pid, 'the emulator was restarted without confirmation');
    assert.ok(services(api).includes('web'), treeText(api));
  });

  test('Reset Emulator, confirmed, gives an empty cluster with a new token', async () => {
    const token = tokenOf(api);
    answerNextMessage('warning', (_text, items) => items.find((i) => i === 'Reset'));
    const mark = messageMark();
    await vscode.commands.executeCommand('ksl.resetEmulator');
    assert.deepEqual(messagesSince(mark, 'error'), []);
    assert.ok(messagesSince(mark, 'info').some((m) => m.text.includes('the emulator was reset')), JSON.stringify(messagesSince(mark)));
    assert.notEqual(tokenOf(api), token, 'the old token still works after a reset');
    await until('the tree to show only the kubernetes Service', [api.clusterTree.onDidChangeTreeData], () => {
      const names = services(api);
      return names.length === 1 && names[0] === 'kubernetes' && !treeNodeAt(api, 'default', 'Deployments', 'web') ? done(true) : seen(treeText(api));
    });
  });
});
