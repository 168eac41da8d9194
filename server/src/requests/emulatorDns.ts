// DNS as a pod in the emulator sees it, for the editor's requests: one query to the emulator's
// cluster DNS server as a stub resolver asks it (2 s per try, 2 tries over UDP, then TCP, and
// no failure before every way has been tried), and a host name resolved through a pod's
// search path. The wire work and the search path are shared with `ksl` (../emulatorClient).

import type { RecordType, StringAnswer } from 'dns-packet';
import { DnsExchangeError, exchange, type DnsServerAddress, type ExchangePolicy } from '../emulatorClient/dnsExchange';
import { recordLine } from '../emulatorClient/recordText';
import { reverseName as reverseNameBy } from '../emulatorClient/reverseName';
import { resolveThroughSearchPath, type Resolution } from '../emulatorClient/searchPath';
import { UserError } from './userError';

// resolveName walks the same search path for other record types.
export { searchCandidates } from '../emulatorClient/searchPath';

const RESOLVER_POLICY: ExchangePolicy = { timeoutMs: 2000, udpTries: 2, tcpTimeoutMs: 4000, persist: true };

export interface DnsAnswer {
  rcode: string;
  /** The answer records as zone-file lines: `web.default.svc.cluster.local. 30 IN A 10.96.12.4`. */
  records: string[];
  /** The A records' addresses, in order. */
  addresses: string[];
}

/** The reverse-lookup name of an IPv4 address, or undefined for anything else. */
export function reverseName(ip: string): string | undefined {
  return reverseNameBy(ip, { ipv6: false, strictIPv4: true });
}

function dnsFailure(err: DnsExchangeError): UserError {
  if (err.failure === 'malformed') return new UserError(`the emulator's DNS server sent an answer that is not a DNS message (${err.size} bytes)`);
  return new UserError(`the emulator's DNS server at ${err.server.host}:${err.server.port} does not answer; is the emulator still running?`);
}

/** One question to the DNS server; `id` makes each query's answer recognisable. */
export async function queryDns(server: DnsServerAddress, name: string, type: RecordType, id?: number): Promise<DnsAnswer> {
  const { response } = await exchange(server, name, type, RESOLVER_POLICY, { id }).catch((err: unknown) => {
    throw err instanceof DnsExchangeError ? dnsFailure(err) : err;
  });
  const records = response.answers ?? [];
  return {
    rcode: response.rcode ?? 'NOERROR',
    records: records.filter((r) => r.type !== 'OPT').map((r) => recordLine(r, ' ')),
    addresses: records.filter((r): r is StringAnswer => r.type === 'A').map((r) => r.data),
  };
}

/** A host name to an IPv4 address through a pod's search path; an IP address stands for itself. */
export function resolveFromPod(server: DnsServerAddress, host: string, namespace: string, domain: string): Promise<Resolution> {
  return resolveThroughSearchPath(host, {
    namespace,
    domain,
    lookup: async (name) => {
      const answer = await queryDns(server, name, 'A');
      if (answer.rcode === 'NOERROR' && answer.addresses.length > 0) return { address: answer.addresses[0]! };
      return { failure: answer.rcode === 'NOERROR' ? 'NODATA' : answer.rcode };
    },
    firstFailure: 'NXDOMAIN',
    // A name outside the cluster domain is refused unless forwarding is on; the NXDOMAIN from
    // the cluster's own search domains says more.
    keepFailure: (reported, next) => (next === 'REFUSED' && reported === 'NXDOMAIN' ? reported : next),
  });
}
