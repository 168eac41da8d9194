// Real TCP listeners on the host for the ways into the cluster that a node offers: every
// NodePort on 127.0.0.1:<nodePort>, and, with the tunnel on, every LoadBalancer Service port
// on 127.0.0.1:<port> (what `minikube tunnel` does). Each accepted connection goes through the
// data plane as traffic addressed to the node, so kube-proxy's rules decide where it lands.

import { createServer, type Server, type Socket } from 'node:net';
import { objectKey } from '../api/objects';
import { R } from '../api/resources';
import type { KubeObject, Service } from '../api/types';
import type { TunnelState } from '../controllers/loadBalancer';
import type { StoreEvent } from '../store/store';
import type { DataPlane } from './dataPlane';

export interface ServiceSource {
  list(resource: string, namespace?: string): KubeObject[];
  subscribe(listener: (e: StoreEvent) => void): () => void;
}

export interface HostListenersOptions {
  source: ServiceSource;
  dataPlane: DataPlane;
  host?: string;
  tunnel?: boolean;
  log?: (message: string) => void;
  /** Called when a LoadBalancer Service's tunnel listeners open or fail, so its status can follow. */
  onTunnelChange?: (serviceKey: string) => void;
  /**
   * Whether kube-proxy's rules reject every new connection to this node port now (the Service
   * has no endpoints). Such a port stops listening, so clients get "connection refused" from
   * the kernel, as the REJECT rule gives them on a real node.
   */
  refuses?: (port: number) => boolean;
}

type Purpose = 'nodePort' | 'tunnel';

interface Listener {
  port: number;
  purpose: Purpose;
  serviceKey: string;
  server: Server;
  /** `paused`: not listening because the rules reject every connection to it. */
  state: 'opening' | 'open' | 'failed' | 'paused';
  error?: string;
}

function wantedPorts(svc: Service, tunnel: boolean): { port: number; purpose: Purpose }[] {
  const out: { port: number; purpose: Purpose }[] = [];
  for (const p of svc.spec.ports ?? []) {
    if ((p.protocol ?? 'TCP') !== 'TCP') continue;
    if (p.nodePort) out.push({ port: p.nodePort, purpose: 'nodePort' });
    if (tunnel && svc.spec.type === 'LoadBalancer' && !svc.spec.loadBalancerClass) out.push({ port: p.port, purpose: 'tunnel' });
  }
  return out;
}

export class HostListeners {
  private readonly host: string;
  private readonly log: (m: string) => void;
  private tunnel: boolean;
  /** By `${purpose}/${port}`. */
  private readonly listeners = new Map<string, Listener>();
  private readonly sockets = new Set<Socket>();
  private readonly unsubscribe: () => void;
  private closed = false;
  private refreshQueued = false;

  constructor(private readonly opts: HostListenersOptions) {
    this.host = opts.host ?? '127.0.0.1';
    this.log = opts.log ?? (() => undefined);
    this.tunnel = opts.tunnel ?? false;
    this.unsubscribe = opts.source.subscribe((e) => {
      if (e.resource === R.services) this.reconcile();
    });
    this.reconcile();
  }

  setTunnel(on: boolean): void {
    this.tunnel = on;
    this.reconcile();
  }

  /** Where the tunnel stands for one LoadBalancer Service; undefined when it is not tunnelled. */
  tunnelState(serviceKey: string): TunnelState | undefined {
    let opening = false;
    let seen = false;
    for (const l of this.listeners.values()) {
      if (l.purpose !== 'tunnel' || l.serviceKey !== serviceKey) continue;
      seen = true;
      if (l.state === 'failed') return { state: 'failed', message: l.error ?? `port ${l.port} could not be opened` };
      if (l.state === 'opening') opening = true;
      // A paused port still belongs to the Service: its address stays, connections are refused.
    }
    const svc = this.findService(serviceKey);
    if (svc) {
      // A port another Service already holds is a failure for this one too.
      for (const want of wantedPorts(svc, this.tunnel)) {
        const holder = this.listeners.get(`${want.purpose}/${want.port}`);
        if (want.purpose === 'tunnel' && holder && holder.serviceKey !== serviceKey) {
          return { state: 'failed', message: `port ${want.port} on ${this.host} is already used by the tunnel for Service ${holder.serviceKey}` };
        }
      }
    }
    if (!seen) return undefined;
    return opening ? { state: 'opening' } : { state: 'open' };
  }

