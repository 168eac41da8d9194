// What a command acts on. From a tree item's menu, the item itself; from the command palette,
// a pick among the cluster's objects, with the Service under the editor's cursor (or selected
// in the Cluster Explorer) offered first.

import * as vscode from 'vscode';
import type { ClusterSnapshot, SnapshotDeployment, SnapshotPod, SnapshotService, SnapshotServicePort } from '../../../server/src/protocol';
import type { Ctx } from '../ctx';
import { Cancelled, UserError } from '../userError';
import type { NodeData, TreeNode } from '../views/clusterTreeModel';

export interface ObjectKey {
  namespace: string;
  name: string;
}

/** The Cluster Explorer node a menu passed as the first argument, if any. */
export function treeNodeArg(args: readonly unknown[]): TreeNode | undefined {
  const a = args[0];
  if (typeof a !== 'object' || a === null || !('id' in a) || !('data' in a)) return undefined;
  const data = (a as { data: unknown }).data;
  return typeof data === 'object' && data !== null && typeof (data as { kind?: unknown }).kind === 'string' ? (a as TreeNode) : undefined;
}

/** The Service a node belongs to (the Service itself, its ports, endpoints and DNS names). */
export function serviceOfNode(data: NodeData | undefined): SnapshotService | undefined {
  switch (data?.kind) {
    case 'service':
    case 'port':
    case 'endpoint':
    case 'dns':
    case 'dnsName':
      return data.service;
    default:
      return undefined;
  }
}

/** The Service declared where the cursor is in the active YAML editor. */
export async function serviceAtCursor(): Promise<ObjectKey | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'yaml') return undefined;
  const { objectAtLine } = await import('../manifests/manifestLocator');
  const found = objectAtLine(editor.document.getText(), editor.selection.active.line);
  return found?.kind === 'Service' ? { namespace: found.namespace ?? 'default', name: found.name } : undefined;
}

/** The Service the user is most likely about: under the cursor, else selected in the explorer. */
export async function preferredService(ctx: Ctx): Promise<ObjectKey | undefined> {
  const atCursor = await serviceAtCursor();
  if (atCursor) return atCursor;
  const selected = serviceOfNode(ctx.explorer.selection?.data);
  return selected ? { namespace: selected.namespace, name: selected.name } : undefined;
}

const same = (a: ObjectKey | undefined, b: ObjectKey): boolean => a !== undefined && a.namespace === b.namespace && a.name === b.name;

async function snapshotFor(ctx: Ctx, what: string): Promise<ClusterSnapshot> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Kube Service Lab: reading ${what}` }, () => ctx.cluster.fresh());
}

async function pick<T extends vscode.QuickPickItem>(items: T[], title: string): Promise<T> {
  const chosen = await vscode.window.showQuickPick(items, { title, matchOnDescription: true });
  if (!chosen) throw new Cancelled();
  return chosen;
}

/** A Service picked from the cluster, the preferred one first. `filter` narrows the choice. */
export async function pickService(ctx: Ctx, title: string, filter: (s: SnapshotService) => boolean = () => true, none = 'The cluster has no Service to choose.'): Promise<SnapshotService> {
  const snapshot = await snapshotFor(ctx, 'Services');
  const preferred = await preferredService(ctx);
  const services = snapshot.services.filter(filter).sort((a, b) => Number(same(preferred, b)) - Number(same(preferred, a)));
  if (services.length === 0) throw new UserError(none, []);
  const chosen = await pick(
    services.map((s) => ({ label: s.name, description: `${s.namespace} · ${s.type} · ${s.clusterIP ?? '<none>'}`, service: s })),
    title,
  );
  return chosen.service;
}

export async function pickDeployment(ctx: Ctx, title: string): Promise<SnapshotDeployment> {
  const snapshot = await snapshotFor(ctx, 'Deployments');
  if (snapshot.deployments.length === 0) throw new UserError('The cluster has no Deployment. Apply one first.', []);
  const chosen = await pick(
    snapshot.deployments.map((d) => ({ label: d.name, description: `${d.namespace} · ${d.readyReplicas}/${d.replicas} ready`, deployment: d })),
    title,
  );
  return chosen.deployment;
}

export async function pickPod(ctx: Ctx, title: string): Promise<SnapshotPod> {
  const snapshot = await snapshotFor(ctx, 'pods');
  const pods = snapshot.pods.filter((p) => !p.terminating);
  if (pods.length === 0) throw new UserError('The cluster has no running pod to choose.', []);
  const chosen = await pick(
    pods.map((p) => ({ label: p.name, description: `${p.namespace} · ${p.ip ?? '<no IP>'} · ${p.phase}${p.ready ? ' · ready' : ''}`, pod: p })),
    title,
  );
  return chosen.pod;
}

/** Ports reachable from this machine (NodePorts, tunnelled LoadBalancers), picked when there are several. */
export async function pickHostPort(ports: { service: SnapshotService; port: SnapshotServicePort }[], title: string): Promise<string> {
  const reachable = ports.filter((p) => p.port.hostURL);
  const first = reachable[0];
  if (!first?.port.hostURL) throw new UserError('No Service has a port reachable from this machine. Apply a Service of type NodePort (the walkthrough has one) and try again.', []);
  if (reachable.length === 1) return first.port.hostURL;
  const chosen = await pick(
    reachable.map((p) => ({ label: p.port.hostURL ?? '', description: `${p.service.namespace}/${p.service.name} · ${p.port.port}:${p.port.nodePort ?? ''}/${p.port.protocol}` })),
    title,
  );
  return chosen.label;
}
