// `ksl serve` and `ksl start`: run the emulator until SIGINT/SIGTERM. `start` is the README's
// quick start: it also applies a folder of manifests (examples/ by default), waits for the pods
// to become ready, and prints what a user would see with kubectl.

import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { R } from '../api/resources';
import type { Deployment, KubeObject, Pod } from '../api/types';
import { toTable } from '../apiserver/tables';
import { startEmulator, type Emulator } from '../emulator';
import { applyManifests } from './applyManifests';
import { defaultStateDir, intOption, UsageError } from './options';
import { printTable } from './printTable';

const serveOptions = {
  'state-dir': { type: 'string' },
  'api-port': { type: 'string' },
  host: { type: 'string' },
  'pod-ready-delay': { type: 'string' },
  tunnel: { type: 'boolean' },
  'dns-port': { type: 'string' },
  'dns-ttl': { type: 'string' },
  'dns-forward': { type: 'boolean' },
  'service-cidr': { type: 'string' },
  'pod-cidr': { type: 'string' },
  'node-port-range': { type: 'string' },
  'cluster-domain': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const SERVE_USAGE = `Usage: ksl serve [--state-dir DIR] [--api-port N] [--dns-port N] [--pod-ready-delay MS] [--tunnel]

Runs the cluster emulator until Ctrl-C: a Kubernetes API on 127.0.0.1 that kubectl can use,
the cluster DNS server, and kube-proxy's data plane (NodePorts listen on 127.0.0.1).

  --state-dir DIR        where the cluster's state lives (default: $KSL_STATE_DIR or ~/.kube-service-lab/state)
  --api-port N           port for the API (default: any free port)
  --pod-ready-delay MS   how long a new pod takes to become Ready (default: 1000)
  --dns-port N           port for the cluster DNS server, UDP and TCP (default: any free port)
  --dns-ttl SECONDS      TTL of DNS answers (default: 30)
  --dns-forward          forward names outside cluster.local to the host's resolvers (default: refuse them)
  --tunnel               give LoadBalancer Services 127.0.0.1 as external IP (like minikube tunnel)
  --service-cidr CIDR    where ClusterIPs come from (default: 10.96.0.0/12)
  --pod-cidr CIDR        the node's pod range (default: 10.244.0.0/24)
  --node-port-range A-B  where NodePorts come from (default: 30000-32767)
  --cluster-domain NAME  the DNS domain of Services and pods (default: cluster.local)

Settings that shape allocations (CIDRs, NodePort range) apply to a new state dir; an existing
cluster keeps the addresses it has.
`;

export const START_USAGE = `Usage: ksl start [FOLDER] [serve options]

Starts the emulator, applies the manifests in FOLDER (default: examples), waits for the pods,
prints services, endpoints and pods, and keeps serving until Ctrl-C.
`;

function cidrOption(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value);
  if (!m || m.slice(1, 5).some((o) => Number(o) > 255) || Number(m[5]) < 8 || Number(m[5]) > 30) {
    throw new UsageError(`--${name} must be an IPv4 CIDR with a prefix from /8 to /30, such as 10.96.0.0/12, not "${value}"`);
  }
  return value;
}

function nodePortRange(value: string | undefined): { nodePortBase?: number; nodePortSize?: number } {
  if (value === undefined) return {};
  const m = /^(\d+)-(\d+)$/.exec(value);
  const lo = Number(m?.[1]);
  const hi = Number(m?.[2]);
  if (!m || lo < 1 || hi > 65535 || hi < lo) throw new UsageError(`--node-port-range must look like 30000-32767, not "${value}"`);
  return { nodePortBase: lo, nodePortSize: hi - lo + 1 };
}

function domainOption(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const d = value.replace(/\.$/, '').toLowerCase();
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(d)) {
    throw new UsageError(`--cluster-domain must be a DNS name such as cluster.local, not "${value}"`);
  }
  return d;
}

