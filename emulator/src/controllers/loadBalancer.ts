// LoadBalancer Services on a laptop, as on minikube: without a tunnel nothing assigns an
// external address and kubectl shows `<pending>`; with the tunnel on, every LoadBalancer Service
// gets 127.0.0.1 (the emulator's NodePort listeners answer there). A Service that stops being a
// LoadBalancer loses the address.

import { objectKey, splitKey, deepEqual } from '../api/objects';
import { R } from '../api/resources';
import type { LoadBalancerIngress, Service } from '../api/types';
import { QueueController, type ControllerContext, type Watch } from './controller';

export interface LoadBalancerControllerOptions extends ControllerContext {
  tunnel?: boolean;
  /** The address the tunnel hands out. */
  ingressIP?: string;
}

export class LoadBalancerController extends QueueController {
  private tunnel: boolean;
  private readonly ingressIP: string;

  constructor(opts: LoadBalancerControllerOptions) {
    super('service-lb-controller', opts);
    this.tunnel = opts.tunnel ?? false;
    this.ingressIP = opts.ingressIP ?? '127.0.0.1';
  }

  /** Turns the tunnel on or off at run time (`minikube tunnel` started or stopped). */
  setTunnel(on: boolean): void {
    if (this.tunnel === on) return;
    this.tunnel = on;
    for (const key of this.initialKeys()) this.queue.add(key);
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
    const ingress: LoadBalancerIngress[] = isLB && this.tunnel ? [{ ip: this.ingressIP, ipMode: 'VIP' }] : [];
    const current = svc.status?.loadBalancer?.ingress ?? [];
    if (deepEqual(current, ingress)) return;
    const status = { ...(svc.status ?? {}), loadBalancer: ingress.length ? { ingress } : {} };
    this.client.updateStatus(R.services, { ...svc, status });
  }
}
