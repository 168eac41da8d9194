// `kubectl get replicasets`: printReplicaSet.

import type { KubeObject, ReplicaSet } from '../../api/types';
import { formatLabelSelector } from '../../api/selectors';
import { ageColumn, column, containersColumn, imagesColumn, layoutContainerCells, nameColumn } from './commonColumns';
import { timestampSince } from './humanDuration';
import type { ResourcePrinter } from './tableTypes';

const columns = [
  nameColumn,
  column(
    'Desired',
    'integer',
    'Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller',
  ),
  column(
    'Current',
    'integer',
    'Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller',
  ),
  column('Ready', 'integer', 'readyReplicas is the number of pods targeted by this ReplicaSet with a Ready Condition.'),
  ageColumn,
  containersColumn,
  imagesColumn,
  column(
    'Selector',
    'string',
    'Selector is a label query over pods that should match the replica count. If the selector is empty, it is defaulted to the labels present on the pod template. Label keys and values that must match in order to be controlled by this replica set. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors',
    1,
  ),
];

export const replicaSetPrinter: ResourcePrinter = {
  columns,
  cells(obj: KubeObject, now: number): unknown[] {
    const rs = obj as ReplicaSet;
    const [names, images] = layoutContainerCells(rs.spec?.template?.spec?.containers);
    return [
      rs.metadata.name ?? '',
      // spec.replicas is always set once defaulting has run; 1 is its default.
      rs.spec?.replicas ?? 1,
      rs.status?.replicas ?? 0,
      rs.status?.readyReplicas ?? 0,
      timestampSince(rs.metadata.creationTimestamp, now),
      names,
      images,
      formatLabelSelector(rs.spec?.selector),
    ];
  },
};