  private findService(key: string): Service | undefined {
    const [namespace, name] = key.split('/');
    return (this.opts.source.list(R.services, namespace) as Service[]).find((s) => s.metadata.name === name);
  }

  /** Opens the listeners the Services want and closes the ones no Service wants any more. */
  private reconcile(): void {
    if (this.closed) return;
    const wanted = new Map<string, { port: number; purpose: Purpose; serviceKey: string }>();
    const services = (this.opts.source.list(R.services) as Service[]).slice().sort((a, b) =>
      (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') || objectKey(a).localeCompare(objectKey(b)),
    );
    for (const svc of services) {
      for (const w of wantedPorts(svc, this.tunnel)) {
        const id = `${w.purpose}/${w.port}`;
        if (!wanted.has(id)) wanted.set(id, { ...w, serviceKey: objectKey(svc) });
      }
    }
    for (const [id, l] of this.listeners) {
      const w = wanted.get(id);
      if (!w || w.serviceKey !== l.serviceKey) this.closeListener(id, l);
    }
    for (const [id, w] of wanted) {
      const existing = this.listeners.get(id);
      const refused = this.opts.refuses?.(w.port) ?? false;
      if (!existing) {
        if (refused) this.listeners.set(id, { ...w, server: createServer(), state: 'paused' });
        else this.openListener(id, w.port, w.purpose, w.serviceKey);
      } else if (existing.state === 'paused' && !refused) {
        this.openListener(id, w.port, w.purpose, w.serviceKey);
      } else if ((existing.state === 'open' || existing.state === 'opening') && refused) {
        existing.server.close();
        existing.state = 'paused';
      }
    }
  }

  /** Re-checks every listener against the rules soon (coalescing bursts of rule changes). */
  refresh(): void {
    if (this.refreshQueued || this.closed) return;
    this.refreshQueued = true;
    setImmediate(() => {
      this.refreshQueued = false;
      this.reconcile();
    });
  }

  private openListener(id: string, port: number, purpose: Purpose, serviceKey: string): void {
    const server = createServer((socket) => this.accept(socket, port));
    const l: Listener = { port, purpose, serviceKey, server, state: 'opening' };
    this.listeners.set(id, l);
    server.on('error', (err: NodeJS.ErrnoException) => {
      l.state = 'failed';
      l.error =
        err.code === 'EADDRINUSE'
          ? `port ${port} on ${this.host} is in use by another program`
          : err.code === 'EACCES'
            ? `port ${port} on ${this.host} needs privileges this process does not have`
            : `port ${port} on ${this.host} could not be opened: ${err.message}`;
      this.log(`${purpose === 'tunnel' ? 'tunnel' : 'NodePort'} for Service ${serviceKey}: ${l.error}`);
      if (purpose === 'tunnel') this.opts.onTunnelChange?.(serviceKey);
    });
    server.listen(port, this.host, () => {
      l.state = 'open';
      if (purpose === 'tunnel') this.opts.onTunnelChange?.(serviceKey);
    });
  }

  private closeListener(id: string, l: Listener): void {
    this.listeners.delete(id);
    if (l.state === 'open' || l.state === 'opening') l.server.close();
    if (l.purpose === 'tunnel') this.opts.onTunnelChange?.(l.serviceKey);
  }

  private accept(socket: Socket, port: number): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const outcome = this.opts.dataPlane.connect({
      srcIP: socket.remoteAddress?.replace(/^::ffff:/, '') ?? this.host,
      dstIP: this.host,
      dstPort: port,
    });
    if (!outcome.ok) {
      // The listener has already accepted, so a refusal can only be a reset; a client sees
      // "connection reset" where the kernel's REJECT would give "connection refused".
      socket.resetAndDestroy();
      return;
    }
    const stream = outcome.stream;
    stream.on('error', () => socket.destroy());
    socket.pipe(stream);
    stream.pipe(socket);
    socket.once('close', () => stream.destroy());
    stream.once('close', () => socket.destroy());
  }

  /** Listening ports by purpose, for status output. */
  ports(): { port: number; purpose: Purpose; serviceKey: string; state: Listener['state'] }[] {
    return [...this.listeners.values()].map(({ port, purpose, serviceKey, state }) => ({ port, purpose, serviceKey, state }));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe();
    for (const s of this.sockets) s.destroy();
    await Promise.all(
      [...this.listeners.values()].map((l) =>
        l.state === 'open' || l.state === 'opening' ? new Promise<void>((done) => l.server.close(() => done())) : undefined,
      ),
    );
    this.listeners.clear();
  }
}
