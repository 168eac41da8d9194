// `ksl rules [svc/NAME]`: the iptables-save text kube-proxy (iptables mode) would write on the
// emulator's node for the current Services and endpoints; the data plane obeys these rules.

import { parseArgs } from 'node:util';
import { apiGet, loadConnection } from '../../../server/src/emulatorClient/connection';
import { RULES_PATH } from '../../../server/src/emulatorClient/kslPaths';
import { statusMessage } from '../../../server/src/emulatorClient/kubeStatus';
import { CliError, defaultStateDir, UsageError } from './options';

export const RULES_USAGE = `Usage: ksl rules [-n NS] [svc/NAME]

Prints kube-proxy's rules in iptables-save format: all of them, or one Service's chains.

  -n, --namespace NS     the Service's namespace (default: default)
      --state-dir DIR    the emulator's state dir (default: $KSL_STATE_DIR or ~/.kube-service-lab/state)
`;

export function serviceArg(arg: string): string {
  const m = /^(?:svc|service|services)\/([a-z0-9.-]+)$/.exec(arg);
  if (!m) throw new UsageError(`expected svc/NAME, not "${arg}"`);
  return m[1];
}

export async function rulesCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { namespace: { type: 'string', short: 'n' }, 'state-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
  if (values.help) {
    process.stdout.write(RULES_USAGE);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError(`rules takes at most one svc/NAME\n\n${RULES_USAGE}`);
  const conn = loadConnection(values['state-dir'] ?? defaultStateDir());
  const namespace = values.namespace ?? 'default';
  let path = RULES_PATH;
  if (positionals[0]) {
    const name = serviceArg(positionals[0]);
    const svc = await apiGet(conn, `/api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(name)}`);
    if (svc.status !== 200) throw new CliError(statusMessage(svc.body));
    path += `?${new URLSearchParams({ namespace, name })}`;
  }
  const res = await apiGet(conn, path);
  if (res.status !== 200) throw new CliError(statusMessage(res.body));
  process.stdout.write(res.body);
  return 0;
}
