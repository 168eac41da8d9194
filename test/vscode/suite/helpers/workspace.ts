// The workspace the runners open: a copy of examples/, so the suite may write into it (broken
// manifests, workspace settings) without touching the repository.

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export function workspaceFolder(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the runner opened no workspace folder');
  return folder.uri;
}

export function workspaceFile(name: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceFolder(), name);
}

export async function writeWorkspaceFile(name: string, text: string): Promise<vscode.Uri> {
  const uri = workspaceFile(name);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  return uri;
}

/** Opens a workspace file in an editor, as a user double-clicking it in the Explorer. */
export async function openInEditor(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(document, { preview: false });
}

/** The position of `needle`'s `at`-th character in the document (the first occurrence). */
export function positionOf(document: vscode.TextDocument, needle: string, at = 0): vscode.Position {
  const offset = document.getText().indexOf(needle);
  assert.ok(offset >= 0, `${document.uri.path} does not contain ${JSON.stringify(needle)}`);
  return document.positionAt(offset + at);
}
