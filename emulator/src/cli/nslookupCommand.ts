// `ksl nslookup NAME`: what busybox's nslookup prints in a pod. The name goes through the
// pod's search path (ndots 5), A and AAAA are asked, and the first name that exists answers.

import { parseArgs } from 'node:util';
import { isIP } from 'node:net';
import { loadConnection } from '../../../server/src/emulatorClient/connection';
import { fqdn, recordData } from '../../../server/src/emulatorClient/recordText';
import { reverseName } from '../../../server/src/emulatorClient/reverseName';
import { searchCandidates } from '../../../server/src/emulatorClient/searchPath';
import { DIG_REVERSE, digExchange } from './dnsQuery';
import { CliError, defaultStateDir, UsageError } from './options';

export const NSLOOKUP_USAGE = `Usage: ksl nslookup [-n NS] NAME|ADDRESS

Looks a name up at the emulator's cluster DNS server the way nslookup in a pod does: short
names go through the pod's search path (<ns>.svc.cluster.local svc.cluster.local cluster.local).

  -n, --namespace NS     the pod's namespace (default: default)
      --state-dir DIR    the emulator's state dir (default: $KSL_STATE_DIR or ~/.kube-service-lab/state)
`;

export async function nslookupCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { namespace: { type: 'string', short: 'n' }, 'state-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
  if (values.help) {
    process.stdout.write(NSLOOKUP_USAGE);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`nslookup needs one NAME\n\n${NSLOOKUP_USAGE}`);
  const target = positionals[0];
  const conn = loadConnection(values['state-dir'] ?? defaultStateDir());
  const out: string[] = [`Server:\t\t${conn.dns.host}`, `Address:\t${conn.dns.host}:${conn.dns.port}`, ''];

  if (isIP(target)) {
    const rev = reverseName(target, DIG_REVERSE)!;
    const { response } = await digExchange(conn.dns, rev, 'PTR');
    const ptrs = (response.answers ?? []).filter((a) => a.type === 'PTR');
    if (!ptrs.length) {
      process.stdout.write(out.join('\n') + '\n');
      throw new CliError(`** server can't find ${rev}: ${response.rcode ?? 'NXDOMAIN'}`, 1);
    }
    for (const p of ptrs) out.push(`${rev}\tname = ${fqdn(recordData(p)).replace(/\.$/, '')}`);
    process.stdout.write(out.join('\n') + '\n\n');
    return 0;
  }

  let lastCode = 'NXDOMAIN';
  for (const candidate of searchCandidates(target, values.namespace ?? 'default', conn.clusterDomain)) {
    const a = await digExchange(conn.dns, candidate, 'A');
    const code = a.response.rcode ?? 'NOERROR';
    if (code !== 'NOERROR') {
      // The name as given is outside the cluster domain and refused unless forwarding is on;
      // an NXDOMAIN from the cluster's own search domains says more.
      if (!(code === 'REFUSED' && lastCode === 'NXDOMAIN')) lastCode = code;
      continue;
    }
    const aaaa = await digExchange(conn.dns, candidate, 'AAAA');
    const answers = [...(a.response.answers ?? []), ...(aaaa.response.answers ?? [])];
    const addresses = answers.filter((r) => r.type === 'A' || r.type === 'AAAA');
    if (!addresses.length) {
      lastCode = 'NODATA';
      continue;
    }
    for (const c of answers.filter((r) => r.type === 'CNAME')) out.push(`${candidate}\tcanonical name = ${recordData(c).replace(/\.$/, '')}`);
    for (const r of addresses) out.push(`Name:\t${r.name.replace(/\.$/, '')}`, `Address: ${recordData(r)}`);
    process.stdout.write(out.join('\n') + '\n\n');
    return 0;
  }
  process.stdout.write(out.join('\n') + '\n');
  throw new CliError(`** server can't find ${target}: ${lastCode === 'NODATA' ? 'No answer' : lastCode}`, 1);
}
