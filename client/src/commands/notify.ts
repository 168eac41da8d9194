// A result notification with a "Show Output" button, where the whole story is. It is not
// awaited: a command finishes when its work is done, not when the user closes the message.

import * as vscode from 'vscode';
import type { Ctx } from '../ctx';

/** The function is looked up at each call, not captured at load, so it is always the current one. */
function show(level: 'info' | 'warning' | 'error'): (message: string, ...items: string[]) => Thenable<string | undefined> {
  if (level === 'info') return vscode.window.showInformationMessage;
  return level === 'warning' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
}

export function notifyWithOutput(ctx: Ctx, level: 'info' | 'warning' | 'error', message: string): void {
  void show(level)(`Kube Service Lab: ${message}`, 'Show Output').then((choice) => {
    if (choice) ctx.output.show(true);
  });
}
