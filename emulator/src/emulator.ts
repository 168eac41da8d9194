// Assembles one emulated cluster: the durable store, the registry with its strategies, the
// bootstrap objects, the controllers and the HTTP API, plus the kubeconfig that points kubectl
// at it. `ksl serve` and the tests start clusters through `startEmulator`.

import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import selfsigned from 'selfsigned';
import { startApiServer, type RunningApiServer } from './apiserver/apiServer';
import { KUBERNETES_VERSION } from './apiserver/version';
import { systemClock, type Clock } from './clock';
import { LocalClient } from './controllers/clusterClient';
import { startControllers, type RunningControllers } from './controllers/manager';
import { R } from './api/resources';
import type { Service } from './api/types';
import { ENDPOINTS_FILE, type EndpointsFile } from '../../server/src/emulatorClient/endpointsFile';
import { bootstrap } from './registry/bootstrap';
import { Registry } from './registry/registry';
import { buildStrategies, metaValidator } from './registry/strategies';
import { startDnsServer, type RunningDnsServer } from './dns/dnsServer';
import { SimulatedPods } from './pods/simulatedPods';
import { DataPlane } from './proxy/dataPlane';
import { HostListeners } from './proxy/hostListeners';
import { KubeProxy } from './proxy/kubeProxy';
import { CHECK_MODES, FILE_MODE, tightenFileMode } from './store/durableFiles';
import { Store } from './store/store';
import { openWal } from './store/wal';
import type { TunnelControl } from './apiserver/kslExtensions';

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
  /** The cluster DNS server's port on 127.0.0.1 (0 or absent: any free port). */
  dnsPort?: number;
  /** TTL of DNS answers in seconds. */
  dnsTTL?: number;
  /** Forward names outside the cluster domain to the host's resolvers instead of refusing them. */
  dnsForward?: boolean;
  /** The DNS domain of Services and pods. */
  clusterDomain?: string;
  /** Open real listeners on 127.0.0.1 for NodePorts (and the tunnel). Tests that share ports turn it off. */
  hostPorts?: boolean;
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
  /** The cluster DNS server, as `host:port`. */
  dns: { host: string; port: number };
  registry: Registry;
  kubeProxy: KubeProxy;
  dataPlane: DataPlane;
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
  clusterCIDR: '10.244.0.0/16',
  /** Where `ksl curl` and friends connect from unless they name a pod: the node's bridge address on the pod network. */
  clientIP: '10.244.0.1',
  dnsTTL: 30,
  clusterDomain: 'cluster.local',
  nodeName: 'ksl',
  nodeIP: '127.0.0.1',
  nodePortBase: 30000,
  nodePortSize: 2768,
  podReadyDelayMs: 1000,
  podTerminationDelayMs: 500,
} as const;

/**
 * Writes a state file readable by its owner only. `writeFileSync`'s mode applies only to a
 * file it creates, so a file that already existed with a looser mode is tightened too.
 */
function writeSecretFile(path: string, text: string): void {
  writeFileSync(path, text, { mode: FILE_MODE });
  if (CHECK_MODES) chmodSync(path, FILE_MODE);
}

/** Tightens a state file that grants access to the cluster, if someone loosened it. */
function keepSecret(path: string, log: (message: string) => void): void {
  tightenFileMode(path, log, { why: 'it grants access to the cluster' });
}

/**
 * The bearer token every API request must carry: kept in the state directory so a kubeconfig
 * stays valid across restarts, and made anew when the directory is new, which is what a reset
 * (deleting the state directory: ksl.resetEmulator) gives.
 */
function loadOrCreateToken(stateDir: string | undefined, log: (message: string) => void): string {
  if (!stateDir) return randomBytes(24).toString('hex');
  const path = join(stateDir, 'token');
  if (existsSync(path)) {
    const t = readFileSync(path, 'utf8').trim();
    if (t) {
      keepSecret(path, log);
      return t;
    }
  }
  const token = randomBytes(24).toString('hex');
  writeSecretFile(path, token + '\n');
  return token;
}

