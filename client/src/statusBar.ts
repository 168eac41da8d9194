// The status bar item: the emulator's state at a glance; a click opens the cluster picker.

import * as vscode from 'vscode';
import type { EmulatorState } from './emulatorProcess';

export function emulatorStatusText(state: EmulatorState): { text: string; tooltip: string } {
  switch (state.kind) {
    case 'stopped':
      return { text: '$(circle-outline) ksl: stopped', tooltip: 'The Kube Service Lab emulator is not running. Click to choose a cluster.' };
    case 'starting':
      return { text: '$(sync~spin) ksl: starting', tooltip: 'The Kube Service Lab emulator is starting.' };
    case 'running':
      return { text: '$(server-environment) ksl: emulator', tooltip: `Emulator API ${state.api}, DNS ${state.dns}. Click to choose a cluster.` };
    case 'failed':
      return { text: '$(error) ksl: failed', tooltip: `The emulator failed: ${state.message}` };
  }
}

export function createStatusBar(onState: vscode.Event<EmulatorState>, initial: EmulatorState): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('ksl.status', vscode.StatusBarAlignment.Left, 10);
  item.name = 'Kube Service Lab';
  item.command = 'ksl.selectCluster';
  const show = (state: EmulatorState): void => {
    const { text, tooltip } = emulatorStatusText(state);
    item.text = text;
    item.tooltip = tooltip;
  };
  show(initial);
  item.show();
  const sub = onState(show);
  return vscode.Disposable.from(item, sub);
}
