// The Cluster Explorer's contents, built from a snapshot: what each kind of node says, which
// menus it gets, and that ids survive a refresh so VS Code keeps what the user expanded.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClusterSnapshot } from '../../../server/src/protocol';
import { clusterTree, explorerRoots, findNode, parentsById, portsText, type ExplorerState, type TreeNode } from '../../../client/src/views/clusterTreeModel';
import { lessonSnapshot, pod } from './snapshotFixture';

const running = { kind: 'running', api: 'https://127.0.0.1:40123', dns: '127.0.0.1:40124', kubeconfig: '/s/kubeconfig', stateDir: '/s' } as const;

function state(extra: Partial<ExplorerState>): ExplorerState {
  return { source: 'emulator', emulator: running, fetch: { kind: 'ok' }, snapshot: lessonSnapshot(), ...extra };
}

/** The node reached by following labels from the top. */
function at(nodes: TreeNode[], ...labels: string[]): TreeNode {
  let node: TreeNode | undefined;
  let level = nodes;
  for (const label of labels) {
    node = level.find((n) => n.label === label);
    assert.ok(node, `no node "${label}" among ${level.map((n) => n.label).join(', ')}`);
    level = node.children;
  }
  assert.ok(node);
  return node;
}

function allIds(nodes: TreeNode[]): string[] {
  return nodes.flatMap((n) => [n.id, ...allIds(n.children)]);
}

describe('explorerRoots', () => {
  it('is empty while the emulator is stopped or failed, so the welcome content offers to start it', () => {
    assert.deepEqual(explorerRoots(state({ emulator: { kind: 'stopped' } })), []);
    assert.deepEqual(explorerRoots(state({ emulator: { kind: 'failed', message: 'port in use' } })), []);
  });

  it('says the emulator is starting', () => {
    const [only, ...rest] = explorerRoots(state({ emulator: { kind: 'starting' } }));
    assert.equal(rest.length, 0);
    assert.equal(only?.label, 'Starting the emulator…');
    assert.equal(only?.icon?.id, 'loading~spin');
  });

  it('ignores the emulator when the source is a kubeconfig context', () => {
    const roots = explorerRoots(state({ source: 'kubeconfig', emulator: { kind: 'stopped' } }));
    assert.deepEqual(
      roots.map((n) => n.label),
      ['default', 'shop', 'kube-system'],
    );
  });

  it('shows a failed read as an error message that opens the output', () => {
    const [only] = explorerRoots(state({ fetch: { kind: 'failed', message: 'the language server stopped while answering' } }));
    assert.equal(only?.label, 'Cannot read the cluster: the language server stopped while answering');
    assert.equal(only?.command?.command, 'ksl.showOutput');
  });

  it('waits for the server, and for a cluster it cannot reach yet', () => {
    const { snapshot: _, ...withoutSnapshot } = state({});
    assert.equal(explorerRoots({ ...withoutSnapshot, fetch: { kind: 'idle' } })[0]?.label, 'Connecting to the language server…');
    const unreachable: ClusterSnapshot = { ...lessonSnapshot(), connected: false };
    assert.equal(explorerRoots(state({ snapshot: unreachable }))[0]?.label, 'Connecting to emulator at https://127.0.0.1:40123…');
  });

  it('says so when a reachable cluster shows nothing, rather than staying blank', () => {
    const empty: ClusterSnapshot = { ...lessonSnapshot(), namespaces: [], services: [], pods: [], deployments: [] };
    assert.deepEqual(
      explorerRoots(state({ source: 'kubeconfig', snapshot: empty })).map((n) => n.label),
      ['emulator at https://127.0.0.1:40123 shows no namespace'],
    );
  });
});

