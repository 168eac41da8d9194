// The lesson's other steps, from the Cluster Explorer and the command palette: look a name up
// as a pod does, call the Service by name, spread traffic over the pods, open the NodePort,
// scale the Deployment, get a kubectl terminal, and delete what was applied.

import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { get } from 'node:http';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';
import type { KslExtensionApi } from '../../../client/src/extension';
import type { TreeNode } from '../../../client/src/views/clusterTreeModel';
import { childLabels, readyEndpoints, treeNodeAt, treeText } from './helpers/clusterTree';
import { kslApi } from './helpers/extensionApi';
import { done, seen, until } from './helpers/until';
import { answerNextInputBox, messageMark, messagesSince, openedExternally } from './helpers/windowStubs';
import { workspaceFile, writeWorkspaceFile } from './helpers/workspace';

/** The lesson's Deployment runs this many replicas, as liveService.test.ts left it. */
const REPLICAS = 3;

function serviceNode(api: KslExtensionApi, name: string): TreeNode & { data: { kind: 'service' } } {
  const node = treeNodeAt(api, 'default', 'Services', name);
  assert.ok(node?.data.kind === 'service', `no Service ${name} in the tree:\n${treeText(api)}`);
  return node as TreeNode & { data: { kind: 'service' } };
}

/** The text of the messages shown since `mark`, for failure output. */
function shownSince(mark: number): string {
  return JSON.stringify(messagesSince(mark).map((m) => `${m.severity}: ${m.text}`));
}

/** An HTTP GET from the test process, as a browser on this machine would make it. */
function httpGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = get(url, { timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    request.on('timeout', () => request.destroy(new Error(`GET ${url} timed out`)));
    request.on('error', reject);
  });
}

function kubectl(kubeconfig: string, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('kubectl', ['--kubeconfig', kubeconfig, ...args], { timeout: 60_000 }, (err, stdout, stderr) => (err ? reject(new Error(`kubectl ${args.join(' ')}: ${err.message}\n${stderr}`)) : resolve(stdout)));
  });
}