async function run(args: string[], applyFolder: string | undefined | false): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: serveOptions, allowPositionals: applyFolder !== false });
  if (values.help) {
    process.stdout.write(applyFolder === false ? SERVE_USAGE : START_USAGE + '\n' + SERVE_USAGE);
    return 0;
  }
  const stateDir = values['state-dir'] ?? defaultStateDir();
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const emulator = await startEmulator({
    stateDir,
    apiPort: intOption(values['api-port'], 'api-port', 0, 65535),
    host: values.host,
    podReadyDelayMs: intOption(values['pod-ready-delay'], 'pod-ready-delay', 0, 600_000),
    tunnel: values.tunnel ?? false,
    dnsPort: intOption(values['dns-port'], 'dns-port', 0, 65535),
    dnsTTL: intOption(values['dns-ttl'], 'dns-ttl', 0, 3600),
    dnsForward: values['dns-forward'] ?? false,
    serviceCIDR: cidrOption(values['service-cidr'], 'service-cidr'),
    podCIDR: cidrOption(values['pod-cidr'], 'pod-cidr'),
    ...nodePortRange(values['node-port-range']),
    clusterDomain: domainOption(values['cluster-domain']),
  });
  const out = process.stdout;
  out.write(`Kube Service Lab emulator is serving the Kubernetes API at ${emulator.url}\n`);
  out.write(`Cluster DNS (UDP and TCP): ${emulator.dns.host}:${emulator.dns.port}\n`);
  out.write(`kubeconfig: ${emulator.kubeconfigPath}\n`);
  if (applyFolder !== false) {
    const folder = positionals[0] ?? applyFolder ?? 'examples';
    out.write(`\n$ kubectl apply -f ${folder}/\n`);
    const results = applyManifests(emulator.registry, folder);
    for (const r of results) (r.ok ? out : process.stderr).write(r.line + '\n');
    await waitForPods(emulator, 15_000);
    printOverview(emulator);
  }
  out.write(`\nPoint kubectl at it:\n  export KUBECONFIG=${emulator.kubeconfigPath}\n  kubectl get svc,endpoints,pods\n`);
  const sd = values['state-dir'] ? ` --state-dir ${stateDir}` : '';
  out.write(`\nFrom a pod's point of view:\n  ksl curl${sd} -v http://web\n  ksl nslookup${sd} web\n  ksl rules${sd} svc/web\n  ksl traffic${sd} svc/web -n 300\n`);
  out.write(`\nCluster DNS from the host:\n  dig @${emulator.dns.host} -p ${emulator.dns.port} web.default.svc.cluster.local\n`);
  out.write('\nServing until Ctrl-C.\n');
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  out.write('Stopping the emulator…\n');
  await emulator.stop();
  return 0;
}

/**
 * Resolves once every Deployment in `default` has all its replicas ready and every pod there is
 * Ready (or the deadline passes), re-checking after each write to the store.
 */
function waitForPods(emulator: Emulator, timeoutMs: number): Promise<void> {
  const allReady = (): boolean =>
    (emulator.store.list(R.deployments, 'default') as Deployment[]).every(
      (d) => (d.status?.readyReplicas ?? 0) === (d.spec.replicas ?? 1) && (d.status?.replicas ?? 0) === (d.spec.replicas ?? 1),
    ) &&
    (emulator.store.list(R.pods, 'default') as Pod[]).every((p) =>
      p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
    );
  if (allReady()) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, timeoutMs);
    const unsubscribe = emulator.store.subscribe((e) => {
      if ((e.resource === R.pods || e.resource === R.deployments) && allReady()) done();
    });
    function done(): void {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    }
  });
}

function printOverview(emulator: Emulator): void {
  const now = Date.now();
  const rv = String(emulator.store.resourceVersion);
  const section = (title: string, resource: string, wide: boolean): void => {
    const objects: KubeObject[] = emulator.store.list(resource, 'default');
    const table = toTable(resource, objects, { now, resourceVersion: rv, includeObject: 'None' });
    process.stdout.write(`\n$ ${title}\n${printTable(table, { wide })}\n`);
  };
  section('kubectl get services', R.services, false);
  section('kubectl get endpoints', R.endpoints, false);
  section('kubectl get pods -o wide', R.pods, true);
}

export const serveCommand = (args: string[]): Promise<number> => run(args, false);
export const startCommand = (args: string[]): Promise<number> => run(args, undefined);
