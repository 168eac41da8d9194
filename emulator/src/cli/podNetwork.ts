// Acting from inside a pod: which namespace and source IP a command uses, how names resolve
// through the pod's search path (with node's resolver, as libc in a pod would ask), and how a
// TCP connection is opened inside the emulated network.

import { promises as dns } from 'node:dns';
import type { Pod } from '../api/types';
import { apiGet, apiUpgrade, type EmulatorConnection } from '../../../server/src/emulatorClient/connection';
import { dial as dialInside, type Dialed } from '../../../server/src/emulatorClient/dialClient';
import { statusMessage } from '../../../server/src/emulatorClient/kubeStatus';
import { resolveThroughSearchPath, type CandidateLookup, type Resolution } from '../../../server/src/emulatorClient/searchPath';
import { CliError } from './options';

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

/**
 * One candidate's A records from the emulator's DNS server, through c-ares. A failure is named
 * by c-ares' code (ENOTFOUND, ENODATA, EREFUSED), which `ksl curl -v` prints; a server that does
 * not answer at all ends the resolution.
 */
function aresLookup(conn: EmulatorConnection): (name: string) => Promise<CandidateLookup> {
  const resolver = new dns.Resolver({ timeout: 2000, tries: 2 });
  resolver.setServers([`${conn.dns.host}:${conn.dns.port}`]);
  return async (name) => {
    try {
      const addresses = await resolver.resolve4(name);
      return addresses.length ? { address: addresses[0]! } : { failure: '' };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? '';
      if (code === 'ECONNREFUSED' || code === 'ETIMEOUT') {
        throw new CliError(`the emulator's DNS server at ${conn.dns.host}:${conn.dns.port} does not answer (${code}); is ksl serve still running?`);
      }
      return { failure: code };
    }
  };
}

/** Resolves a host name to an IPv4 address through the pod's search path, with a real resolver. */
export function resolveFromPod(conn: EmulatorConnection, host: string, namespace: string): Promise<Resolution> {
  return resolveThroughSearchPath(host, {
    namespace,
    domain: conn.clusterDomain,
    lookup: aresLookup(conn),
    firstFailure: 'ENOTFOUND',
    // A failure without a code says nothing new; the last code stands.
    keepFailure: (reported, next) => next || reported,
  });
}

/** Opens a TCP connection to ip:port from inside the emulated network, from `sourceIP` when given. */
export function dial(conn: EmulatorConnection, ip: string, port: number, sourceIP?: string): Promise<Dialed> {
  return dialInside((path, protocol) => apiUpgrade(conn, path, protocol), ip, port, sourceIP);
}
