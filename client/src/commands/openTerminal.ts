// Kube Service Lab: Open Terminal. A terminal whose KUBECONFIG points at the emulator, so the
// user's own kubectl talks to it, and whose KSL_STATE_DIR lets `ksl` commands find it.

import * as vscode from 'vscode';
import type { Ctx } from '../ctx';

export function openTerminal(ctx: Ctx) {
  return async (): Promise<void> => {
    const state = await ctx.emulator.ensureRunning();
    if (state.kind !== 'running') {
      void vscode.window.showErrorMessage(`Kube Service Lab: no terminal, because ${state.kind === 'failed' ? state.message : 'the emulator is not running'}.`);
      return;
    }
    const terminal = vscode.window.createTerminal({
      name: 'kubectl (ksl emulator)',
      env: { KUBECONFIG: state.kubeconfig, KSL_STATE_DIR: state.stateDir },
      message: `KUBECONFIG points at the Kube Service Lab emulator (${state.api}). Try: kubectl get svc,endpoints,pods`,
    });
    terminal.show();
  };
}
