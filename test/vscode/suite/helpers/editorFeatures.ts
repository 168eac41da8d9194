// What the editor shows for a document, asked through VS Code's own provider commands (the same
// path a hover or an inlay hint takes in the UI).

import * as vscode from 'vscode';

function markdownOf(content: vscode.MarkdownString | vscode.MarkedString): string {
  if (typeof content === 'string') return content;
  return content.value;
}

/** Every hover's text at a position, joined. */
export async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position)) ?? [];
  return hovers.flatMap((h) => h.contents.map(markdownOf)).join('\n');
}

/** The labels of the inlay hints over the whole document. */
export async function inlayHintLabels(document: vscode.TextDocument): Promise<string[]> {
  const range = new vscode.Range(new vscode.Position(0, 0), document.lineAt(document.lineCount - 1).range.end);
  const hints = (await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', document.uri, range)) ?? [];
  return hints.map((h) => (typeof h.label === 'string' ? h.label : h.label.map((part) => part.value).join('')));
}

/** The document's diagnostics as `severity code: message` lines, for readable failures. */
export function diagnosticLines(uri: vscode.Uri): string[] {
  return vscode.languages.getDiagnostics(uri).map((d) => `${vscode.DiagnosticSeverity[d.severity]} ${typeof d.code === 'object' ? d.code.value : (d.code ?? '')}: ${d.message}`);
}

/** `ip:port` pairs in a hover's endpoints table, sorted. */
export function endpointAddresses(markdown: string): string[] {
  return [...markdown.matchAll(/\|\s*(\d+\.\d+\.\d+\.\d+:\d+)\s*\|\s*yes\s*\|/g)].map((m) => m[1] ?? '').sort();
}

/** The ClusterIP a hover names, if any. */
export function clusterIPOf(markdown: string): string | undefined {
  return /ClusterIP `(\d+\.\d+\.\d+\.\d+)`/.exec(markdown)?.[1];
}