/**
 * The serving certificate, made once per state dir and kept, so a kubeconfig stays valid
 * across restarts. It is its own CA: the kubeconfig trusts exactly this certificate.
 */
export function loadOrCreateTls(stateDir: string | undefined, log: (message: string) => void = () => undefined): { cert: string; key: string } {
  const certPath = stateDir && join(stateDir, 'tls.crt');
  const keyPath = stateDir && join(stateDir, 'tls.key');
  if (certPath && keyPath && existsSync(certPath) && existsSync(keyPath)) {
    keepSecret(keyPath, log);
    keepSecret(certPath, log);
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
    writeSecretFile(keyPath, pems.private);
    writeSecretFile(certPath, pems.cert);
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

/** Counts `ksl tunnel` holders and switches the tunnel on while there is at least one. */
function tunnelControl(
  store: Store,
  setTunnel: (on: boolean) => void,
  state: (key: string) => ReturnType<HostListeners['tunnelState']>,
  alwaysOn: boolean,
): TunnelControl & { changed(): void } {
  let holders = 0;
  const listeners = new Set<() => void>();
  const changed = (): void => {
    for (const l of listeners) l();
  };
  return {
    changed,
    acquire() {
      holders++;
      if (holders === 1 && !alwaysOn) setTunnel(true);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        holders--;
        if (holders === 0 && !alwaysOn) setTunnel(false);
      };
    },
    describe() {
      const lines: string[] = [];
      for (const svc of store.list(R.services) as Service[]) {
        if (svc.spec.type !== 'LoadBalancer') continue;
        const key = `${svc.metadata.namespace}/${svc.metadata.name}`;
        const ports = (svc.spec.ports ?? []).map((p) => p.port).join(',');
        const st = state(key);
        if (svc.spec.loadBalancerClass) lines.push(`Service ${key}: not ours (loadBalancerClass ${svc.spec.loadBalancerClass})`);
        else if (!st || st.state === 'opening') lines.push(`Service ${key}: opening 127.0.0.1:${ports}`);
        else if (st.state === 'open') lines.push(`Service ${key}: EXTERNAL-IP 127.0.0.1, serving http://127.0.0.1:${ports}`);
        else lines.push(`Service ${key}: stays <pending>: ${st.message}`);
      }
      return lines;
    },
    subscribe(listener) {
      listeners.add(listener);
      const unsubscribe = store.subscribe((e) => {
        if (e.resource === R.services) listener();
      });
      return () => {
        listeners.delete(listener);
        unsubscribe();
      };
    },
  };
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const log = opts.log ?? ((m: string) => process.stderr.write(m + '\n'));
  const clock = opts.clock ?? systemClock;
  const host = opts.host ?? '127.0.0.1';
  const persistence = opts.stateDir ? openWal(opts.stateDir, { log }) : undefined;
  const store = new Store({ persistence, log });
  const token = loadOrCreateToken(opts.stateDir, log);
  const tls = loadOrCreateTls(opts.stateDir, log);
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

  // The node's network: pods answer through the data plane, which obeys kube-proxy's rules.
  const pods = new SimulatedPods(store);
  const kubeProxy = new KubeProxy({ source: store, clock, rand: opts.rand, clusterCIDR: DEFAULTS.clusterCIDR, nodeIPs: [DEFAULTS.nodeIP], nodeName: DEFAULTS.nodeName, log });
  const dataPlane = new DataPlane({ router: kubeProxy, pods, nodeIPs: [DEFAULTS.nodeIP] });
  let controllers: RunningControllers | undefined;
  let hostListeners: HostListeners | undefined;
  let stopProxyWatch: (() => void) | undefined;
  const tunnelOn = opts.tunnel ?? false;
  const tunnel = tunnelControl(
    store,
    (on) => {
      hostListeners?.setTunnel(on);
      controllers?.loadBalancer.setTunnel(on);
      tunnel.changed();
    },
    (key) => hostListeners?.tunnelState(key),
    tunnelOn,
  );

  let api: RunningApiServer | undefined;
  let dns: RunningDnsServer | undefined;
  try {
    api = await startApiServer({
      registry,
      clock,
      token,
      tls,
      host: opts.host,
      port: opts.apiPort,
      log,
      ksl: { dataPlane, rules: (only) => kubeProxy.render(only), defaultSourceIP: DEFAULTS.clientIP, tunnel },
    });
    dns = await startDnsServer({
      source: store,
      host,
      port: opts.dnsPort ?? 0,
      ttl: opts.dnsTTL ?? DEFAULTS.dnsTTL,
      zone: opts.clusterDomain ?? DEFAULTS.clusterDomain,
      forward: opts.dnsForward ? {} : undefined,
      clock,
      ...(opts.rand ? { rand: opts.rand } : {}),
      log,
    });
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
    if (opts.hostPorts ?? true) {
      hostListeners = new HostListeners({
        source: store,
        dataPlane,
        host: DEFAULTS.nodeIP,
        tunnel: tunnelOn,
        log,
        refuses: (port) =>
          kubeProxy.probe({ srcIP: DEFAULTS.nodeIP, dstIP: DEFAULTS.nodeIP, dstPort: port, protocol: 'TCP', dstIsLocal: true }).kind === 'reject',
        onTunnelChange: (key) => {
          controllers?.loadBalancer.requeue(key);
          tunnel.changed();
        },
      });
    }
    const listeners = hostListeners;
    if (listeners) stopProxyWatch = kubeProxy.onChange((services) => listeners.refresh(services));
    controllers = startControllers({
      client,
      registry,
      clock,
      log,
      options: {
        nodeName: DEFAULTS.nodeName,
        nodeIP: DEFAULTS.nodeIP,
        podCIDR,
        readyDelayMs: opts.podReadyDelayMs ?? DEFAULTS.podReadyDelayMs,
        terminationDelayMs: opts.podTerminationDelayMs ?? DEFAULTS.podTerminationDelayMs,
        tunnel: tunnelOn,
        tunnelState: hostListeners ? (key) => hostListeners?.tunnelState(key) : undefined,
      },
    });
  } catch (err) {
    await hostListeners?.close();
    await dns?.close();
    await api?.close();
    kubeProxy.stop();
    pods.close();
    store.close();
    throw err;
  }
  const running = api;
  const runningDns = dns;
  let kubeconfigPath: string | undefined;
  if (opts.stateDir) {
    kubeconfigPath = join(opts.stateDir, 'kubeconfig');
    writeSecretFile(kubeconfigPath, kubeconfigText(running.url, token, tls.cert));
    const endpoints: EndpointsFile = {
      api: running.url,
      dns: `${runningDns.host}:${runningDns.port}`,
      clusterDomain: opts.clusterDomain ?? DEFAULTS.clusterDomain,
    };
    writeSecretFile(join(opts.stateDir, ENDPOINTS_FILE), JSON.stringify(endpoints, null, 2) + '\n');
  }
  const ctrl = controllers as RunningControllers;
  let stopped = false;
  return {
    url: running.url,
    port: running.port,
    token,
    caPem: tls.cert,
    kubeconfigPath,
    dns: { host: runningDns.host, port: runningDns.port },
    registry,
    store,
    client,
    kubeProxy,
    dataPlane,
    drain: () => ctrl.drain(),
    async stop() {
      if (stopped) return;
      stopped = true;
      if (opts.stateDir) rmSync(join(opts.stateDir, ENDPOINTS_FILE), { force: true });
      ctrl.stop();
      stopProxyWatch?.();
      await hostListeners?.close();
      await runningDns.close();
      await running.close();
      kubeProxy.stop();
      pods.close();
      if (opts.stateDir) store.compact();
      store.close();
    },
  };
}
