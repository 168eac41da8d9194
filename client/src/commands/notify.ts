// A result notification with a "Show Output" button, where the whole story is. It is not
// awaited: a command finishes when its work is done, not when the user closes the message.

import * as vscode from 'vscode';
import type { Ctx } from '../ctx';

const SHOW: Record<'info' | 'warning' | 'error', (message: string, ...items: string[]) => Thenable<string | undefined>> = {
  info: vscode.window.showInformationMessage,
  warning: vscode.window.showWarningMessage,
  error: vscode.window.showErrorMessage,
};

export function notifyWithOutput(ctx: Ctx, level: 'info' | 'warning' | 'error', message: string): void {
  void SHOW[level](`Kube Service Lab: ${message}`, 'Show Output').then((choice) => {
    if (choice) ctx.output.show(true);
  });
}
