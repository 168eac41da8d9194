// The lesson on the emulator: apply the Deployment and the Service, then see what the cluster
// made of them in the hover, the inlay hints and the Cluster Explorer; delete a pod and watch
// the endpoints follow; read kube-proxy's rules.

import * as assert from 'node:assert/strict';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';
import type { KslExtensionApi } from '../../../client/src/extension';
import { childLabels, readyEndpoints, treeNodeAt, treeText } from './helpers/clusterTree';
import { clusterIPOf, endpointAddresses, hoverText, inlayHintLabels } from './helpers/editorFeatures';
import { kslApi } from './helpers/extensionApi';
import { done, seen, until } from './helpers/until';
import { messageMark, messagesSince } from './helpers/windowStubs';
import { openInEditor, positionOf, workspaceFile } from './helpers/workspace';

/** The lesson's Deployment runs this many replicas. */
const REPLICAS = 3;

/** Events after which what the editor shows about the cluster may have changed. */
function clusterEvents(api: KslExtensionApi): vscode.Event<unknown>[] {
  return [api.clusterTree.onDidChangeTreeData, api.emulator.onDidChangeState, vscode.languages.onDidChangeDiagnostics];
}

interface ServiceHover {
  markdown: string;
  clusterIP: string;
  endpoints: string[];
}

/** Waits until the hover on `web`'s name shows a ClusterIP and `REPLICAS` ready endpoints that `ok` accepts. */
function webHoverWhere(api: KslExtensionApi, what: string, ok: (h: ServiceHover) => boolean = () => true): Promise<ServiceHover> {
  return until(`the hover on web's name to show ${what}`, clusterEvents(api), async () => {
    const document = await vscode.workspace.openTextDocument(workspaceFile('service-clusterip.yaml'));
    const markdown = await hoverText(document.uri, positionOf(document, 'name: web', 'name: '.length));
    const clusterIP = clusterIPOf(markdown);
    const endpoints = endpointAddresses(markdown);
    const hover = { markdown, clusterIP: clusterIP ?? '', endpoints };
    return clusterIP && endpoints.length === REPLICAS && ok(hover) ? done(hover) : seen(markdown);
  });
}

suite('A Service on the emulator', () => {
  let api: KslExtensionApi;
  let hover: ServiceHover;

  suiteSetup(async () => {
    api = await kslApi();
  });

  test('Apply to Emulator starts the emulator and applies the Deployment and the Service', async () => {
    const mark = messageMark();
    for (const file of ['deployment-web.yaml', 'service-clusterip.yaml']) {
      await vscode.commands.executeCommand('ksl.applyToEmulator', { uri: workspaceFile(file).toString() });
    }
    assert.deepEqual(messagesSince(mark, 'error'), []);
    const applied = messagesSince(mark, 'info').map((m) => m.text);
    assert.ok(applied.some((t) => t.includes('deployment-web.yaml') && t.includes('created')), `no "created" for the Deployment in ${JSON.stringify(applied)}`);
    assert.ok(applied.some((t) => t.includes('service-clusterip.yaml') && t.includes('created')), `no "created" for the Service in ${JSON.stringify(applied)}`);
    assert.equal(api.emulator.state.kind, 'running');
  });

  test('the hover on the Service\'s name shows its ClusterIP and the ready pods\' IPs', async () => {
    hover = await webHoverWhere(api, `${REPLICAS} ready endpoints`);
    assert.match(hover.markdown, /\*\*Service\*\* `default\/web` · ClusterIP/);
    assert.match(hover.clusterIP, /^10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/, 'the ClusterIP is not in the Service CIDR 10.96.0.0/12');
    for (const address of hover.endpoints) assert.match(address, /^10\.244\.0\.\d+:80$/, 'an endpoint is not a pod IP on port 80');
    assert.match(hover.markdown, /\*\*Endpoints\*\* 3\/3 ready/);
  });

  test('inlay hints show the ClusterIP and the endpoints', async () => {
    const editor = await openInEditor(workspaceFile('service-clusterip.yaml'));
    const labels = await inlayHintLabels(editor.document);
    assert.ok(labels.includes(`ClusterIP ${hover.clusterIP}`), `no ClusterIP hint in ${JSON.stringify(labels)}`);
    const endpoints = labels.find((l) => l.startsWith('→ '));
    assert.ok(endpoints, `no endpoints hint in ${JSON.stringify(labels)}`);
    assert.ok(hover.endpoints.some((e) => endpoints.includes(e)) && endpoints.endsWith(`+${REPLICAS - 2}`), `the endpoints hint "${endpoints}" does not match ${hover.endpoints.join(', ')}`);
  });

  test('the Cluster Explorer lists the namespace, the Service and its endpoints', () => {
    assert.equal(childLabels(api)[0], 'default', treeText(api));
    assert.deepEqual(childLabels(api, treeNodeAt(api, 'default')), ['Services', 'Deployments'], treeText(api));
    assert.deepEqual(childLabels(api, treeNodeAt(api, 'default', 'Services')), ['kubernetes', 'web'], treeText(api));
    const web = treeNodeAt(api, 'default', 'Services', 'web');
    assert.ok(web?.description?.includes(hover.clusterIP), `the Service's row does not show ${hover.clusterIP}: ${web?.description}`);
    assert.deepEqual(
      readyEndpoints(api, 'web').map((n) => n.label),
      hover.endpoints,
      treeText(api),
    );
    assert.equal(childLabels(api, treeNodeAt(api, 'default', 'Deployments', 'web')).length, REPLICAS, treeText(api));
  });

  test('Delete Pod replaces the pod, and the hover shows the new endpoint', async () => {
    const [victim] = readyEndpoints(api, 'web');
    assert.ok(victim?.data.kind === 'endpoint' && victim.data.endpoint.pod, treeText(api));
    const podName = victim.data.endpoint.pod;
    const mark = messageMark();
    await vscode.commands.executeCommand('ksl.deletePod', victim);
    assert.deepEqual(messagesSince(mark, 'error'), []);
    const after = await webHoverWhere(api, `an endpoint other than ${victim.label}`, (h) => !h.endpoints.includes(victim.label) && !h.markdown.includes(podName));
    const added = after.endpoints.filter((e) => !hover.endpoints.includes(e));
    assert.equal(added.length, 1, `expected one new endpoint: before ${hover.endpoints.join(', ')}, after ${after.endpoints.join(', ')}`);
    assert.equal(after.clusterIP, hover.clusterIP, 'the ClusterIP changed with the pod');
    hover = after;
  });

  test('Show kube-proxy Rules opens the rules kube-proxy writes', async () => {
    const mark = messageMark();
    await vscode.commands.executeCommand('ksl.showProxyRules');
    assert.deepEqual(messagesSince(mark, 'error'), []);
    const document = vscode.window.activeTextEditor?.document;
    assert.ok(document, 'no editor was opened');
    const rules = document.getText();
    assert.equal(document.languageId, 'iptables-save');
    assert.match(rules, /KUBE-SVC-[A-Z0-9]{16}/);
    assert.ok(rules.includes(`-d ${hover.clusterIP}/32`), `the rules do not match the ClusterIP ${hover.clusterIP}`);
    for (const endpoint of hover.endpoints) assert.ok(rules.includes(`--to-destination ${endpoint}`), `the rules do not send traffic to ${endpoint}`);
  });
});
