// Reading the Cluster Explorer through its data provider, as the tree view does.

import type { KslExtensionApi } from '../../../../client/src/extension';
import type { TreeNode } from '../../../../client/src/views/clusterTreeModel';

/** The node reached from the roots by following labels, or undefined. */
export function treeNodeAt(api: KslExtensionApi, ...labels: string[]): TreeNode | undefined {
  let nodes = api.clusterTree.getChildren();
  let found: TreeNode | undefined;
  for (const label of labels) {
    found = nodes.find((n) => n.label === label);
    if (!found) return undefined;
    nodes = api.clusterTree.getChildren(found);
  }
  return found;
}

export function childLabels(api: KslExtensionApi, node?: TreeNode): string[] {
  return api.clusterTree.getChildren(node).map((n) => n.label);
}

/** The ready endpoint nodes of a Service's first port in `default`, in label order. */
export function readyEndpoints(api: KslExtensionApi, service: string): TreeNode[] {
  const svc = treeNodeAt(api, 'default', 'Services', service);
  const port = svc ? api.clusterTree.getChildren(svc).find((n) => n.data.kind === 'port') : undefined;
  if (!port) return [];
  return api.clusterTree
    .getChildren(port)
    .filter((n) => n.data.kind === 'endpoint' && n.data.endpoint.ready)
    .sort((a, b) => a.label.localeCompare(b.label));
}

/** The labels of the whole tree, one line per node, indented: for failure messages. */
export function treeText(api: KslExtensionApi, node?: TreeNode, depth = 0): string {
  return api.clusterTree
    .getChildren(node)
    .map((n) => `${'  '.repeat(depth)}${n.label}${n.description ? ` (${n.description})` : ''}\n${treeText(api, n, depth + 1)}`)
    .join('');
}
