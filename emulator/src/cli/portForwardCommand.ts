// `ksl port-forward svc/NAME|pod/NAME [LOCAL:]REMOTE...`: what `kubectl port-forward` does,
// for simulated pods. Like kubectl, a Service is only used to pick one of its running pods and
// to translate the Service port to that pod's target port; traffic then goes to that pod.

import { createServer, type Server } from 'node:net';
import { parseArgs } from 'node:util';
import type { Pod, Service, ServicePort } from '../api/types';
import { apiGet, loadConnection, type EmulatorConnection } from '../../../server/src/emulatorClient/connection';
import { statusMessage } from '../../../server/src/emulatorClient/kubeStatus';
import { CliError, defaultStateDir, UsageError } from './options';
import { dial } from './podNetwork';

export const PORT_FORWARD_USAGE = `Usage: ksl port-forward [-n NS] [--address ADDR] svc/NAME|pod/NAME [LOCAL:]REMOTE [...]

Listens on ADDR:LOCAL (default 127.0.0.1) and forwards each connection to the pod's port,
as kubectl port-forward does. Runs until Ctrl-C.

  -n, --namespace NS     the namespace (default: default)
      --address ADDR     the local address to listen on (default: 127.0.0.1)
      --state-dir DIR    the emulator's state dir (default: $KSL_STATE_DIR or ~/.kube-service-lab/state)
`;

interface Mapping {
  local: number;
  remote: string;
}

function parseMapping(arg: string): Mapping {
  const m = /^(?:(\d*):)?([a-z0-9-]+)$/.exec(arg);
  if (!m) throw new UsageError(`expected [LOCAL:]REMOTE, not "${arg}"`);
  const local = m[1] === undefined ? Number(m[2]) : m[1] === '' ? 0 : Number(m[1]);
  if (!Number.isInteger(local) || local < 0 || local > 65535) throw new UsageError(`local port in "${arg}" must be a number from 0 to 65535`);
  return { local, remote: m[2] };
}

async function getJson<T>(conn: EmulatorConnection, path: string): Promise<T> {
  const res = await apiGet(conn, path);
  if (res.status !== 200) throw new CliError(statusMessage(res.body));
  return JSON.parse(res.body) as T;
}

function isReady(p: Pod): boolean {
  return !!p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
}

/** The port of a container in the pod: by number, or by the name of a declared port. */
function containerPort(pod: Pod, port: string | number): number | undefined {
  if (typeof port === 'number' || /^\d+$/.test(port)) return Number(port);
  for (const c of pod.spec.containers) for (const p of c.ports ?? []) if (p.name === port) return p.containerPort;
  return undefined;
}

async function podForService(conn: EmulatorConnection, ns: string, svc: Service): Promise<Pod> {
  const selector = Object.entries(svc.spec.selector ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
  if (!selector) throw new CliError(`Service ${ns}/${svc.metadata.name} has no selector, so there is no pod to forward to`);
  const list = await getJson<{ items: Pod[] }>(conn, `/api/v1/namespaces/${encodeURIComponent(ns)}/pods?labelSelector=${encodeURIComponent(selector)}`);
  const running = list.items.filter((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp);
  running.sort((a, b) => Number(isReady(b)) - Number(isReady(a)) || (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''));
  if (!running.length) throw new CliError(`error: unable to forward port because pod is not running. Current status=Pending (no running pod matches ${selector})`);
  return running[0];
}

export async function portForwardCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      namespace: { type: 'string', short: 'n' },
      address: { type: 'string' },
      'state-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
  });
  if (values.help) {
    process.stdout.write(PORT_FORWARD_USAGE);
    return 0;
  }
  if (positionals.length < 2) throw new UsageError(`port-forward needs a resource and at least one port\n\n${PORT_FORWARD_USAGE}`);
  const [target, ...portArgs] = positionals;
  const m = /^(svc|service|services|pod|pods|po)\/([a-z0-9.-]+)$/.exec(target);
  if (!m) throw new UsageError(`expected svc/NAME or pod/NAME, not "${target}"`);
  const ns = values.namespace ?? 'default';
  const address = values.address ?? '127.0.0.1';
  const mappings = portArgs.map(parseMapping);
  const conn = loadConnection(values['state-dir'] ?? defaultStateDir());

  let pod: Pod;
  const remotes: number[] = [];
  if (m[1].startsWith('po')) {
    pod = await getJson<Pod>(conn, `/api/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(m[2])}`);
    if (pod.status?.phase !== 'Running') throw new CliError(`error: unable to forward port because pod is not running. Current status=${pod.status?.phase ?? 'Pending'}`);
    for (const mp of mappings) {
      const p = containerPort(pod, mp.remote);
      if (p === undefined) throw new CliError(`error: Pod '${m[2]}' does not have a named port '${mp.remote}'`);
      remotes.push(p);
    }
  } else {
    const svc = await getJson<Service>(conn, `/api/v1/namespaces/${encodeURIComponent(ns)}/services/${encodeURIComponent(m[2])}`);
    pod = await podForService(conn, ns, svc);
    for (const mp of mappings) {
      const sp: ServicePort | undefined = (svc.spec.ports ?? []).find((p) => String(p.port) === mp.remote || p.name === mp.remote);
      if (!sp) throw new CliError(`error: Service ${m[2]} does not have a service port ${mp.remote}`);
      const p = containerPort(pod, sp.targetPort ?? sp.port);
      if (p === undefined) throw new CliError(`error: Pod '${pod.metadata.name}' does not have a named port '${String(sp.targetPort)}'`);
      remotes.push(p);
    }
  }
  const podIP = pod.status?.podIP;
  if (!podIP) throw new CliError(`pod ${pod.metadata.name} has no IP yet`);

  const servers: Server[] = [];
  for (let i = 0; i < mappings.length; i++) {
    const remote = remotes[i];
    const server = createServer((socket) => {
      const port = (server.address() as { port: number }).port;
      process.stdout.write(`Handling connection for ${port}\n`);
      socket.on('error', () => socket.destroy());
      dial(conn, podIP, remote).then(
        (d) => {
          if (!d.ok) {
            process.stderr.write(`E${new Date().toISOString()} portforward: error forwarding port ${remote} to pod ${pod.metadata.name}: ${d.route.message ?? d.route.error}\n`);
            socket.destroy();
            return;
          }
          d.socket.on('error', () => socket.destroy());
          socket.pipe(d.socket);
          d.socket.pipe(socket);
          socket.once('close', () => d.socket.destroy());
          d.socket.once('close', () => socket.destroy());
        },
        (err: Error) => {
          process.stderr.write(`portforward: ${err.message}\n`);
          socket.destroy();
        },
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) =>
        reject(new CliError(`Unable to listen on port ${mappings[i].local}: ${err.code === 'EADDRINUSE' ? 'address already in use' : err.message}`)),
      );
      server.listen(mappings[i].local, address, () => resolve());
    });
    servers.push(server);
    process.stdout.write(`Forwarding from ${address}:${(server.address() as { port: number }).port} -> ${remote}\n`);
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  for (const s of servers) s.close();
  return 0;
}
