// The status bar item: the cluster's state and counts at a glance; a click opens the cluster
// picker. It follows the emulator's state and the language server's snapshots.

import * as vscode from 'vscode';
import type { ClusterSession } from './clusterSession';
import { statusText } from './statusText';

export function createStatusBar(session: ClusterSession): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('ksl.status', vscode.StatusBarAlignment.Left, 10);
  item.name = 'Kube Service Lab';
  item.command = 'ksl.selectCluster';
  const show = (): void => {
    const { text, tooltip } = statusText(session.statusInput());
    item.text = text;
    item.tooltip = tooltip;
  };
  show();
  item.show();
  const sub = session.onDidChange(show);
  return vscode.Disposable.from(item, sub);
}
