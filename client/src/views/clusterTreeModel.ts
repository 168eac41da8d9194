// The Cluster Explorer's contents as plain data: every node with a stable id, label,
// description, icon and context value, built from the language server's snapshot. The tree
// view (clusterTree.ts) only turns these into TreeItems. Ids depend on what a node is, never on
// its position or its state, so VS Code keeps what the user expanded across refreshes.
//
//   Namespace ─ Services ─ Service ─ Port ─ Endpoint (IP:port, ready or not, the pod)
//                                  └ DNS ─ name
//             ─ Deployments ─ Deployment ─ Pod
//             ─ Pods (pods no Deployment selects) ─ Pod

import type {
  ClusterSnapshot,
  SnapshotDeployment,
  SnapshotEndpoint,
  SnapshotPod,
  SnapshotService,
  SnapshotServicePort,
} from '../../../server/src/protocol';
import type { EmulatorState } from '../emulatorProcess';

export type NodeData =
  | { kind: 'namespace'; namespace: string }
  | { kind: 'group'; namespace: string; group: 'services' | 'deployments' | 'pods' }
  | { kind: 'service'; service: SnapshotService }
  | { kind: 'port'; service: SnapshotService; port: SnapshotServicePort }
  | { kind: 'endpoint'; service: SnapshotService; port: SnapshotServicePort; endpoint: SnapshotEndpoint }
  | { kind: 'dns'; service: SnapshotService }
  | { kind: 'dnsName'; service: SnapshotService; name: string }
  | { kind: 'deployment'; deployment: SnapshotDeployment }
  | { kind: 'pod'; pod: SnapshotPod }
  | { kind: 'message' };

export interface NodeIcon {
  /** A codicon id, e.g. `pass`. */
  id: string;
  /** A theme color id, e.g. `testing.iconPassed`. */
  color?: string;
}

export interface TreeNode {
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  /** What the `view/item/context` menus match with `viewItem`. */
  contextValue?: string;
  icon?: NodeIcon;
  /** For a node with children: how it first appears; VS Code remembers the user's choice after that. */
  collapsible: 'none' | 'collapsed' | 'expanded';
  children: TreeNode[];
  /** A command run on click, for message nodes. */
  command?: { command: string; title: string };
  data: NodeData;
}

/** Whether the snapshot could be read, as the session knows it. */
export type FetchState = { kind: 'idle' } | { kind: 'loading' } | { kind: 'ok' } | { kind: 'failed'; message: string };

export interface ExplorerState {
  source: 'emulator' | 'kubeconfig';
  emulator: EmulatorState;
  fetch: FetchState;
  snapshot?: ClusterSnapshot;
}

const READY: NodeIcon = { id: 'pass', color: 'testing.iconPassed' };
const NOT_READY: NodeIcon = { id: 'circle-slash', color: 'testing.iconFailed' };

function message(id: string, label: string, icon: NodeIcon, tooltip?: string, command?: TreeNode['command']): TreeNode {
  return { id: `message:${id}`, label, icon, collapsible: 'none', children: [], data: { kind: 'message' }, contextValue: 'message', ...(tooltip ? { tooltip } : {}), ...(command ? { command } : {}) };
}

/**
 * The tree's top level. Empty when the emulator is the source and is stopped or failed: the
 * view's welcome content then offers to start it.
 */
export function explorerRoots(state: ExplorerState): TreeNode[] {
  if (state.source === 'emulator') {
    if (state.emulator.kind === 'stopped' || state.emulator.kind === 'failed') return [];
    if (state.emulator.kind === 'starting') return [message('starting', 'Starting the emulator…', { id: 'loading~spin' })];
  }
  if (state.fetch.kind === 'failed') {
    const showOutput = { command: 'ksl.showOutput', title: 'Show Output' };
    return [message('failed', `Cannot read the cluster: ${state.fetch.message}`, { id: 'error', color: 'errorForeground' }, state.fetch.message, showOutput)];
  }
  const snapshot = state.snapshot;
  if (!snapshot) return [message('loading', 'Connecting to the language server…', { id: 'loading~spin' })];
  if (!snapshot.connected) {
    return [message('unreachable', `Connecting to ${snapshot.source}…`, { id: 'loading~spin' }, `The language server cannot reach ${snapshot.source} yet; the tree fills in when it does.`)];
  }
  const tree = clusterTree(snapshot);
  return tree.length ? tree : [message('empty', `${snapshot.source} shows no namespace`, { id: 'info' }, 'The credentials may not allow listing namespaces.')];
}

/** User namespaces first (`default` leading), then the system's `kube-*` ones, each alphabetically. */
function namespaceOrder(a: string, b: string): number {
  const rank = (n: string): number => (n === 'default' ? 0 : n.startsWith('kube-') ? 2 : 1);
  return rank(a) - rank(b) || a.localeCompare(b);
}

