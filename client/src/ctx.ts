// Everything the extension's parts share for the lifetime of one window: the VS Code context,
// the output channel, the workspace's emulator, the language client, the cluster session fed
// by it, and the views commands act on. Parts register their disposables here; deactivation
// disposes them in reverse order.

import type * as vscode from 'vscode';
import type { ClusterSession } from './clusterSession';
import type { EmulatorProcess } from './emulatorProcess';
import type { LanguageClientHandle } from './languageClient';
import type { ObjectTarget, TreeNode } from './views/clusterTreeModel';
import type { ProxyRulesDocuments } from './views/proxyRulesDocuments';
import type { TrafficChart } from './views/trafficChart';

export interface Ctx {
  readonly extension: vscode.ExtensionContext;
  readonly output: vscode.LogOutputChannel;
  readonly emulator: EmulatorProcess;
  readonly languageClient: LanguageClientHandle;
  readonly cluster: ClusterSession;
  /** The Cluster Explorer: its selection is the default target of commands run from elsewhere. */
  readonly explorer: { readonly selection: TreeNode | undefined; reveal(target: ObjectTarget): Promise<boolean> };
  readonly rules: ProxyRulesDocuments;
  /** The traffic test's chart panel, reused for every run. */
  readonly trafficChart: TrafficChart;
  /** Registers something to dispose when the extension deactivates. */
  own<T extends vscode.Disposable>(d: T): T;
}
