// Kube Service Lab: Start Emulator.

import * as vscode from 'vscode';
import type { Ctx } from '../ctx';

export function startEmulator(ctx: Ctx) {
  return async (): Promise<void> => {
    const state = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Starting the Kube Service Lab emulator' },
      () => ctx.emulator.ensureRunning(),
    );
    if (state.kind === 'failed') {
      const action = await vscode.window.showErrorMessage(`Kube Service Lab: ${state.message}`, 'Show Output');
      if (action) ctx.output.show();
    }
  };
}
