// Starts every controller of the emulator's kube-controller-manager, scheduler and kubelet, and
// registers the graceful-deletion hooks they rely on (pods terminate, namespaces finalize).

import { R } from '../api/resources';
import type { Clock } from '../clock';
import type { Registry } from '../registry/registry';
import type { ClusterClient } from './clusterClient';
import type { Controller, ControllerContext } from './controller';
import { DeploymentController } from './deployment';
import { EndpointsController } from './endpoints';
import { EndpointSliceController } from './endpointSlices';
import { GarbageCollector } from './garbageCollector';
import { LoadBalancerController, type TunnelState } from './loadBalancer';
import { NamespaceController, namespaceGracefulDeleter } from './namespace';
import { podGracefulDeleter, PodLifecycleController, type PodLifecycleOptions } from './podLifecycle';
import { ReplicaSetController } from './replicaSet';

export interface ControllerOptions extends PodLifecycleOptions {
  /** Whether LoadBalancer Services get 127.0.0.1 (`minikube tunnel`). */
  tunnel?: boolean;
  /** The tunnel listeners' state per Service, so the address is handed out only once they listen. */
  tunnelState?: (serviceKey: string) => TunnelState | undefined;
}

export interface StartControllersArgs {
  client: ClusterClient;
  registry: Registry;
  clock: Clock;
  options?: ControllerOptions;
  log?: (message: string) => void;
  /** How queues run: setImmediate by default; `null` runs them only inside `drain()` (tests). */
  schedule?: ((run: () => void) => void) | null;
}

export interface RunningControllers {
  stop(): void;
  /** Processes every queue synchronously until all are empty (work that is not yet due stays queued on the clock). */
  drain(): void;
  readonly controllers: readonly Controller[];
  readonly podLifecycle: PodLifecycleController;
  readonly loadBalancer: LoadBalancerController;
}

/** A guard against two controllers that keep undoing each other's writes. */
const MAX_DRAIN_ROUNDS = 10_000;

export function startControllers(args: StartControllersArgs): RunningControllers {
  const { client, registry, clock } = args;
  const options = args.options ?? {};
  const ctx: ControllerContext = { client, clock, log: args.log, schedule: args.schedule };
  registry.setGracefulDeleter(R.pods, podGracefulDeleter(clock));
  registry.setGracefulDeleter(R.namespaces, namespaceGracefulDeleter(clock));

  const podLifecycle = new PodLifecycleController({ ...ctx, ...options });
  const loadBalancer = new LoadBalancerController({ ...ctx, tunnel: options.tunnel, tunnelState: options.tunnelState });
  const controllers: Controller[] = [
    new GarbageCollector(ctx),
    new NamespaceController(ctx),
    new DeploymentController(ctx),
    new ReplicaSetController(ctx),
    podLifecycle,
    new EndpointsController(ctx),
    new EndpointSliceController(ctx),
    loadBalancer,
  ];
  for (const c of controllers) c.start();

  return {
    controllers,
    podLifecycle,
    loadBalancer,
    stop() {
      for (const c of controllers) c.stop();
    },
    drain() {
      for (let round = 0; round < MAX_DRAIN_ROUNDS; round++) {
        let ran = 0;
        for (const c of controllers) ran += c.drain();
        if (ran === 0) return;
      }
      args.log?.(`controllers: queues still busy after ${MAX_DRAIN_ROUNDS} rounds; giving up this drain`);
    },
  };
}
