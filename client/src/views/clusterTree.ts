// The Cluster Explorer view (`kslClusterExplorer`). Its contents come from clusterTreeModel.ts;
// this file turns nodes into TreeItems and redraws when the session changes. A redraw fires for
// the root only, and only when the nodes differ; the nodes' stable ids let VS Code keep what was
// expanded and selected.

import * as vscode from 'vscode';
import type { ClusterSession } from '../clusterSession';
import { explorerRoots, findNode, parentsById, type ObjectTarget, type TreeNode } from './clusterTreeModel';

export const CLUSTER_EXPLORER_VIEW = 'kslClusterExplorer';

const COLLAPSIBLE: Record<TreeNode['collapsible'], vscode.TreeItemCollapsibleState> = {
  none: vscode.TreeItemCollapsibleState.None,
  collapsed: vscode.TreeItemCollapsibleState.Collapsed,
  expanded: vscode.TreeItemCollapsibleState.Expanded,
};

export class ClusterExplorer implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private roots: TreeNode[] = [];
  private rootsJson = '';
  private parents = new Map<string, TreeNode>();
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<TreeNode>;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly session: ClusterSession,
    /** Called when the view becomes visible, so the language server runs while someone looks. */
    onVisible: () => void,
  ) {
    this.update();
    this.view = vscode.window.createTreeView(CLUSTER_EXPLORER_VIEW, { treeDataProvider: this, showCollapseAll: true });
    this.subscriptions.push(
      this.view,
      session.onDidChange(() => this.update()),
      this.view.onDidChangeVisibility((e) => {
        if (e.visible) onVisible();
      }),
    );
    if (this.view.visible) onVisible();
  }

  /** The node selected in the view, for commands run from elsewhere that default to it. */
  get selection(): TreeNode | undefined {
    return this.view.selection[0];
  }

  private update(): void {
    const roots = explorerRoots(this.session.explorerState());
    const json = JSON.stringify(roots);
    if (json === this.rootsJson) return;
    this.roots = roots;
    this.rootsJson = json;
    this.parents = parentsById(roots);
    this.changed.fire(undefined);
  }

  /** Shows, selects and focuses the node of `target`; false when the tree does not have it. */
  async reveal(target: ObjectTarget): Promise<boolean> {
    const node = findNode(this.roots, target);
    if (!node) return false;
    await this.view.reveal(node, { select: true, focus: true, expand: true });
    return true;
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const item = new vscode.TreeItem(node.label, COLLAPSIBLE[node.collapsible]);
    item.id = node.id;
    if (node.description !== undefined) item.description = node.description;
    if (node.tooltip !== undefined) item.tooltip = node.tooltip;
    if (node.contextValue !== undefined) item.contextValue = node.contextValue;
    if (node.icon) item.iconPath = new vscode.ThemeIcon(node.icon.id, node.icon.color ? new vscode.ThemeColor(node.icon.color) : undefined);
    if (node.command) item.command = node.command;
    return item;
  }

  getChildren(node?: TreeNode): TreeNode[] {
    return node ? node.children : this.roots;
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return this.parents.get(node.id);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
