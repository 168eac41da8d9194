// `ksl traffic svc/NAME -n N`: N HTTP requests to a Service's ClusterIP from one pod, each on a
// new connection as separate client calls would be, and how kube-proxy spread them over the
// pods. With sessionAffinity ClientIP they all land on one pod; without endpoints they fail.

import { parseArgs } from 'node:util';
import type { Service } from '../api/types';
import { apiGet, loadConnection } from '../../../server/src/emulatorClient/connection';
import { statusMessage } from '../../../server/src/emulatorClient/kubeStatus';
import { httpOverSocket } from './curlCommand';
import { CliError, defaultStateDir, intOption, UsageError } from './options';
import { dial, podContext } from './podNetwork';
import { serviceArg } from './rulesCommand';

export const TRAFFIC_USAGE = `Usage: ksl traffic svc/NAME [-n N] [--port PORT] [--path PATH] [--namespace NS] [--from POD]

Sends N requests (default 300) to the Service's ClusterIP from inside the cluster and prints
how they spread over the pods.

  -n, --requests N       how many requests (default 300, at most 100000)
      --port PORT        the Service port, by number or name (default: its first port)
      --path PATH        the request path (default /)
      --namespace NS     the Service's namespace (default: default)
      --from POD         send from this pod (its IP is the source, which affinity keys on)
      --state-dir DIR    the emulator's state dir (default: $KSL_STATE_DIR or ~/.kube-service-lab/state)
`;

interface Tally {
  pod: string;
  ip: string;
  count: number;
}

export async function trafficCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      requests: { type: 'string', short: 'n' },
      port: { type: 'string' },
      path: { type: 'string' },
      namespace: { type: 'string' },
      from: { type: 'string' },
      'state-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
  });
  if (values.help) {
    process.stdout.write(TRAFFIC_USAGE);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`traffic needs one svc/NAME\n\n${TRAFFIC_USAGE}`);
  const name = serviceArg(positionals[0]);
  const count = intOption(values.requests, 'requests', 1, 100_000) ?? 300;
  const namespace = values.namespace ?? 'default';
  const conn = loadConnection(values['state-dir'] ?? defaultStateDir());
  const res = await apiGet(conn, `/api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(name)}`);
  if (res.status !== 200) throw new CliError(statusMessage(res.body));
  const svc = JSON.parse(res.body) as Service;
  const ip = svc.spec.clusterIP;
  if (!ip || ip === 'None') throw new CliError(`Service ${namespace}/${name} has no ClusterIP (it is headless or ExternalName); send traffic to a pod instead with ksl curl`);
  const ports = svc.spec.ports ?? [];
  const port = values.port ? ports.find((p) => String(p.port) === values.port || p.name === values.port) : ports[0];
  if (!port) throw new CliError(`Service ${namespace}/${name} has no port ${values.port ?? ''}; its ports are ${ports.map((p) => p.name ?? p.port).join(', ') || 'none'}`);
  if ((port.protocol ?? 'TCP') !== 'TCP') throw new CliError(`port ${port.port} is ${port.protocol}; ksl traffic sends HTTP over TCP`);
  const ctx = await podContext(conn, namespace, values.from);
  const url = new URL(`http://${name}:${port.port}${values.path ?? '/'}`);

  const tallies = new Map<string, Tally>();
  const failures = new Map<string, number>();
  const concurrency = svc.spec.sessionAffinity === 'ClientIP' ? 1 : 8;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      next++;
      const dialed = await dial(conn, ip, port.port, ctx.sourceIP);
      if (!dialed.ok) {
        const why = dialed.route.message ?? dialed.route.error ?? 'failed';
        failures.set(why, (failures.get(why) ?? 0) + 1);
        continue;
      }
      const pod = dialed.route.pod ? `${dialed.route.pod.name}` : '?';
      await httpOverSocket(dialed.socket, { url, method: 'GET', headers: { 'User-Agent': 'ksl-traffic' }, timeoutMs: 10_000 });
      const t = tallies.get(pod) ?? { pod, ip: dialed.route.podIP ?? '', count: 0 };
      t.count++;
      tallies.set(pod, t);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));

  const out = process.stdout;
  out.write(`${count} requests to svc/${name} (${ip}:${port.port}) from ${ctx.pod ? `pod ${ctx.pod.metadata.name} (${ctx.sourceIP})` : 'a pod in ' + namespace}:\n\n`);
  const rows = [...tallies.values()].sort((a, b) => a.pod.localeCompare(b.pod));
  const width = Math.max(3, ...rows.map((r) => r.pod.length));
  const ipWidth = Math.max(2, ...rows.map((r) => r.ip.length));
  out.write(`${'POD'.padEnd(width)}   ${'IP'.padEnd(ipWidth)}   REQUESTS   SHARE\n`);
  for (const r of rows) {
    const share = r.count / count;
    out.write(`${r.pod.padEnd(width)}   ${r.ip.padEnd(ipWidth)}   ${String(r.count).padEnd(8)}   ${(share * 100).toFixed(1).padStart(5)}%  ${'#'.repeat(Math.round(share * 40))}\n`);
  }
  for (const [why, n] of failures) out.write(`${n} failed: ${why}\n`);
  if (svc.spec.sessionAffinity === 'ClientIP') out.write(`\nsessionAffinity is ClientIP: one source stays on one pod for ${svc.spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800}s.\n`);
  return failures.size && !tallies.size ? 1 : 0;
}
