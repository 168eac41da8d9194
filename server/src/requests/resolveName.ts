// "Resolve name" (DNS lookup from a pod): the name goes through the search path of a pod in
// the given namespace, as `ksl dig +search` sends it, and the first candidate that has
// records answers. An IPv4 address asked for PTR is looked up by its reverse name. Emulator
// only: a real cluster's DNS server is not reachable from the host.

import type { RecordType } from 'dns-packet';
import type { ClusterView } from '../cluster/clusterView';
import { emulatorTarget } from './clusterAccess';
import { queryDns, reverseName, searchCandidates } from './emulatorDns';
import { paramsObject, requiredString } from './requestParams';
import { UserError } from './userError';

const TYPES: readonly string[] = ['A', 'AAAA', 'SRV', 'PTR', 'CNAME', 'TXT'];

export interface ResolveNameResult {
  query: string;
  rcode: string;
  answers: string[];
  tried: string[];
}

export async function resolveName(view: ClusterView, params: unknown): Promise<ResolveNameResult> {
  const p = paramsObject(params);
  const name = requiredString(p['name'], 'name to look up').trim();
  const namespace = typeof p['namespace'] === 'string' && p['namespace'] ? p['namespace'] : 'default';
  const type = p['type'] === undefined ? 'A' : p['type'];
  if (typeof type !== 'string' || !TYPES.includes(type)) throw new UserError(`the record type must be one of ${TYPES.join(', ')}, not ${JSON.stringify(type)}`);
  const emulator = emulatorTarget(view, 'DNS lookups');
  const reverse = type === 'PTR' ? reverseName(name) : undefined;
  const candidates = reverse ? [reverse] : searchCandidates(name, namespace, emulator.clusterDomain);
  const tried: string[] = [];
  let rcode = 'NXDOMAIN';
  for (const candidate of candidates) {
    tried.push(candidate);
    const answer = await queryDns(emulator.dns, candidate, type as RecordType);
    if (answer.rcode === 'NOERROR' && answer.records.length > 0) return { query: candidate, rcode: answer.rcode, answers: answer.records, tried };
    // The name as given, outside the cluster domain, is refused unless forwarding is on; the
    // NXDOMAIN from the cluster's own search domains says more.
    if (!(answer.rcode === 'REFUSED' && rcode === 'NXDOMAIN')) rcode = answer.rcode;
  }
  return { query: tried[tried.length - 1] ?? name, rcode, answers: [], tried };
}
