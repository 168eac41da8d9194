// "Call Service": an HTTP GET made from a pod in the given namespace, as `ksl curl` makes it.
// The host resolves through the pod's search path at the emulator's DNS server, the
// connection passes kube-proxy's rules, and the simulated pod answers. What happens on the
// way (no such name, no endpoint, a refused connection) is the answer's `error`, with the
// route so far; only a request that cannot be made at all is a request error.

import type { ClusterView } from '../cluster/clusterView';
import { emulatorTarget } from './clusterAccess';
import { routeLines } from '../emulatorClient/routeText';
import { dial, httpGet } from './emulatorDial';
import { resolveFromPod } from './emulatorDns';
import { paramsObject, requiredString } from './requestParams';
import { UserError } from './userError';

const TIMEOUT_MS = 10_000;

export interface CallServiceResult {
  status: number;
  headers: Record<string, string>;
  body: string;
  pod?: string;
  podIP?: string;
  route: string[];
  error?: string;
}

function parseUrl(text: string): URL {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new UserError(`${JSON.stringify(text)} is not a URL`);
  }
  if (url.protocol !== 'http:') throw new UserError(`only http:// URLs can be called (the simulated pods speak plain HTTP), not ${url.protocol}//`);
  return url;
}

export async function callService(view: ClusterView, params: unknown): Promise<CallServiceResult> {
  const p = paramsObject(params);
  const url = parseUrl(requiredString(p['url'], 'URL').trim());
  const namespace = typeof p['namespace'] === 'string' && p['namespace'] ? p['namespace'] : 'default';
  const emulator = emulatorTarget(view, 'Calling a Service');
  const host = url.hostname;
  const port = Number(url.port || 80);
  const failed = (route: string[], error: string): CallServiceResult => ({ status: 0, headers: {}, body: '', route, error });

  const resolved = await resolveFromPod(emulator.dns, host, namespace, emulator.clusterDomain);
  if (!resolved.ok) return failed([`Tried ${resolved.tried.join(', ')}: ${resolved.failure}`], `Could not resolve host: ${host}`);
  const route = resolved.tried.length > 0 ? [`Resolved ${host} as ${resolved.name} (${resolved.address})`] : [];
  const dialed = await dial(emulator.target.connection, resolved.address, port);
  route.push(...routeLines(dialed.route));
  if (!dialed.ok) {
    const why = dialed.route.error === 'timeout' ? 'Timeout was reached' : "Couldn't connect to server";
    return failed(route, `Failed to connect to ${host} port ${port}: ${why}`);
  }
  let reply;
  try {
    reply = await httpGet(dialed.socket, url, { 'User-Agent': 'curl/8.5.0', Accept: '*/*' }, TIMEOUT_MS);
  } catch (err) {
    return failed(route, `The request to ${host} port ${port} failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  const result: CallServiceResult = { ...reply, route };
  if (dialed.route.pod) result.pod = dialed.route.pod.name;
  if (dialed.route.podIP) result.podIP = dialed.route.podIP;
  return result;
}