describe('clusterTree', () => {
  const tree = clusterTree(lessonSnapshot());

  it('lists default first and kube-* namespaces last, with empty namespaces marked', () => {
    assert.deepEqual(
      tree.map((n) => n.label),
      ['default', 'shop', 'kube-system'],
    );
    assert.equal(at(tree, 'default').collapsible, 'expanded');
    assert.equal(at(tree, 'kube-system').collapsible, 'collapsed');
    assert.equal(at(tree, 'shop').description, 'empty');
    assert.equal(at(tree, 'default').description, '4 svc · 4 pods');
    assert.equal(at(tree, 'kube-system').description, '1 svc · 1 pod');
    assert.equal(at(tree, 'shop').collapsible, 'none');
  });

  it('describes a Service as type · ClusterIP · ports, like kubectl get svc', () => {
    const web = at(tree, 'default', 'Services', 'web');
    assert.equal(web.description, 'ClusterIP · 10.96.12.7 · 80/TCP');
    assert.equal(web.contextValue, 'service');
    assert.match(web.tooltip ?? '', /Selector: app=web/);
    assert.match(web.tooltip ?? '', /Endpoints: 10\.244\.0\.15:80, 10\.244\.0\.16:80$/m);
    const nodePort = at(tree, 'default', 'Services', 'web-nodeport');
    assert.equal(nodePort.description, 'NodePort · 10.107.188.99 · 80:30080/TCP');
    assert.equal(nodePort.contextValue, 'service.nodePort');
  });

  it('puts ports under a Service and endpoints under a port, each with its ready state and pod', () => {
    const port = at(tree, 'default', 'Services', 'web', '80/TCP → 80');
    assert.equal(port.description, '2/3 ready');
    assert.equal(port.contextValue, 'port');
    assert.deepEqual(
      port.children.map((e) => [e.label, e.description, e.icon?.id, e.contextValue]),
      [
        ['10.244.0.15:80', 'web-7c5d-2xk4p', 'pass', 'endpoint.pod'],
        ['10.244.0.16:80', 'web-7c5d-8q9zt', 'pass', 'endpoint.pod'],
        ['10.244.0.17:80', 'web-7c5d-tf6nw · not ready', 'circle-slash', 'endpoint.pod'],
      ],
    );
    const nodePort = at(tree, 'default', 'Services', 'web-nodeport', '80/TCP → 80');
    assert.equal(nodePort.contextValue, 'port.nodePort');
    assert.equal(nodePort.description, '2/3 ready · nodePort 30080');
  });

  it('warns about a Service whose selector matches no pod, and says so under its port', () => {
    const typo = at(tree, 'default', 'Services', 'typo');
    assert.equal(typo.icon?.id, 'warning');
    assert.match(typo.tooltip ?? '', /No ready pod matches the selector app=wbe/);
    const port = at(tree, 'default', 'Services', 'typo', 'http 8080/TCP → http');
    assert.equal(port.description, 'no endpoints');
    assert.deepEqual(
      port.children.map((n) => [n.label, n.contextValue]),
      [['no endpoints', 'message']],
    );
  });

  it('lists a Service’s DNS names with what they resolve to', () => {
    const dns = at(tree, 'default', 'Services', 'web', 'DNS');
    assert.equal(dns.contextValue, 'dns');
    assert.deepEqual(
      dns.children.map((n) => [n.label, n.description, n.contextValue]),
      [
        ['web', '→ 10.96.12.7', 'dnsName'],
        ['web.default', '→ 10.96.12.7', 'dnsName'],
        ['web.default.svc', '→ 10.96.12.7', 'dnsName'],
        ['web.default.svc.cluster.local', '→ 10.96.12.7', 'dnsName'],
      ],
    );
    // A headless Service's names resolve to its ready pods.
    assert.equal(at(tree, 'default', 'Services', 'web-headless', 'DNS', 'web-headless').description, '→ 10.244.0.15, 10.244.0.16');
  });

  it('puts a Deployment’s pods under it with IP, phase and readiness, and other pods apart', () => {
    const web = at(tree, 'default', 'Deployments', 'web');
    assert.equal(web.description, '2/3 ready');
    assert.equal(web.contextValue, 'deployment');
    assert.deepEqual(
      web.children.map((p) => [p.label, p.description, p.contextValue]),
      [
        ['web-7c5d-2xk4p', '10.244.0.15 · Running · ready', 'pod'],
        ['web-7c5d-8q9zt', '10.244.0.16 · Running · ready', 'pod'],
        ['web-7c5d-tf6nw', '10.244.0.17 · Running · not ready', 'pod'],
      ],
    );
    assert.deepEqual(
      at(tree, 'default', 'Pods').children.map((p) => p.label),
      ['tmp'],
    );
  });

  it('shows a pending pod without an IP and a terminating one as such', () => {
    const snapshot = lessonSnapshot();
    snapshot.pods = [pod('web-7c5d-2xk4p', undefined, false), pod('web-7c5d-8q9zt', '10.244.0.16', false, { terminating: true })];
    const pods = at(clusterTree(snapshot), 'default', 'Deployments', 'web').children;
    assert.deepEqual(
      pods.map((p) => [p.description, p.icon?.id]),
      [
        ['<none> · Pending · not ready', 'clock'],
        ['10.244.0.16 · Terminating · not ready', 'trash'],
      ],
    );
  });

  it('gives every node a unique id', () => {
    const ids = allIds(tree);
    assert.equal(new Set(ids).size, ids.length);
  });

  it('keeps the ids of what did not change when a pod is replaced', () => {
    const before = lessonSnapshot();
    const after = lessonSnapshot();
    const replaced = after.pods.findIndex((p) => p.name === 'web-7c5d-2xk4p');
    after.pods[replaced] = pod('web-7c5d-zz9ab', '10.244.0.18', true);
    after.deployments[0]!.pods = ['web-7c5d-zz9ab', 'web-7c5d-8q9zt', 'web-7c5d-tf6nw'];
    for (const s of after.services) {
      for (const p of s.ports) p.endpoints = p.endpoints.map((e) => (e.pod === 'web-7c5d-2xk4p' ? { ...e, ip: '10.244.0.18', pod: 'web-7c5d-zz9ab' } : e));
    }
    const oldIds = new Set(allIds(clusterTree(before)));
    const newIds = allIds(clusterTree(after));
    const gone = [...oldIds].filter((id) => !newIds.includes(id));
    const added = newIds.filter((id) => !oldIds.has(id));
    // Only the replaced pod's nodes and its endpoints change; Services, ports and groups keep theirs.
    assert.ok(gone.every((id) => /2xk4p|10\.244\.0\.15/.test(id)), gone.join('\n'));
    assert.ok(added.every((id) => /zz9ab|10\.244\.0\.18/.test(id)), added.join('\n'));
    assert.ok(gone.length > 0 && added.length === gone.length);
  });
});

