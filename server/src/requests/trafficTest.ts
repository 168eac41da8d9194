// "Traffic test": N HTTP requests to a Service's ClusterIP from inside the emulated network,
// each on a new connection as separate clients would make them, counted by the pod that
// answered, as `ksl traffic` does. With sessionAffinity ClientIP they come from one source and
// stay on one pod; without endpoints they fail, and the failures are counted by reason.

import type { ClusterView } from '../cluster/clusterView';
import type { Service } from '../validation/kubeTypes';
import { statusMessage } from '../emulatorClient/kubeStatus';
import { apiCall } from './apiCall';
import { emulatorTarget } from './clusterAccess';
import { dial, httpGet } from './emulatorDial';
import { paramsObject, requiredString } from './requestParams';
import { UserError } from './userError';

const MAX_REQUESTS = 100_000;
const CONCURRENCY = 8;
const TIMEOUT_MS = 10_000;

export interface TrafficTestResult {
  service: string;
  target: string;
  total: number;
  byPod: { pod: string; ip: string; count: number }[];
  failures: { message: string; count: number }[];
}

export async function trafficTest(view: ClusterView, params: unknown): Promise<TrafficTestResult> {
  const p = paramsObject(params);
  const name = requiredString(p['name'], 'Service');
  const namespace = typeof p['namespace'] === 'string' && p['namespace'] ? p['namespace'] : 'default';
  const count = p['requests'];
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_REQUESTS) {
    throw new UserError(`requests must be a whole number from 1 to ${MAX_REQUESTS}, not ${JSON.stringify(count)}`);
  }
  const { target } = emulatorTarget(view, 'The traffic test');
  const conn = target.connection;
  const answer = await apiCall(conn, 'GET', `/api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(name)}`);
  if (answer.status !== 200) throw new UserError(statusMessage(answer.body));
  const svc = JSON.parse(answer.body) as Service;
  const ip = svc.spec?.clusterIP;
  if (!ip || ip === 'None') throw new UserError(`Service ${namespace}/${name} has no ClusterIP (it is headless or ExternalName); call its pods with "Call Service" instead`);
  const ports = svc.spec.ports ?? [];
  const wanted = p['port'];
  const port = wanted === undefined || wanted === null || wanted === '' ? ports[0] : ports.find((x) => x.port === wanted || String(x.port) === String(wanted) || x.name === wanted);
  if (!port) {
    throw new UserError(`Service ${namespace}/${name} has no port ${wanted ?? ''}; its ports are ${ports.map((x) => x.name ?? x.port).join(', ') || 'none'}`);
  }
  if ((port.protocol || 'TCP') !== 'TCP') throw new UserError(`port ${port.port} is ${port.protocol}; the traffic test sends HTTP over TCP`);

  const url = new URL(`http://${name}:${port.port}/`);
  const byPod = new Map<string, { pod: string; ip: string; count: number }>();
  const failures = new Map<string, number>();
  const fail = (why: string): void => void failures.set(why, (failures.get(why) ?? 0) + 1);
  let started = 0;
  const worker = async (): Promise<void> => {
    while (started < count) {
      started++;
      const dialed = await dial(conn, ip, port.port);
      if (!dialed.ok) {
        fail(dialed.route.message ?? dialed.route.error ?? 'the connection failed');
        continue;
      }
      try {
        await httpGet(dialed.socket, url, { 'User-Agent': 'ksl-traffic' }, TIMEOUT_MS);
      } catch (err) {
        fail(err instanceof Error ? err.message : String(err));
        continue;
      }
      const pod = dialed.route.pod?.name ?? '?';
      const tally = byPod.get(pod) ?? { pod, ip: dialed.route.podIP ?? '', count: 0 };
      tally.count++;
      byPod.set(pod, tally);
    }
  };
  // Affinity keys on the source address, and one source at a time shows it best.
  const parallel = svc.spec.sessionAffinity === 'ClientIP' ? 1 : CONCURRENCY;
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, worker));
  return {
    service: `${namespace}/${name}`,
    target: `${ip}:${port.port}`,
    total: count,
    byPod: [...byPod.values()].sort((a, b) => a.pod.localeCompare(b.pod)),
    failures: [...failures].map(([message, n]) => ({ message, count: n })),
  };
}