const byName = <T extends { name: string }>(a: T, b: T): number => a.name.localeCompare(b.name);

/** The nodes for a connected cluster: one per namespace, with its Services, Deployments and other pods. */
export function clusterTree(snapshot: ClusterSnapshot): TreeNode[] {
  const namespaces = [...new Set([...snapshot.namespaces, ...snapshot.services.map((s) => s.namespace), ...snapshot.pods.map((p) => p.namespace)])];
  return namespaces.sort(namespaceOrder).map((ns) => namespaceNode(snapshot, ns));
}

function namespaceNode(snapshot: ClusterSnapshot, ns: string): TreeNode {
  const services = snapshot.services.filter((s) => s.namespace === ns).sort(byName);
  const deployments = snapshot.deployments.filter((d) => d.namespace === ns).sort(byName);
  const pods = snapshot.pods.filter((p) => p.namespace === ns);
  const podsByName = new Map(pods.map((p) => [p.name, p]));
  const owned = new Set(deployments.flatMap((d) => d.pods));
  const loose = pods.filter((p) => !owned.has(p.name)).sort(byName);
  const id = `ns:${ns}`;
  const children: TreeNode[] = [];
  const open = ns === 'default' ? 'expanded' : 'collapsed';
  if (services.length) children.push(group(id, ns, 'services', 'Services', services.map((s) => serviceNode(s, podsByName)), open));
  if (deployments.length) children.push(group(id, ns, 'deployments', 'Deployments', deployments.map((d) => deploymentNode(d, podsByName)), open));
  if (loose.length) children.push(group(id, ns, 'pods', 'Pods', loose.map((p) => podNode(`${id}/pods`, p)), open, 'Pods that no Deployment selects'));
  return {
    id,
    label: ns,
    description: children.length ? `${services.length} svc · ${pods.length} ${pods.length === 1 ? 'pod' : 'pods'}` : 'empty',
    tooltip: `Namespace ${ns}`,
    contextValue: 'namespace',
    icon: { id: 'symbol-namespace' },
    collapsible: children.length ? open : 'none',
    children,
    data: { kind: 'namespace', namespace: ns },
  };
}

function group(parent: string, namespace: string, kind: 'services' | 'deployments' | 'pods', label: string, children: TreeNode[], open: TreeNode['collapsible'], tooltip?: string): TreeNode {
  return {
    id: `${parent}/${kind}`,
    label,
    description: String(children.length),
    ...(tooltip ? { tooltip } : {}),
    contextValue: 'group',
    icon: { id: kind === 'services' ? 'radio-tower' : kind === 'deployments' ? 'layers' : 'vm' },
    collapsible: open,
    children: unique(children),
    data: { kind: 'group', namespace, group: kind },
  };
}

