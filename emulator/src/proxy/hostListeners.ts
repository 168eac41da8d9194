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

interface Want {
  port: number;
  purpose: Purpose;
}

interface Listener {
  port: number;
  purpose: Purpose;
  serviceKey: string;
  server: Server;
  /** `paused`: not listening because the rules reject every connection to it. */
  state: 'opening' | 'open' | 'failed' | 'paused';
  error?: string;
}

/** What the listeners need to know about one Service. */
interface ServiceState {
  service: Service;
  /** The host ports it asks for, as `${purpose}/${port}`, each once, in spec order. */
  wants: Map<string, Want>;
}

function wantedPorts(svc: Service, tunnel: boolean): Map<string, Want> {
  const out = new Map<string, Want>();
  const ports = Array.isArray(svc.spec?.ports) ? svc.spec.ports : [];
  for (const p of ports) {
    if (!p || (p.protocol ?? 'TCP') !== 'TCP') continue;
    if (p.nodePort) out.set(`nodePort/${p.nodePort}`, { port: p.nodePort, purpose: 'nodePort' });
    if (tunnel && svc.spec.type === 'LoadBalancer' && !svc.spec.loadBalancerClass) out.set(`tunnel/${p.port}`, { port: p.port, purpose: 'tunnel' });
  }
  return out;
}

/**
 * Which of two Services gets a host port both want: the older one, then the one whose key
 * sorts first. The API server keeps NodePorts unique, so this only settles tunnel ports and
 * the moment a port moves from a deleted Service to a new one.
 */
