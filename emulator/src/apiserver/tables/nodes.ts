// `kubectl get nodes`: printNode, findNodeRoles and the node address helpers.

import type { KubeObject } from '../../api/types';
import { ageColumn, column, nameColumn } from './commonColumns';
import { timestampSince } from './humanDuration';
import type { ResourcePrinter } from './tableTypes';
import { asRecord, asRecords, asString } from './unknownFields';

const addressesDescription =
  "List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/concepts/nodes/node/#addresses Note: This field is declared as mergeable, but the merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers should instead use a full-replacement patch. See https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change during the lifetime of a Node. However, there are some exceptions where this may not be possible, such as Pods that inherit a Node's address in its own status or consumers of the downward API (status.hostIP).";

const columns = [
  nameColumn,
  column('Status', 'string', 'The status of the node'),
  column('Roles', 'string', 'The roles of the node'),
  ageColumn,
  column('Version', 'string', 'Kubelet Version reported by the node.'),
  column('Internal-IP', 'string', addressesDescription, 1),
  column('External-IP', 'string', addressesDescription, 1),
  column('OS-Image', 'string', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', 1),
  column('Kernel-Version', 'string', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1),
  column(
    'Container-Runtime',
    'string',
    'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).',
    1,
  ),
];

const roleLabelPrefix = 'node-role.kubernetes.io/';
const legacyRoleLabel = 'kubernetes.io/role';

/** findNodeRoles: `node-role.kubernetes.io/<role>` keys and `kubernetes.io/role=<role>`, sorted, unique. */
export function nodeRoles(labels: Readonly<Record<string, string>> | undefined): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(labels ?? {})) {
    if (k.startsWith(roleLabelPrefix)) {
      const role = k.slice(roleLabelPrefix.length);
      if (role) roles.add(role);
    } else if (k === legacyRoleLabel && v !== '') {
      roles.add(v);
    }
  }
  return [...roles].sort();
}

function firstAddress(addresses: Record<string, unknown>[], type: string): string {
  const a = addresses.find((x) => x.type === type);
  return a ? asString(a.address) : '<none>';
}

export const nodePrinter: ResourcePrinter = {
  columns,
  cells(node: KubeObject, now: number): unknown[] {
    const status = asRecord(node.status) ?? {};
    const ready = asRecords(status.conditions).filter((c) => c.type === 'Ready').pop();
    const states: string[] = [];
    // Only the Ready condition is reported; the last one listed wins, as in the printer's map.
    if (ready) states.push(ready.status === 'True' ? 'Ready' : 'NotReady');
    if (states.length === 0) states.push('Unknown');
    if (asRecord(node.spec)?.unschedulable === true) states.push('SchedulingDisabled');
    const roles = nodeRoles(node.metadata.labels).join(',');
    const info = asRecord(status.nodeInfo) ?? {};
    const addresses = asRecords(status.addresses);
    return [
      node.metadata.name ?? '',
      states.join(','),
      roles || '<none>',
      timestampSince(node.metadata.creationTimestamp, now),
      asString(info.kubeletVersion),
      firstAddress(addresses, 'InternalIP'),
      firstAddress(addresses, 'ExternalIP'),
      asString(info.osImage) || '<unknown>',
      asString(info.kernelVersion) || '<unknown>',
      asString(info.containerRuntimeVersion) || '<unknown>',
    ];
  },
};
