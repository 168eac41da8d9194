// LoadBalancer Services on a laptop, as on minikube: without a tunnel nothing assigns an
// external address and kubectl shows `<pending>`; with the tunnel on, a LoadBalancer Service
// gets 127.0.0.1 once the tunnel listens on its ports there. When a port cannot be opened (in
// use, or privileged) the Service stays `<pending>` and a Warning Event says why. A Service
// that stops being a LoadBalancer loses the address.

import { objectKey, splitKey, deepEqual } from '../api/objects';
import { R } from '../api/resources';
import type { LoadBalancerIngress, Service } from '../api/types';
import { QueueController, type ControllerContext, type Watch } from './controller';
import { EventRecorder } from './events';

/** Where the tunnel's listeners for one Service stand (see proxy/hostListeners.ts). */
export type TunnelState = { state: 'open' } | { state: 'opening' } | { state: 'failed'; message: string };

export interface LoadBalancerControllerOptions extends ControllerContext {
  tunnel?: boolean;
  /** The address the tunnel hands out. */
  ingressIP?: string;
  /**
   * The tunnel's listener state per Service key. Without it, the address is handed out as soon
   * as the tunnel is on (unit tests, and clusters whose traffic nobody serves).
   */
  tunnelState?: (serviceKey: string) => TunnelState | undefined;
  events?: EventRecorder;
}

export const TUNNEL_FAILED_REASON = 'TunnelPortUnavailable';

export class LoadBalancerController extends QueueController {
  private tunnel: boolean;
  private readonly ingressIP: string;
  private readonly tunnelState?: (serviceKey: string) => TunnelState | undefined;
  private readonly events: EventRecorder;

  constructor(opts: LoadBalancerControllerOptions) {
    super('service-lb-controller', opts);
    this.tunnel = opts.tunnel ?? false;
    this.ingressIP = opts.ingressIP ?? '127.0.0.1';
    this.tunnelState = opts.tunnelState;
    this.events =
      opts.events ?? new EventRecorder({ client: opts.client, clock: opts.clock, source: { component: 'ksl-tunnel' }, log: opts.log });
  }

  /** Turns the tunnel on or off at run time (`minikube tunnel` started or stopped). */
  setTunnel(on: boolean): void {
    if (this.tunnel === on) return;
    this.tunnel = on;
    for (const key of this.initialKeys()) this.queue.add(key);
  }

  /** Re-examines one Service, e.g. when its tunnel listener opened or failed. */
  requeue(serviceKey: string): void {
    this.queue.add(serviceKey);
  }

  protected watches(): Watch[] {
    return [{ resource: R.services, keys: (e) => [objectKey(e.object)] }];
  }

  protected initialKeys(): string[] {
    return this.client.list(R.services).map(objectKey);
  }

  sync(key: string): void {
    const { namespace, name } = splitKey(key);
    const svc = this.client.get<Service>(R.services, namespace, name);
    if (!svc) return;
    const isLB = svc.spec.type === 'LoadBalancer';
    // A Service that names another load-balancer implementation is not ours to serve.
    if (isLB && svc.spec.loadBalancerClass) return;
    let ingress: LoadBalancerIngress[] = [];
    if (isLB && this.tunnel) {
      const state = this.tunnelState?.(key) ?? { state: 'open' };
      if (state.state === 'opening') return;
      if (state.state === 'failed') this.events.warning(svc, TUNNEL_FAILED_REASON, `tunnel cannot serve this Service: ${state.message}`);
      else ingress = [{ ip: this.ingressIP, ipMode: 'VIP' }];
    }
    const current = svc.status?.loadBalancer?.ingress ?? [];
    if (deepEqual(current, ingress)) return;
    const status = { ...(svc.status ?? {}), loadBalancer: ingress.length ? { ingress } : {} };
    this.client.updateStatus(R.services, { ...svc, status });
  }
}