function holdsBefore(a: Service, b: Service): boolean {
  return (
    ((a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') || objectKey(a).localeCompare(objectKey(b))) < 0
  );
}

export class HostListeners {
  private readonly host: string;
  private readonly log: (m: string) => void;
  private tunnel: boolean;
  /** By `${purpose}/${port}`. */
  private readonly listeners = new Map<string, Listener>();
  /** Every Service that wants a host port, by key. */
  private readonly services = new Map<string, ServiceState>();
  /** By `${purpose}/${port}`: the Services that want it. */
  private readonly claims = new Map<string, Set<string>>();
  private readonly sockets = new Set<Socket>();
  private readonly unsubscribe: () => void;
  private closed = false;
  private refreshQueued = false;
  /** What the queued refresh re-checks: every listener, or those of these Services. */
  private refreshAll = false;
  private readonly refreshKeys = new Set<string>();

  constructor(private readonly opts: HostListenersOptions) {
    this.host = opts.host ?? '127.0.0.1';
    this.log = opts.log ?? (() => undefined);
    this.tunnel = opts.tunnel ?? false;
    this.unsubscribe = opts.source.subscribe((e) => {
      if (e.resource === R.services) this.serviceChanged(objectKey(e.object), e.type === 'DELETED' ? undefined : (e.object as Service));
    });
    for (const svc of opts.source.list(R.services) as Service[]) this.serviceChanged(objectKey(svc), svc);
  }

  setTunnel(on: boolean): void {
    if (on === this.tunnel) return;
    this.tunnel = on;
    for (const [key, state] of [...this.services]) this.serviceChanged(key, state.service);
  }

  /** Where the tunnel stands for one LoadBalancer Service; undefined when it is not tunnelled. */
  tunnelState(serviceKey: string): TunnelState | undefined {
    const state = this.services.get(serviceKey);
    if (!state) return undefined;
    let opening = false;
    let seen = false;
    for (const [id, want] of state.wants) {
      const l = this.listeners.get(id);
      if (want.purpose !== 'tunnel' || !l || l.serviceKey !== serviceKey) continue;
      seen = true;
      if (l.state === 'failed') return { state: 'failed', message: l.error ?? `port ${l.port} could not be opened` };
      if (l.state === 'opening') opening = true;
      // A paused port still belongs to the Service: its address stays, connections are refused.
    }
    // A port another Service already holds is a failure for this one too.
    for (const [id, want] of state.wants) {
      const holder = this.listeners.get(id);
      if (want.purpose === 'tunnel' && holder && holder.serviceKey !== serviceKey) {
        return { state: 'failed', message: `port ${want.port} on ${this.host} is already used by the tunnel for Service ${holder.serviceKey}` };
      }
    }
    if (!seen) return undefined;
    return opening ? { state: 'opening' } : { state: 'open' };
  }

  /** Takes in one Service as it now is (undefined: deleted) and settles the ports it wanted or wants. */
  private serviceChanged(key: string, svc: Service | undefined): void {
    if (this.closed) return;
    const before = this.services.get(key);
    const wants = svc ? wantedPorts(svc, this.tunnel) : new Map<string, Want>();
    if (svc && wants.size > 0) this.services.set(key, { service: svc, wants });
    else this.services.delete(key);
    const affected = new Set<string>();
    for (const id of before?.wants.keys() ?? []) {
      if (wants.has(id)) continue;
      const claimants = this.claims.get(id);
      claimants?.delete(key);
      if (claimants?.size === 0) this.claims.delete(id);
      affected.add(id);
    }
    for (const id of wants.keys()) {
      let claimants = this.claims.get(id);
      if (!claimants) this.claims.set(id, (claimants = new Set()));
      claimants.add(key);
      affected.add(id);
    }
    for (const id of affected) this.settle(id);
  }

  /** The Service a host port belongs to now, if any wants it. */
  private holder(id: string): { key: string; want: Want } | undefined {
    let best: ServiceState | undefined;
    let bestKey: string | undefined;
    for (const key of this.claims.get(id) ?? []) {
      const state = this.services.get(key);
      if (state && (!best || holdsBefore(state.service, best.service))) {
        best = state;
        bestKey = key;
      }
    }
    const want = best?.wants.get(id);
    return bestKey !== undefined && want ? { key: bestKey, want } : undefined;
  }

  /**
   * Brings one host port in line: closed when no Service wants it (or another Service took
   * it over), listening when its holder's rules accept connections, paused while they reject
   * every one.
   */
  private settle(id: string): void {
    if (this.closed) return;
    const holder = this.holder(id);
    const existing = this.listeners.get(id);
    if (existing && (!holder || existing.serviceKey !== holder.key)) this.closeListener(id, existing);
    if (!holder) return;
    const { port, purpose } = holder.want;
    const current = this.listeners.get(id);
    const refused = this.opts.refuses?.(port) ?? false;
    if (!current) {
      if (refused) this.listeners.set(id, { port, purpose, serviceKey: holder.key, server: createServer(), state: 'paused' });
      else this.openListener(id, port, purpose, holder.key);
    } else if (current.state === 'paused' && !refused) {
      this.openListener(id, port, purpose, holder.key);
    } else if ((current.state === 'open' || current.state === 'opening') && refused) {
      current.server.close();
      current.state = 'paused';
    }
  }

  /**
   * Re-checks listeners against the rules soon, coalescing bursts of rule changes: those of
   * the given Services (keys as kube-proxy's change listener reports them), or all of them.
   * Only ports that are listening or paused can change: a port nobody wants stays closed.
   */
  refresh(services?: readonly string[]): void {
    if (this.closed) return;
    if (!services) this.refreshAll = true;
    else if (!this.refreshAll) for (const key of services) this.refreshKeys.add(key);
    if (this.refreshQueued) return;
    this.refreshQueued = true;
    setImmediate(() => {
      this.refreshQueued = false;
      const ids = new Set<string>();
      if (this.refreshAll) {
        for (const id of this.listeners.keys()) ids.add(id);
      } else {
        // A tunnel port and a NodePort with the same number answer the same packets, so a
        // change to either Service's rules re-checks both.
        for (const key of this.refreshKeys) {
          for (const want of this.services.get(key)?.wants.values() ?? []) {
            for (const id of [`nodePort/${want.port}`, `tunnel/${want.port}`]) if (this.listeners.has(id)) ids.add(id);
          }
        }
      }
      this.refreshAll = false;
      this.refreshKeys.clear();
      for (const id of ids) this.settle(id);
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