suite('Cluster commands', () => {
  let api: KslExtensionApi;
  let clusterIP: string;

  suiteSetup(async () => {
    api = await kslApi();
    assert.equal(api.emulator.state.kind, 'running', 'the emulator should run after the previous suites');
    const web = serviceNode(api, 'web');
    assert.ok(web.data.kind === 'service' && web.data.service.clusterIP, treeText(api));
    clusterIP = web.data.service.clusterIP;
  });

  test('Resolve Name looks web up through the pod\'s search path and finds the ClusterIP', async () => {
    const mark = messageMark();
    let prompt = '';
    answerNextInputBox((options) => {
      prompt = options.prompt ?? '';
      return 'web';
    });
    await vscode.commands.executeCommand('ksl.resolveName', serviceNode(api, 'web'));
    assert.match(prompt, /search default\.svc\.cluster\.local svc\.cluster\.local cluster\.local/);
    const infos = messagesSince(mark, 'info').map((m) => m.text);
    assert.ok(infos.some((t) => t.includes('web.default.svc.cluster.local') && t.endsWith(`→ ${clusterIP}`)), `no answer with ${clusterIP}: ${shownSince(mark)}`);
  });

  test('Resolve Name of a name that does not exist says NXDOMAIN and what was tried', async () => {
    const mark = messageMark();
    answerNextInputBox(() => 'nosuchservice');
    await vscode.commands.executeCommand('ksl.resolveName');
    const warnings = messagesSince(mark, 'warning').map((m) => m.text);
    assert.ok(warnings.some((t) => t.includes('NXDOMAIN') && t.includes('nosuchservice.default.svc.cluster.local')), `no NXDOMAIN warning: ${shownSince(mark)}`);
  });

  test('Call Service reaches nginx through the Service and names the pod that answered', async () => {
    const mark = messageMark();
    answerNextInputBox((options) => {
      assert.equal(options.value, 'http://web', 'the call does not default to the Service\'s URL');
      return options.value;
    });
    await vscode.commands.executeCommand('ksl.callService', serviceNode(api, 'web'));
    const pods = childLabels(api, treeNodeAt(api, 'default', 'Deployments', 'web'));
    const summary = messagesSince(mark, 'info').map((m) => m.text).find((t) => t.includes('200 OK'));
    assert.ok(summary, `no 200 OK: ${shownSince(mark)}`);
    assert.match(summary, /Welcome to nginx!/);
    assert.ok(pods.some((pod) => summary.includes(`from pod ${pod}`)), `"${summary}" names none of the pods ${pods.join(', ')}`);
  });

  test('Traffic Test spreads the requests over every ready pod and charts them', async () => {
    const requests = 90;
    answerNextInputBox(() => String(requests));
    const mark = messageMark();
    await vscode.commands.executeCommand('ksl.trafficTest', serviceNode(api, 'web'));
    assert.deepEqual(messagesSince(mark, 'error'), []);
    const shown = api.trafficChart.shown;
    assert.ok(shown, 'no traffic chart is open');
    const { result } = shown;
    assert.equal(result.total, requests);
    assert.deepEqual(result.failures, []);
    const pods = readyEndpoints(api, 'web').map((n) => (n.data.kind === 'endpoint' ? n.data.endpoint.pod : undefined));
    assert.deepEqual(result.byPod.map((p) => p.pod).sort(), pods.sort(), 'the requests did not reach exactly the ready pods');
    assert.equal(result.byPod.reduce((sum, p) => sum + p.count, 0), requests);
    // Random balancing over 3 pods: each gets far more than none of 90 (the chance of a pod
    // getting fewer than 10 is below one in a hundred thousand).
    for (const pod of result.byPod) assert.ok(pod.count >= 10, `pod ${pod.pod} got only ${pod.count} of ${requests}`);
    // The workbench reports the panel's tab to the extension host a moment after it is made.
    await until(`a "Traffic: ${result.service}" tab`, [vscode.window.tabGroups.onDidChangeTabs], () => {
      const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs);
      const chart = tabs.find((t) => t.input instanceof vscode.TabInputWebview && t.label === `Traffic: ${result.service}`);
      return chart ? done(chart) : seen(tabs.map((t) => t.label).join(', '));
    });
  });

  test('Open NodePort opens 127.0.0.1:30080, and the page there is nginx\'s', async () => {
    await vscode.commands.executeCommand('ksl.applyToEmulator', { uri: workspaceFile('service-nodeport.yaml').toString() });
    const port = await until('the tree to show web-nodeport\'s port with a host URL', [api.clusterTree.onDidChangeTreeData], () => {
      const svc = treeNodeAt(api, 'default', 'Services', 'web-nodeport');
      const portNode = svc && api.clusterTree.getChildren(svc).find((n) => n.data.kind === 'port' && n.data.port.hostURL);
      return portNode ? done(portNode) : seen(treeText(api));
    });
    const before = openedExternally().length;
    const mark = messageMark();
    await vscode.commands.executeCommand('ksl.openNodePort', port);
    assert.deepEqual(messagesSince(mark, 'error'), []);
    const opened = openedExternally().slice(before);
    assert.deepEqual(opened, ['http://127.0.0.1:30080/']);
    const page = await httpGet(opened[0] ?? '');
    assert.equal(page.status, 200);
    assert.match(page.body, /Welcome to nginx!/);
  });

  test('Open NodePort on a ClusterIP port says it has no NodePort', async () => {
    const web = serviceNode(api, 'web');
    const port = api.clusterTree.getChildren(web).find((n) => n.data.kind === 'port');
    assert.ok(port, treeText(api));
    const mark = messageMark();
    await vscode.commands.executeCommand('ksl.openNodePort', port);
    const errors = messagesSince(mark, 'error').map((m) => m.text);
    assert.ok(errors.some((t) => t.includes('is not reachable from this machine: it has no NodePort')), shownSince(mark));
  });

  test('Scale Deployment to 4 adds a pod and an endpoint; scaling back to 3 removes them', async () => {
    for (const replicas of [REPLICAS + 1, REPLICAS]) {
      const deployment = treeNodeAt(api, 'default', 'Deployments', 'web');
      assert.ok(deployment, treeText(api));
      answerNextInputBox(() => String(replicas));
      const mark = messageMark();
      await vscode.commands.executeCommand('ksl.scaleDeployment', deployment);
      assert.deepEqual(messagesSince(mark, 'error'), []);
      await until(`web to have ${replicas} ready endpoints and pods`, [api.clusterTree.onDidChangeTreeData], () => {
        const pods = childLabels(api, treeNodeAt(api, 'default', 'Deployments', 'web'));
        const ready = readyEndpoints(api, 'web');
        return pods.length === replicas && ready.length === replicas && treeNodeAt(api, 'default', 'Deployments', 'web')?.description === `${replicas}/${replicas} ready` ? done(true) : seen(treeText(api));
      });
    }
  });

  test('Open Terminal gives a terminal whose KUBECONFIG reaches the emulator with kubectl', async () => {
    const opened = new Promise<vscode.Terminal>((resolve) => {
      const sub = vscode.window.onDidOpenTerminal((t) => {
        sub.dispose();
        resolve(t);
      });
    });
    await vscode.commands.executeCommand('ksl.openTerminal');
    const terminal = await opened;
    try {
      assert.equal(terminal.name, 'kubectl (ksl emulator)');
      const env = (terminal.creationOptions as vscode.TerminalOptions).env ?? {};
      const kubeconfig = env.KUBECONFIG;
      assert.ok(kubeconfig && existsSync(kubeconfig), `KUBECONFIG is ${kubeconfig}`);
      assert.ok(env.KSL_STATE_DIR && existsSync(env.KSL_STATE_DIR), `KSL_STATE_DIR is ${env.KSL_STATE_DIR}`);
      const table = await kubectl(kubeconfig, 'get', 'svc', 'web');
      assert.match(table, new RegExp(`^web\\s+ClusterIP\\s+${clusterIP.replace(/\./g, '\\.')}\\s`, 'm'), table);
    } finally {
      terminal.dispose();
    }
  });

  test('Delete from Emulator removes what a manifest declares, and the tree follows', async () => {
    const spare = await writeWorkspaceFile(
      'spare-service.yaml',
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: spare\nspec:\n  selector:\n    app: web\n  ports:\n    - port: 8080\n      targetPort: 80\n',
    );
    await vscode.commands.executeCommand('ksl.applyToEmulator', { uri: spare.toString() });
    await until('the tree to list spare', [api.clusterTree.onDidChangeTreeData], () => (treeNodeAt(api, 'default', 'Services', 'spare') ? done(true) : seen(treeText(api))));
    const mark = messageMark();
    await vscode.commands.executeCommand('ksl.deleteFromEmulator', { uri: spare.toString() });
    assert.deepEqual(messagesSince(mark, 'error'), []);
    const summary = messagesSince(mark, 'info').map((m) => m.text);
    assert.ok(summary.some((t) => t.includes('spare-service.yaml') && t.includes('deleted')), shownSince(mark));
    await until('the tree to drop spare', [api.clusterTree.onDidChangeTreeData], () => (treeNodeAt(api, 'default', 'Services', 'spare') ? seen(treeText(api)) : done(true)));
    assert.ok(api.emulator.state.kind === 'running', api.emulator.state.kind);
    const list = await kubectl(api.emulator.state.kubeconfig, 'get', 'svc', '-o', 'name');
    assert.ok(list.includes('service/web') && !list.includes('service/spare'), list);
  });
});
