// Acting from inside a pod: which namespace and source IP a command uses, how names resolve
// through the pod's search path (as kubelet writes resolv.conf for dnsPolicy ClusterFirst),
// and how a TCP connection is opened inside the emulated network.

import { promises as dns } from 'node:dns';
import { isIP, type Socket } from 'node:net';
import type { Pod } from '../api/types';
import { DIAL_PATH, DIAL_UPGRADE, ROUTE_HEADER, type RouteSummary } from '../apiserver/kslExtensions';
import { apiGet, apiUpgrade, statusMessage, type EmulatorConnection } from './emulatorConnection';
import { CliError } from './options';

export const CLUSTER_DOMAIN = 'cluster.local';
export const NDOTS = 5;

export interface PodContext {
  namespace: string;
  /** The pod the command acts from, when `--from` names one. */
  pod?: Pod;
  /** The source IP of connections; undefined lets the emulator choose its default. */
  sourceIP?: string;
}

export async function podContext(conn: EmulatorConnection, namespace: string, from: string | undefined): Promise<PodContext> {
  if (!from) return { namespace };
  const name = from.replace(/^pods?\//, '');
  const res = await apiGet(conn, `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}`);
  if (res.status !== 200) throw new CliError(`--from ${from}: ${statusMessage(res.body)}`);
  const pod = JSON.parse(res.body) as Pod;
  const ip = pod.status?.podIP;
  if (!ip) throw new CliError(`--from ${from}: pod ${namespace}/${name} has no IP yet (it is ${pod.status?.phase ?? 'Pending'}); wait for it to run`);
  return { namespace, pod, sourceIP: ip };
}

/** The search list of a pod in `namespace`. */
export function searchDomains(namespace: string, domain = CLUSTER_DOMAIN): string[] {
  return [`${namespace}.svc.${domain}`, `svc.${domain}`, domain];
}

/**
 * The names a resolver tries for `name`, in order, as glibc and musl do with `ndots`: a name
 * with a trailing dot is tried alone; a name with at least ndots dots is tried as given first;
 * any other name is tried with each search domain first and as given last.
 */
export function searchCandidates(name: string, namespace: string, ndots = NDOTS, domain = CLUSTER_DOMAIN): string[] {
  if (name.endsWith('.')) return [name.slice(0, -1)];
  const withSearch = searchDomains(namespace, domain).map((d) => `${name}.${d}`);
  const dots = name.split('.').length - 1;
  return dots >= ndots ? [name, ...withSearch] : [...withSearch, name];
}

export function resolverFor(conn: EmulatorConnection): dns.Resolver {
  const r = new dns.Resolver({ timeout: 2000, tries: 2 });
  r.setServers([`${conn.dns.host}:${conn.dns.port}`]);
  return r;
}

export type Resolution = { ok: true; name: string; address: string; tried: string[] } | { ok: false; tried: string[]; code: string };

/** Resolves a host name to an IPv4 address through the pod's search path, with a real resolver. */
export async function resolveFromPod(conn: EmulatorConnection, host: string, namespace: string): Promise<Resolution> {
  if (isIP(host)) return { ok: true, name: host, address: host, tried: [] };
  const resolver = resolverFor(conn);
  const tried: string[] = [];
  let code = 'ENOTFOUND';
  for (const candidate of searchCandidates(host, namespace, NDOTS, conn.clusterDomain)) {
    tried.push(candidate);
    try {
      const addresses = await resolver.resolve4(candidate);
      if (addresses.length) return { ok: true, name: candidate, address: addresses[0], tried };
    } catch (err) {
      code = (err as NodeJS.ErrnoException).code ?? code;
      if (code === 'ECONNREFUSED' || code === 'ETIMEOUT') {
        throw new CliError(`the emulator's DNS server at ${conn.dns.host}:${conn.dns.port} does not answer (${code}); is ksl serve still running?`);
      }
    }
  }
  return { ok: false, tried, code };
}

export type Dialed = { ok: true; socket: Socket; route: RouteSummary } | { ok: false; route: RouteSummary };

function decodeRoute(header: string | string[] | undefined): RouteSummary | undefined {
  if (typeof header !== 'string') return undefined;
  try {
    return JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as RouteSummary;
  } catch {
    return undefined;
  }
}

/** Opens a TCP connection to ip:port from inside the emulated network. */
export async function dial(conn: EmulatorConnection, ip: string, port: number, sourceIP?: string): Promise<Dialed> {
  const q = new URLSearchParams({ ip, port: String(port) });
  if (sourceIP) q.set('source', sourceIP);
  const res = await apiUpgrade(conn, `${DIAL_PATH}?${q}`, DIAL_UPGRADE);
  const route = decodeRoute(res.headers[ROUTE_HEADER]);
  if (res.upgraded) {
    if (!route) throw new CliError('the emulator opened the connection but did not say how it was routed');
    return { ok: true, socket: res.socket, route };
  }
  if (res.status === 502 && route) return { ok: false, route };
  throw new CliError(`the emulator could not open a connection to ${ip}:${port}: ${statusMessage(res.body)}`);
}
