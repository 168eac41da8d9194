// Switching clusters with Select Cluster: from the emulator to a kubeconfig context and back.
// The kubeconfig context is the emulator's own (its kubeconfig file), so the same objects are
// seen the way a real cluster is seen, through client-node.

import * as assert from 'node:assert/strict';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { KslExtensionApi } from '../../../client/src/extension';
import { readyEndpoints, treeText } from './helpers/clusterTree';
import { kslApi } from './helpers/extensionApi';
import { done, seen, until } from './helpers/until';
import { answerNextQuickPick, messageMark, messagesSince } from './helpers/windowStubs';

/** The context `ksl serve` writes into its kubeconfig. */
const EMULATOR_CONTEXT = 'ksl';

/** Runs Select Cluster, picking the item `choose` finds, and waits for a new language server whose tree shows web's endpoints. */
async function selectCluster(api: KslExtensionApi, choose: (items: readonly vscode.QuickPickItem[]) => vscode.QuickPickItem | undefined, what: string): Promise<void> {
  const before = api.languageClient.client;
  const mark = messageMark();
  answerNextQuickPick(choose);
  await vscode.commands.executeCommand('ksl.selectCluster');
  assert.deepEqual(messagesSince(mark, 'error'), []);
  await until(`the tree to show web's endpoints from ${what}`, [api.languageClient.onDidChangeClient, api.clusterTree.onDidChangeTreeData], () =>
    api.languageClient.client !== before && api.languageClient.client?.isRunning() && readyEndpoints(api, 'web').length > 0 ? done(true) : seen(treeText(api)),
  );
}

suite('Switching clusters', () => {
  let api: KslExtensionApi;
  const kubeconfigBefore = process.env.KUBECONFIG;

  suiteSetup(async () => {
    api = await kslApi();
    const state = api.emulator.state;
    assert.equal(state.kind, 'running', 'the emulator should run after the previous suite');
    if (state.kind === 'running') process.env.KUBECONFIG = state.kubeconfig;
  });

  suiteTeardown(() => {
    if (kubeconfigBefore === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = kubeconfigBefore;
  });

  test('Select Cluster offers the kubeconfig\'s contexts, and the editor follows the one picked', async () => {
    let offered: string[] = [];
    await selectCluster(
      api,
      (items) => {
        offered = items.map((i) => i.label);
        return items.find((i) => i.label.endsWith(` ${EMULATOR_CONTEXT}`));
      },
      `the kubeconfig context ${EMULATOR_CONTEXT}`,
    );
    assert.equal(offered.length, 2, `offered: ${JSON.stringify(offered)}`);
    const config = vscode.workspace.getConfiguration('ksl');
    assert.equal(config.get('cluster.source'), 'kubeconfig');
    assert.equal(config.get('cluster.context'), EMULATOR_CONTEXT);
  });

  test('features that exist only on the emulator say so on a kubeconfig context', async () => {
    const mark = messageMark();
    await vscode.commands.executeCommand('ksl.showProxyRules');
    const errors = messagesSince(mark, 'error').map((m) => m.text);
    assert.equal(errors.length, 1, JSON.stringify(errors));
    assert.match(errors[0] ?? '', /works with the emulator only, and the editor looks at the kubeconfig context ksl/);
  });

  test('Select Cluster switches back to the emulator', async () => {
    await selectCluster(api, (items) => items.find((i) => i.label.includes('emulator')), 'the emulator');
    assert.equal(vscode.workspace.getConfiguration('ksl').get('cluster.source'), 'emulator');
    const mark = messageMark();
    await vscode.commands.executeCommand('ksl.showProxyRules');
    assert.deepEqual(messagesSince(mark, 'error'), []);
  });
});
