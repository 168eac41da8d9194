// Kube Service Lab: Reveal Manifest. From a Service or Deployment in the tree to the YAML that
// declares it: open editors first (unsaved ones included), then the workspace's files.

import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import type { ObjectRef } from '../manifests/manifestLocator';
import { Cancelled, UserError } from '../userError';
import { serviceOfNode, treeNodeArg } from './targets';

/** A workspace with more YAML files than this is searched only this far. */
const MAX_FILES = 2000;

interface Found {
  uri: vscode.Uri;
  line: number;
  character: number;
}

async function search(target: Required<ObjectRef>): Promise<Found[]> {
  const { declarationsOf } = await import('../manifests/manifestLocator');
  const found: Found[] = [];
  const seen = new Set<string>();
  const scan = (uri: vscode.Uri, text: string): void => {
    seen.add(uri.toString());
    if (!text.includes(target.name)) return;
    for (const d of declarationsOf(text, target)) found.push({ uri, line: d.line, character: d.character });
  };
  for (const doc of vscode.workspace.textDocuments) if (doc.languageId === 'yaml') scan(doc.uri, doc.getText());
  const files = await vscode.workspace.findFiles('**/*.{yaml,yml}', '{**/node_modules/**,**/.git/**}', MAX_FILES);
  for (const uri of files) {
    if (seen.has(uri.toString())) continue;
    try {
      scan(uri, new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri)));
    } catch {
      // A file that vanished or cannot be read declares nothing.
    }
  }
  return found;
}

export function revealManifest(_ctx: Ctx) {
  return async (...args: unknown[]): Promise<void> => {
    const data = treeNodeArg(args)?.data;
    const service = serviceOfNode(data);
    const target: Required<ObjectRef> | undefined = service
      ? { kind: 'Service', name: service.name, namespace: service.namespace }
      : data?.kind === 'deployment'
        ? { kind: 'Deployment', name: data.deployment.name, namespace: data.deployment.namespace }
        : undefined;
    if (!target) throw new UserError('Reveal Manifest works on a Service or a Deployment in the Cluster Explorer.', []);
    const found = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Looking for ${target.kind} ${target.name}` }, () => search(target));
    let chosen = found[0];
    if (!chosen) throw new UserError(`No manifest in the workspace declares ${target.kind.toLowerCase()}/${target.name}${target.namespace === 'default' ? '' : ` in namespace ${target.namespace}`}.`, []);
    if (found.length > 1) {
      const pick = await vscode.window.showQuickPick(
        found.map((f) => ({ label: vscode.workspace.asRelativePath(f.uri, false), description: `line ${f.line + 1}`, found: f })),
        { title: `${target.kind} ${target.name} is declared in several places` },
      );
      if (!pick) throw new Cancelled();
      chosen = pick.found;
    }
    const at = new vscode.Position(chosen.line, chosen.character);
    await vscode.window.showTextDocument(chosen.uri, { selection: new vscode.Range(at, at.translate(0, target.name.length)) });
  };
}
