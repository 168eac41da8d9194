// Kube Service Lab: Reset Emulator. Deletes every object after the user confirms.

import * as vscode from 'vscode';
import type { Ctx } from '../ctx';

export function resetEmulator(ctx: Ctx) {
  return async (): Promise<void> => {
    const answer = await vscode.window.showWarningMessage(
      'Reset the Kube Service Lab emulator? Every Service, Deployment and pod in it is deleted, and it starts again as a new cluster.',
      { modal: true },
      'Reset',
    );
    if (answer !== 'Reset') return;
    const wasRunning = ctx.emulator.state.kind === 'running';
    await ctx.emulator.reset();
    if (wasRunning) await ctx.emulator.ensureRunning();
    void vscode.window.showInformationMessage('Kube Service Lab: the emulator was reset.');
  };
}
