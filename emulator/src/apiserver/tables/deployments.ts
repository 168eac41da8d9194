// `kubectl get deployments`: printDeployment.

import type { Deployment, KubeObject } from '../../api/types';
import { labelSelectorString } from '../../api/selectors';
import { ageColumn, column, containersColumn, imagesColumn, layoutContainerCells, nameColumn } from './commonColumns';
import { timestampSince } from './humanDuration';
import type { ResourcePrinter } from './tableTypes';

const columns = [
  nameColumn,
  column('Ready', 'string', 'Number of the pod with ready state'),
  column('Up-to-date', 'string', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
  column('Available', 'string', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
  ageColumn,
  containersColumn,
  imagesColumn,
  column(
    'Selector',
    'string',
    'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.',
    1,
  ),
];

/** The deployment printer shows the selector as LabelSelectorAsSelector prints it, `<invalid>` on error. */
function selectorCell(d: Deployment): string {
  try {
    return labelSelectorString(d.spec.selector);
  } catch {
    return '<invalid>';
  }
}

export const deploymentPrinter: ResourcePrinter = {
  columns,
  cells(obj: KubeObject, now: number): unknown[] {
    const d = obj as Deployment;
    // spec.replicas is always set once defaulting has run; 1 is its default.
    const desired = d.spec?.replicas ?? 1;
    const status = d.status ?? {};
    const [names, images] = layoutContainerCells(d.spec?.template?.spec?.containers);
    return [
      d.metadata.name ?? '',
      `${status.readyReplicas ?? 0}/${desired}`,
      status.updatedReplicas ?? 0,
      status.availableReplicas ?? 0,
      timestampSince(d.metadata.creationTimestamp, now),
      names,
      images,
      selectorCell(d),
    ];
  },
};
