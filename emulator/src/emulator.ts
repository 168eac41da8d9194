// Assembles one emulated cluster: the durable store, the registry with its strategies, the
// bootstrap objects, the controllers and the HTTP API, plus the kubeconfig that points kubectl
// at it. `ksl serve` and the tests start clusters through `startEmulator`.

import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import selfsigned from 'selfsigned';
import { startApiServer, type RunningApiServer } from './apiserver/apiServer';
import { KUBERNETES_VERSION } from './apiserver/version';
import { systemClock, type Clock } from './clock';
import { LocalClient } from './controllers/clusterClient';
import { startControllers } from './controllers/manager';
import { bootstrap } from './registry/bootstrap';
import { Registry } from './registry/registry';
import { buildStrategies, metaValidator } from './registry/strategies';
import { Store } from './store/store';
import { openWal } from './store/wal';

export interface EmulatorOptions {
  /** Where state lives; without it the cluster is in memory only (tests). */
  stateDir?: string;
  apiPort?: number;
  host?: string;
  podReadyDelayMs?: number;
  podTerminationDelayMs?: number;
  serviceCIDR?: string;
  podCIDR?: string;
  nodePortBase?: number;
  nodePortSize?: number;
  /** LoadBalancer Services get 127.0.0.1 as their external IP (like `minikube tunnel`). */
  tunnel?: boolean;
  clock?: Clock;
  rand?: () => number;
  log?: (message: string) => void;
}

export interface Emulator {
  url: string;
  port: number;
  token: string;
  /** The CA (the serving certificate itself) that clients must trust. */
  caPem: string;
  kubeconfigPath?: string;
  registry: Registry;
  store: Store;
  client: LocalClient;
  /** Processes every pending controller queue now (tests). */
  drain(): void;
  stop(): Promise<void>;
}

export const DEFAULTS = {
  serviceCIDR: '10.96.0.0/12',
  kubernetesIP: '10.96.0.1',
  dnsIP: '10.96.0.10',
  podCIDR: '10.244.0.0/24',
  nodeName: 'ksl',
  nodeIP: '127.0.0.1',
  nodePortBase: 30000,
  nodePortSize: 2768,
  podReadyDelayMs: 1000,
  podTerminationDelayMs: 500,
} as const;

function loadOrCreateToken(stateDir: string | undefined): string {
  if (!stateDir) return randomBytes(24).toString('hex');
  const path = join(stateDir, 'token');
  if (existsSync(path)) {
    const t = readFileSync(path, 'utf8').trim();
    if (t) return t;
  }
  const token = randomBytes(24).toString('hex');
  writeFileSync(path, token + '\n', { mode: 0o600 });
  return token;
}

/**
 * The serving certificate, made once per state dir and kept, so a kubeconfig stays valid
 * across restarts. It is its own CA: the kubeconfig trusts exactly this certificate.
 */
export function loadOrCreateTls(stateDir: string | undefined): { cert: string; key: string } {
  const certPath = stateDir && join(stateDir, 'tls.crt');
  const keyPath = stateDir && join(stateDir, 'tls.key');
  if (certPath && keyPath && existsSync(certPath) && existsSync(keyPath)) {
    return { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8') };
  }
  const pems = selfsigned.generate([{ name: 'commonName', value: 'kube-service-lab' }], {
    days: 3650,
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', keyCertSign: true, digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] },
    ],
  });
  if (certPath && keyPath) {
    writeFileSync(keyPath, pems.private, { mode: 0o600 });
    writeFileSync(certPath, pems.cert, { mode: 0o600 });
  }
  return { cert: pems.cert, key: pems.private };
}

export function kubeconfigText(url: string, token: string, caPem: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: ksl',
    '  cluster:',
    `    server: ${url}`,
    `    certificate-authority-data: ${Buffer.from(caPem).toString('base64')}`,
    'contexts:',
    '- name: ksl',
    '  context:',
    '    cluster: ksl',
    '    user: ksl',
    '    namespace: default',
    'current-context: ksl',
    'users:',
    '- name: ksl',
    '  user:',
    `    token: ${token}`,
    '',
  ].join('\n');
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const log = opts.log ?? ((m: string) => process.stderr.write(m + '\n'));
  const clock = opts.clock ?? systemClock;
  const persistence = opts.stateDir ? openWal(opts.stateDir, { log }) : undefined;
  const store = new Store({ persistence, log });
  const token = loadOrCreateToken(opts.stateDir);
  const tls = loadOrCreateTls(opts.stateDir);
  const strategies = buildStrategies({
    serviceCIDR: opts.serviceCIDR ?? DEFAULTS.serviceCIDR,
    nodePortBase: opts.nodePortBase ?? DEFAULTS.nodePortBase,
    nodePortSize: opts.nodePortSize ?? DEFAULTS.nodePortSize,
    rand: opts.rand,
    log,
  });
  const registry = new Registry({ store, clock, strategies: strategies.map, rand: opts.rand, metaValidator });
  strategies.services.restore({ store, clock });
  const client = new LocalClient(registry);
  let api: RunningApiServer | undefined;
  let controllers: { stop(): void; drain(): void } | undefined;
  try {
    api = await startApiServer({ registry, clock, token, tls, host: opts.host, port: opts.apiPort, log });
    const podCIDR = opts.podCIDR ?? DEFAULTS.podCIDR;
    bootstrap(registry, {
      nodeName: DEFAULTS.nodeName,
      nodeIP: DEFAULTS.nodeIP,
      podCIDR,
      kubernetesIP: DEFAULTS.kubernetesIP,
      dnsIP: DEFAULTS.dnsIP,
      apiPort: api.port,
      kubeletVersion: KUBERNETES_VERSION,
    });
    controllers = startControllers({
      client,
      registry,
      clock,
      options: {
        nodeName: DEFAULTS.nodeName,
        nodeIP: DEFAULTS.nodeIP,
        podCIDR,
        readyDelayMs: opts.podReadyDelayMs ?? DEFAULTS.podReadyDelayMs,
        terminationDelayMs: opts.podTerminationDelayMs ?? DEFAULTS.podTerminationDelayMs,
        tunnel: opts.tunnel ?? false,
      },
    });
  } catch (err) {
    await api?.close();
    store.close();
    throw err;
  }
  let kubeconfigPath: string | undefined;
  if (opts.stateDir) {
    kubeconfigPath = join(opts.stateDir, 'kubeconfig');
    writeFileSync(kubeconfigPath, kubeconfigText(api.url, token, tls.cert), { mode: 0o600 });
    chmodSync(kubeconfigPath, 0o600);
  }
  const running = api;
  const ctrl = controllers as { stop(): void; drain(): void };
  let stopped = false;
  return {
    url: running.url,
    port: running.port,
    token,
    caPem: tls.cert,
    kubeconfigPath,
    registry,
    store,
    client,
    drain: () => ctrl.drain(),
    async stop() {
      if (stopped) return;
      stopped = true;
      ctrl.stop();
      await running.close();
      if (opts.stateDir) store.compact();
      store.close();
    },
  };
}