describe('portsText', () => {
  it('prints the PORT(S) column of kubectl get svc', () => {
    const s = lessonSnapshot().services.find((x) => x.name === 'kube-dns');
    assert.ok(s);
    assert.equal(portsText(s), '53/UDP,53/TCP');
    assert.equal(portsText({ ...s, ports: [] }), '<none>');
  });
});

describe('findNode and parentsById', () => {
  const tree = clusterTree(lessonSnapshot());

  it('finds what a code lens names: a Service, a Deployment, a pod under its Deployment', () => {
    assert.equal(findNode(tree, { namespace: 'default', kind: 'Service', name: 'web-nodeport' })?.id, 'svc:default/web-nodeport');
    assert.equal(findNode(tree, { namespace: 'default', kind: 'Deployment', name: 'web' })?.id, 'deploy:default/web');
    assert.equal(findNode(tree, { namespace: 'default', kind: 'Pod', name: 'web-7c5d-8q9zt' })?.id, 'deploy:default/web/pod:web-7c5d-8q9zt');
    assert.equal(findNode(tree, { namespace: 'default', kind: 'Pod', name: 'tmp' })?.id, 'ns:default/pods/pod:tmp');
    assert.equal(findNode(tree, { namespace: 'shop', kind: 'Service', name: 'web' }), undefined);
    assert.equal(findNode(tree, { namespace: 'default', kind: 'ConfigMap', name: 'web' }), undefined);
  });

  it('knows the parent of every node, up to the namespace', () => {
    const parents = parentsById(tree);
    const chain: string[] = [];
    let id: string | undefined = 'svc:default/web/port:80/TCP/ep:10.244.0.16:80';
    while (id) {
      chain.push(id);
      id = parents.get(id)?.id;
    }
    assert.deepEqual(chain, ['svc:default/web/port:80/TCP/ep:10.244.0.16:80', 'svc:default/web/port:80/TCP', 'svc:default/web', 'ns:default/services', 'ns:default']);
  });
});
