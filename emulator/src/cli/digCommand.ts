// `ksl dig NAME [TYPE]`: a DNS query to the emulator's cluster DNS server, printed as dig
// prints it. Like dig, it does not apply the search path unless asked with +search.

import type { RecordType } from 'dns-packet';
import { parseArgs } from 'node:util';
import { loadConnection } from '../../../server/src/emulatorClient/connection';
import { reverseName } from '../../../server/src/emulatorClient/reverseName';
import { searchCandidates } from '../../../server/src/emulatorClient/searchPath';
import { DIG_REVERSE, digExchange } from './dnsQuery';
import { digShortText, digText } from './dnsText';
import { CliError, defaultStateDir, UsageError } from './options';

export const DIG_USAGE = `Usage: ksl dig [options] NAME [TYPE] [+short] [+tcp] [+search]
       ksl dig -x ADDRESS

Queries the emulator's cluster DNS server (what a pod's resolver asks), printed like dig.

  TYPE                   A (default), AAAA, SRV, PTR, CNAME, TXT, SOA, NS, ANY
  -x ADDRESS             reverse lookup (PTR)
  -n, --namespace NS     the namespace whose search path +search uses (default: default)
  +short                 print only the answers' data
  +tcp                   query over TCP instead of UDP
  +search                try the pod's search domains, as its resolver would
      --state-dir DIR    the emulator's state dir (default: $KSL_STATE_DIR or ~/.kube-service-lab/state)
`;

const TYPES = new Set(['A', 'AAAA', 'SRV', 'PTR', 'CNAME', 'TXT', 'SOA', 'NS', 'ANY', 'MX', 'CAA']);

export async function digCommand(args: string[]): Promise<number> {
  const plus = new Set(args.filter((a) => a.startsWith('+')).map((a) => a.slice(1).toLowerCase()));
  const { values, positionals } = parseArgs({
    args: args.filter((a) => !a.startsWith('+')),
    options: {
      x: { type: 'string', short: 'x' },
      namespace: { type: 'string', short: 'n' },
      'state-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
  });
  if (values.help) {
    process.stdout.write(DIG_USAGE);
    return 0;
  }
  for (const p of plus) {
    if (!['short', 'tcp', 'vc', 'search', 'nosearch', 'notcp'].includes(p)) throw new UsageError(`unknown dig option +${p}`);
  }
  const words = positionals.filter((p) => !p.startsWith('@'));
  let name: string;
  let type: RecordType = 'A';
  if (values.x) {
    const rev = reverseName(values.x, DIG_REVERSE);
    if (!rev) throw new UsageError(`-x needs an IP address, not "${values.x}"`);
    name = rev;
    type = 'PTR';
  } else {
    if (words.length === 0 || words.length > 2) throw new UsageError(`dig needs a NAME and at most one TYPE\n\n${DIG_USAGE}`);
    name = words[0];
    if (words[1]) {
      const t = words[1].toUpperCase();
      if (!TYPES.has(t)) throw new UsageError(`unknown record type "${words[1]}"; use one of ${[...TYPES].join(', ')}`);
      type = t as RecordType;
    }
  }
  const conn = loadConnection(values['state-dir'] ?? defaultStateDir());
  const tcp = plus.has('tcp') || plus.has('vc');
  const candidates = plus.has('search') && !values.x ? searchCandidates(name, values.namespace ?? 'default', conn.clusterDomain) : [name.replace(/\.$/, '')];
  let last;
  for (const candidate of candidates) {
    last = await digExchange(conn.dns, candidate, type, tcp);
    const rcode = last.response.rcode;
    if (rcode === 'NOERROR' && (last.response.answers ?? []).length > 0) break;
  }
  if (!last) throw new CliError('no query was sent');
  const server = `${conn.dns.host}#${conn.dns.port}(${conn.dns.host})`;
  if (plus.has('short')) process.stdout.write(digShortText(last.response));
  else {
    const query = [...positionals, ...(values.x ? ['-x', values.x] : []), ...[...plus].map((p) => `+${p}`)].join(' ');
    process.stdout.write(digText(last.response, { query, server, transport: tcp ? 'TCP' : 'UDP', queryTimeMs: last.ms, when: new Date(), size: last.size }));
  }
  return 0;
}
