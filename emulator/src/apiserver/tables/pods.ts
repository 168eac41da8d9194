// `kubectl get pods`: printPod. The STATUS cell is the subtle one: the pod phase, replaced by
// the pod's reason, then by the state of the init containers (`Init:1/2`, `Init:CrashLoopBackOff`)
// or, once initialised, of the containers (`ContainerCreating`, `Completed`, `ExitCode:1`), and
// finally by `Terminating` while a deletion is pending.

import type { KubeObject } from '../../api/types';
import { ageColumn, column, nameColumn } from './commonColumns';
import { humanDuration, parseTimestamp, timestampSince } from './humanDuration';
import type { ResourcePrinter, TableRowCondition } from './tableTypes';
import { asBoolean, asNumber, asRecord, asRecords, asString } from './unknownFields';

const columns = [
  nameColumn,
  column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
  column('Status', 'string', 'The aggregate status of the containers in this pod.'),
  column(
    'Restarts',
    'string',
    'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
  ),
  ageColumn,
  column('IP', 'string', 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', 1),
  column(
    'Node',
    'string',
    'NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName. Once this field is set, the kubelet for this node becomes responsible for the lifecycle of this pod. This field should not be used to express a desire for the pod to be scheduled on a specific node. https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename',
    1,
  ),
  column(
    'Nominated Node',
    'string',
    'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.',
    1,
  ),
  column(
    'Readiness Gates',
    'string',
    'If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to "True" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates',
    1,
  ),
];

/** What the printer reads from one container status. */
interface ContainerStatusView {
  name: string;
  ready: boolean;
  restartCount: number;
  started: boolean;
  running: boolean;
  waiting?: { reason: string };
  terminated?: { reason: string; exitCode: number; signal: number };
  /** lastState.terminated.finishedAt in ms; undefined when absent (Go's zero time). */
  lastFinishedAt?: number;
}

function readContainerStatus(r: Record<string, unknown>): ContainerStatusView {
  const state = asRecord(r.state);
  const waiting = asRecord(state?.waiting);
  const terminated = asRecord(state?.terminated);
  const lastTerminated = asRecord(asRecord(r.lastState)?.terminated);
  return {
    name: asString(r.name),
    ready: asBoolean(r.ready),
    restartCount: asNumber(r.restartCount),
    started: asBoolean(r.started),
    running: asRecord(state?.running) !== undefined,
    waiting: waiting ? { reason: asString(waiting.reason) } : undefined,
    terminated: terminated
      ? { reason: asString(terminated.reason), exitCode: asNumber(terminated.exitCode), signal: asNumber(terminated.signal) }
      : undefined,
    lastFinishedAt: lastTerminated ? parseTimestamp(asString(lastTerminated.finishedAt)) : undefined,
  };
}

/** metav1.Time.Before with Go's zero time as the earliest instant. */
function later(current: number | undefined, candidate: number | undefined): number | undefined {
  if (candidate === undefined) return current;
  return current === undefined || current < candidate ? candidate : current;
}

function conditionTrue(conditions: Record<string, unknown>[], type: string): boolean {
  return conditions.some((c) => c.type === type && c.status === 'True');
}

/** isPodInitializedConditionTrue: the first Initialized condition decides. */
function initializedConditionTrue(conditions: Record<string, unknown>[]): boolean {
  const c = conditions.find((x) => x.type === 'Initialized');
  return c !== undefined && c.status === 'True';
}

export interface PodSummary {
  ready: string;
  status: string;
  restarts: string;
}

/** The READY, STATUS and RESTARTS cells of a pod at `now`. */
export function summarizePod(pod: KubeObject, now: number): PodSummary {
  const spec = asRecord(pod.spec) ?? {};
  const status = asRecord(pod.status) ?? {};
  const conditions = asRecords(status.conditions);
  const initContainers = asRecords(spec.initContainers);
  const restartableInit = new Set<string>();
  for (const c of initContainers) if (c.restartPolicy === 'Always') restartableInit.add(asString(c.name));

  let restarts = 0;
  let restartableInitRestarts = 0;
  let totalContainers = asRecords(spec.containers).length;
  let readyContainers = 0;
  let lastRestart: number | undefined;
  let lastRestartableInitRestart: number | undefined;

  const phase = asString(status.phase);
  let reason = asString(status.reason) || phase;
  for (const c of conditions) {
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }

  // Sidecars (restartable init containers) count as containers of the pod.
  for (const c of initContainers) if (c.restartPolicy === 'Always') totalContainers++;

  let initializing = false;
  const initStatuses = asRecords(status.initContainerStatuses).map(readContainerStatus);
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i];
    const restartable = restartableInit.has(cs.name);
    restarts += cs.restartCount;
    lastRestart = later(lastRestart, cs.lastFinishedAt);
    if (restartable) {
      restartableInitRestarts += cs.restartCount;
      lastRestartableInitRestart = later(lastRestartableInitRestart, cs.lastFinishedAt);
    }
    if (cs.terminated && cs.terminated.exitCode === 0) continue;
    if (restartable && cs.started) {
      if (cs.ready) readyContainers++;
      continue;
    }
    if (cs.terminated) {
      if (cs.terminated.reason === '') {
        reason = cs.terminated.signal !== 0 ? `Init:Signal:${cs.terminated.signal}` : `Init:ExitCode:${cs.terminated.exitCode}`;
      } else {
        reason = 'Init:' + cs.terminated.reason;
      }
    } else if (cs.waiting && cs.waiting.reason !== '' && cs.waiting.reason !== 'PodInitializing') {
      reason = 'Init:' + cs.waiting.reason;
    } else {
      reason = `Init:${i}/${initContainers.length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || initializedConditionTrue(conditions)) {
    restarts = restartableInitRestarts;
    lastRestart = lastRestartableInitRestart;
    let hasRunning = false;
    const statuses = asRecords(status.containerStatuses).map(readContainerStatus);
    // Walking backwards lets the first container's state have the last word.
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i];
      restarts += cs.restartCount;
      lastRestart = later(lastRestart, cs.lastFinishedAt);
      if (cs.waiting && cs.waiting.reason !== '') {
        reason = cs.waiting.reason;
      } else if (cs.terminated && cs.terminated.reason !== '') {
        reason = cs.terminated.reason;
      } else if (cs.terminated) {
        reason = cs.terminated.signal !== 0 ? `Signal:${cs.terminated.signal}` : `ExitCode:${cs.terminated.exitCode}`;
      } else if (cs.ready && cs.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    // A pod whose first container completed while another still runs is not "Completed".
    if (reason === 'Completed' && hasRunning) reason = conditionTrue(conditions, 'Ready') ? 'Running' : 'NotReady';
  }

  const deleting = Boolean(pod.metadata.deletionTimestamp);
  if (deleting && asString(status.reason) === 'NodeLost') reason = 'Unknown';
  else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  let restartsCell = String(restarts);
  if (restarts !== 0 && lastRestart !== undefined) restartsCell = `${restarts} (${humanDuration(now - lastRestart)} ago)`;

  return { ready: `${readyContainers}/${totalContainers}`, status: reason, restarts: restartsCell };
}

function readinessGates(spec: Record<string, unknown>, conditions: Record<string, unknown>[]): string {
  const gates = asRecords(spec.readinessGates);
  if (gates.length === 0) return '<none>';
  let trueConditions = 0;
  for (const gate of gates) {
    const c = conditions.find((x) => x.type === gate.conditionType);
    if (c && c.status === 'True') trueConditions++;
  }
  return `${trueConditions}/${gates.length}`;
}

export const podPrinter: ResourcePrinter = {
  columns,
  cells(pod: KubeObject, now: number): unknown[] {
    const spec = asRecord(pod.spec) ?? {};
    const status = asRecord(pod.status) ?? {};
    const summary = summarizePod(pod, now);
    // The v1 to internal conversion fills podIPs from podIP when only the latter is set.
    const podIP = asString(asRecords(status.podIPs)[0]?.ip) || asString(status.podIP);
    return [
      pod.metadata.name ?? '',
      summary.ready,
      summary.status,
      summary.restarts,
      timestampSince(pod.metadata.creationTimestamp, now),
      podIP || '<none>',
      asString(spec.nodeName) || '<none>',
      asString(status.nominatedNodeName) || '<none>',
      readinessGates(spec, asRecords(status.conditions)),
    ];
  },
  conditions(pod: KubeObject): TableRowCondition[] | undefined {
    const phase = asString(asRecord(pod.status)?.phase);
    if (phase === 'Succeeded') {
      return [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
    }
    if (phase === 'Failed') return [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];
    return undefined;
  },
};