/** The PORT(S) column of `kubectl get svc`: `80/TCP`, `80:30080/TCP`, joined by commas. */
export function portsText(service: SnapshotService): string {
  if (service.ports.length === 0) return '<none>';
  return service.ports.map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol}`).join(',');
}

function selectorText(selector: Record<string, string>): string {
  const pairs = Object.entries(selector).map(([k, v]) => `${k}=${v}`);
  return pairs.length ? pairs.join(',') : '<none>';
}

/** A Service whose selector picks no ready pod: the mistake the explorer should make visible. */
function lacksEndpoints(service: SnapshotService): boolean {
  return Object.keys(service.selector).length > 0 && service.type !== 'ExternalName' && !service.ports.some((p) => p.endpoints.some((e) => e.ready));
}

function serviceNode(service: SnapshotService, pods: ReadonlyMap<string, SnapshotPod>): TreeNode {
  const id = `svc:${service.namespace}/${service.name}`;
  const reachable = service.ports.some((p) => p.hostURL);
  const ready = [...new Set(service.ports.flatMap((p) => p.endpoints.filter((e) => e.ready).map((e) => `${e.ip}:${e.port}`)))];
  const warn = lacksEndpoints(service);
  const tooltip = [
    `service/${service.name} in namespace ${service.namespace}`,
    `Type: ${service.type}`,
    `ClusterIP: ${service.clusterIP ?? '<none>'}`,
    ...(service.externalIP || service.externalIPs.length ? [`External IP: ${[service.externalIP, ...service.externalIPs].filter(Boolean).join(', ')}`] : []),
    `Selector: ${selectorText(service.selector)}`,
    `Ports: ${portsText(service)}`,
    `Endpoints: ${ready.length ? ready.join(', ') : '<none>'}`,
    ...(warn ? [`No ready pod matches the selector ${selectorText(service.selector)}.`] : []),
  ].join('\n');
  const children = service.ports.map((p) => portNode(id, service, p, pods));
  if (service.dnsNames.length) children.push(dnsNode(id, service));
  return {
    id,
    label: service.name,
    description: [service.type, service.clusterIP, portsText(service)].filter((x): x is string => Boolean(x)).join(' · '),
    tooltip,
    contextValue: reachable ? 'service.nodePort' : 'service',
    icon: warn ? { id: 'warning', color: 'list.warningForeground' } : { id: reachable ? 'globe' : 'radio-tower' },
    collapsible: children.length ? 'collapsed' : 'none',
    children: unique(children),
    data: { kind: 'service', service },
  };
}

function portLabel(p: SnapshotServicePort): string {
  return `${p.name ? `${p.name} ` : ''}${p.port}/${p.protocol} → ${p.targetPort}`;
}

function portNode(parent: string, service: SnapshotService, port: SnapshotServicePort, pods: ReadonlyMap<string, SnapshotPod>): TreeNode {
  const id = `${parent}/port:${port.name || port.port}/${port.protocol}`;
  const readyCount = port.endpoints.filter((e) => e.ready).length;
  const parts = [port.endpoints.length ? `${readyCount}/${port.endpoints.length} ready` : 'no endpoints'];
  if (port.nodePort) parts.push(`nodePort ${port.nodePort}`);
  const children = port.endpoints.length
    ? port.endpoints.map((e) => endpointNode(id, service, port, e, pods))
    : [message(`${id}/none`, 'no endpoints', { id: 'info' }, Object.keys(service.selector).length ? `No pod matches the selector ${selectorText(service.selector)} on this port.` : 'This Service has no selector; its endpoints are managed by hand.')];
  return {
    id,
    label: portLabel(port),
    description: parts.join(' · '),
    tooltip: [`Port ${port.port}/${port.protocol} forwards to the pods' port ${port.targetPort}.`, ...(port.nodePort ? [`NodePort ${port.nodePort}${port.hostURL ? `: ${port.hostURL}` : ''}`] : [])].join('\n'),
    contextValue: port.hostURL ? 'port.nodePort' : 'port',
    icon: { id: 'plug' },
    collapsible: 'expanded',
    children: unique(children),
    data: { kind: 'port', service, port },
  };
}

function endpointNode(parent: string, service: SnapshotService, port: SnapshotServicePort, endpoint: SnapshotEndpoint, pods: ReadonlyMap<string, SnapshotPod>): TreeNode {
  const address = endpoint.ip.includes(':') ? `[${endpoint.ip}]:${endpoint.port}` : `${endpoint.ip}:${endpoint.port}`;
  const pod = endpoint.pod ? pods.get(endpoint.pod) : undefined;
  const state = endpoint.ready ? 'ready' : pod?.terminating ? 'terminating' : 'not ready';
  return {
    id: `${parent}/ep:${address}`,
    label: address,
    description: [endpoint.pod, endpoint.ready ? undefined : state].filter(Boolean).join(' · '),
    tooltip: `Endpoint ${address}: ${state}${endpoint.pod ? `\nPod ${endpoint.pod}` : ''}${endpoint.node ? ` on node ${endpoint.node}` : ''}`,
    contextValue: endpoint.pod ? 'endpoint.pod' : 'endpoint',
    icon: endpoint.ready ? READY : NOT_READY,
    collapsible: 'none',
    children: [],
    data: { kind: 'endpoint', service, port, endpoint },
  };
}

/** What a Service's names resolve to, as the cluster DNS answers an A query. */
function dnsAnswer(service: SnapshotService): string | undefined {
  if (service.type === 'ExternalName') return 'CNAME';
  if (service.clusterIP === 'None') {
    const ips = [...new Set(service.ports.flatMap((p) => p.endpoints.filter((e) => e.ready).map((e) => e.ip)))];
    return ips.length ? ips.join(', ') : 'no ready pods';
  }
  return service.clusterIP;
}

function dnsNode(parent: string, service: SnapshotService): TreeNode {
  const id = `${parent}/dns`;
  const answer = dnsAnswer(service);
  return {
    id,
    label: 'DNS',
    description: service.dnsNames[service.dnsNames.length - 1],
    tooltip: `The names pods use for this Service${answer ? `; they resolve to ${answer}` : ''}.`,
    contextValue: 'dns',
    icon: { id: 'symbol-key' },
    collapsible: 'collapsed',
    children: unique(
      service.dnsNames.map((name) => ({
        id: `${id}/${name}`,
        label: name,
        ...(answer ? { description: `→ ${answer}` } : {}),
        tooltip: name.includes('.') ? name : `${name}: the short name, which resolves from pods in namespace ${service.namespace}`,
        contextValue: 'dnsName',
        icon: { id: 'link' },
        collapsible: 'none' as const,
        children: [],
        data: { kind: 'dnsName' as const, service, name },
      })),
    ),
    data: { kind: 'dns', service },
  };
}

