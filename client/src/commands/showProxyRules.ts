// Kube Service Lab: Show kube-proxy Rules. The rules kube-proxy writes for all Services, or
// for the one picked in the tree, as a read-only iptables-save document that follows the
// cluster while it is open.

import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { rulesUri, RULES_LANGUAGE } from '../views/proxyRulesDocuments';
import { serviceOfNode, treeNodeArg } from './targets';

export function showProxyRules(ctx: Ctx) {
  return async (...args: unknown[]): Promise<void> => {
    ctx.cluster.requireEmulator('The kube-proxy rules view');
    const service = serviceOfNode(treeNodeArg(args)?.data);
    const uri = rulesUri(service ? { namespace: service.namespace, name: service.name } : undefined);
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Reading the kube-proxy rules' }, (_p, token) => ctx.rules.load(uri, token));
    let doc = await vscode.workspace.openTextDocument(uri);
    if (doc.languageId !== RULES_LANGUAGE) doc = await vscode.languages.setTextDocumentLanguage(doc, RULES_LANGUAGE);
    await vscode.window.showTextDocument(doc, { preview: true });
  };
}
