// Kube Service Lab: Open Lesson Manifest. The walkthrough's manifests (the Deployment, the
// ClusterIP Service, the NodePort Service) as new untitled YAML files, ready to apply and to
// change without touching the extension's own copies.

import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { Cancelled, UserError } from '../userError';

const LESSON = [
  { id: 'deployment', file: 'web-deployment.yaml', label: 'Deployment web', description: 'three nginx pods labelled app=web' },
  { id: 'service', file: 'web-service.yaml', label: 'Service web', description: 'ClusterIP: a stable IP and name in front of the pods' },
  { id: 'nodeport', file: 'web-nodeport.yaml', label: 'Service web-nodeport', description: 'NodePort 30080: reachable from this machine' },
] as const;

export function openLessonManifest(ctx: Ctx) {
  return async (...args: unknown[]): Promise<void> => {
    let entry = LESSON.find((m) => m.id === args[0]);
    if (!entry) {
      const pick = await vscode.window.showQuickPick(
        LESSON.map((m) => ({ label: m.label, description: m.description, entry: m })),
        { title: 'Open which manifest of the Services lesson?' },
      );
      if (!pick) throw new Cancelled();
      entry = pick.entry;
    }
    const uri = vscode.Uri.joinPath(ctx.extension.extensionUri, 'media', 'walkthrough', entry.file);
    let content: string;
    try {
      content = new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      throw new UserError(`The lesson's ${entry.file} is missing from the extension; reinstall Kube Service Lab.`, []);
    }
    const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content });
    await vscode.window.showTextDocument(doc);
  };
}