function deploymentNode(deployment: SnapshotDeployment, pods: ReadonlyMap<string, SnapshotPod>): TreeNode {
  const id = `deploy:${deployment.namespace}/${deployment.name}`;
  const children = deployment.pods
    .map((name) => pods.get(name))
    .filter((p): p is SnapshotPod => p !== undefined)
    .sort(byName)
    .map((p) => podNode(id, p));
  const allReady = deployment.readyReplicas >= deployment.replicas;
  return {
    id,
    label: deployment.name,
    description: `${deployment.readyReplicas}/${deployment.replicas} ready`,
    tooltip: `deployment.apps/${deployment.name} in namespace ${deployment.namespace}\n${deployment.readyReplicas} of ${deployment.replicas} replicas ready`,
    contextValue: 'deployment',
    icon: { id: 'layers', ...(allReady ? {} : { color: 'list.warningForeground' }) },
    collapsible: children.length ? 'expanded' : 'none',
    children: unique(children),
    data: { kind: 'deployment', deployment },
  };
}

/** The STATUS column of `kubectl get pods`, near enough: Terminating wins over the phase. */
function podStatus(pod: SnapshotPod): string {
  return pod.terminating ? 'Terminating' : pod.phase;
}

function podIcon(pod: SnapshotPod): NodeIcon {
  if (pod.terminating) return { id: 'trash', color: 'disabledForeground' };
  if (pod.ready) return READY;
  if (pod.phase === 'Pending') return { id: 'clock' };
  if (pod.phase === 'Failed') return { id: 'error', color: 'errorForeground' };
  return NOT_READY;
}

function podNode(parent: string, pod: SnapshotPod): TreeNode {
  const status = podStatus(pod);
  const labels = Object.entries(pod.labels).map(([k, v]) => `${k}=${v}`);
  return {
    id: `${parent}/pod:${pod.name}`,
    label: pod.name,
    description: `${pod.ip ?? '<none>'} · ${status} · ${pod.ready ? 'ready' : 'not ready'}`,
    tooltip: [`pod/${pod.name} in namespace ${pod.namespace}`, `IP: ${pod.ip ?? '<none>'}`, `Status: ${status}${pod.ready ? ', ready' : ', not ready'}`, ...(pod.node ? [`Node: ${pod.node}`] : []), `Labels: ${labels.length ? labels.join(', ') : '<none>'}`].join('\n'),
    contextValue: 'pod',
    icon: podIcon(pod),
    collapsible: 'none',
    children: [],
    data: { kind: 'pod', pod },
  };
}

/** Makes sibling ids unique: a snapshot may repeat an address, and VS Code rejects duplicate ids. */
function unique(nodes: TreeNode[]): TreeNode[] {
  const seen = new Map<string, number>();
  return nodes.map((n) => {
    const count = seen.get(n.id) ?? 0;
    seen.set(n.id, count + 1);
    return count === 0 ? n : { ...n, id: `${n.id}#${count + 1}` };
  });
}

/** An object the server's code lenses ask to show: `{ namespace, kind: 'Service', name }`. */
export interface ObjectTarget {
  namespace: string;
  kind: string;
  name: string;
}

function shows(node: TreeNode, t: ObjectTarget): boolean {
  const d = node.data;
  switch (t.kind) {
    case 'Service':
      return d.kind === 'service' && d.service.namespace === t.namespace && d.service.name === t.name;
    case 'Deployment':
      return d.kind === 'deployment' && d.deployment.namespace === t.namespace && d.deployment.name === t.name;
    case 'Pod':
      return d.kind === 'pod' && d.pod.namespace === t.namespace && d.pod.name === t.name;
    default:
      return false;
  }
}

/** The node that shows `target` (a pod under its Deployment first), or undefined. */
export function findNode(roots: readonly TreeNode[], target: ObjectTarget): TreeNode | undefined {
  for (const node of roots) {
    if (shows(node, target)) return node;
    const inside = findNode(node.children, target);
    if (inside) return inside;
  }
  return undefined;
}

/** Each node's parent by the child's id, for TreeDataProvider.getParent. */
export function parentsById(roots: readonly TreeNode[]): Map<string, TreeNode> {
  const parents = new Map<string, TreeNode>();
  const visit = (node: TreeNode): void => {
    for (const child of node.children) {
      parents.set(child.id, node);
      visit(child);
    }
  };
  roots.forEach(visit);
  return parents;
}
