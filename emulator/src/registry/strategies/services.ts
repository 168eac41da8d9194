// The Service write path, in kube-apiserver's order (pkg/registry/core/service/storage):
// defaulting, then BeginCreate/BeginUpdate (normalise clusterIPs, IP family defaults and
// pre-validation, ClusterIP and NodePort allocation — each of which can reject the write on its
// own), then validation. Allocation errors therefore come back before validation errors, and
// a failed write gives back everything it allocated (ARCHITECTURE invariant 4).

import { invalid, type FieldError } from '../../../../server/src/validation/fieldErrors';
import type { Service } from '../../../../server/src/validation/kubeTypes';
import { defaultService } from '../../../../server/src/validation/serviceDefaults';
import {
  dropTypeDependentFields,
  initIPFamilyFields,
  normalizeClusterIPs,
  patchAllocatedValues,
} from '../../../../server/src/validation/serviceRegistry';
import {
  validateServiceCreate,
  validateServiceStatusUpdate,
  validateServiceUpdate,
} from '../../../../server/src/validation/serviceValidation';
import { serviceWarnings } from '../../../../server/src/validation/serviceWarnings';
import { internalError } from '../../api/errors';
import { deepEqual } from '../../api/objects';
import { R } from '../../api/resources';
import type { KubeObject } from '../../api/types';
import { AllocationError } from '../allocators/allocationError';
import {
  ClusterIPAllocator,
  formatClusterIPAllocationFailure,
  formatNextClusterIPFailure,
} from '../allocators/clusterIPAllocator';
import { formatNextNodePortFailure, NodePortAllocator } from '../allocators/nodePortAllocator';
import { AllocationFieldErrors } from '../registry';
import type { Rollback, Strategy, StrategyContext } from '../strategy';

export interface ServiceStrategyOptions {
  serviceCIDR: string;
  nodePortBase: number;
  nodePortSize: number;
  rand?: () => number;
  log?: (message: string) => void;
}

function clusterIPsOf(svc: Service): string[] {
  return (svc.spec.clusterIPs ?? (svc.spec.clusterIP ? [svc.spec.clusterIP] : [])).filter((ip) => ip && ip !== 'None');
}

function nodePortsOf(svc: Service): number[] {
  const ports = new Set<number>();
  for (const p of svc.spec.ports ?? []) if (p.nodePort) ports.add(p.nodePort);
  if (svc.spec.healthCheckNodePort) ports.add(svc.spec.healthCheckNodePort);
  return [...ports];
}

function needsNodePorts(svc: Service): boolean {
  const t = svc.spec.type;
  return t === 'NodePort' || (t === 'LoadBalancer' && svc.spec.allocateLoadBalancerNodePorts !== false);
}

function needsHealthCheckPort(svc: Service): boolean {
  return svc.spec.type === 'LoadBalancer' && svc.spec.externalTrafficPolicy === 'Local';
}

export class ServiceStrategy implements Strategy {
  readonly hasStatus = true;
  readonly clusterIPs: ClusterIPAllocator;
  readonly nodePorts: NodePortAllocator;

  constructor(private readonly opts: ServiceStrategyOptions) {
    this.clusterIPs = new ClusterIPAllocator({ cidr: opts.serviceCIDR, rand: opts.rand });
    this.nodePorts = new NodePortAllocator({ base: opts.nodePortBase, size: opts.nodePortSize, rand: opts.rand });
  }

  /** Marks what stored Services hold as taken, at startup. */
  restore(ctx: StrategyContext): void {
    const services = ctx.store.list(R.services) as Service[];
    const ipResult = this.clusterIPs.restore(services.flatMap(clusterIPsOf));
    const portResult = this.nodePorts.restore(services.flatMap(nodePortsOf));
    const log = this.opts.log ?? (() => undefined);
    for (const ip of ipResult.notInRange) log(`warning: a stored Service holds ClusterIP ${ip}, outside ${this.clusterIPs.cidrText}`);
    for (const ip of ipResult.duplicates) log(`warning: more than one stored Service holds ClusterIP ${ip}`);
    for (const p of portResult.notInRange) log(`warning: a stored Service holds nodePort ${p}, outside ${this.nodePorts.rangeText}`);
    for (const p of portResult.duplicates) log(`warning: more than one stored Service holds nodePort ${p}`);
  }

  default(obj: KubeObject): KubeObject {
    const svc = obj as Service;
    svc.spec = svc.spec && typeof svc.spec === 'object' ? svc.spec : {};
    return defaultService(svc);
  }

  prepareForCreate(obj: KubeObject): void {
    obj.status = { loadBalancer: {} };
  }

  prepareForUpdate(obj: KubeObject, old: KubeObject): void {
    obj.status = old.status;
  }

  allocate(obj: KubeObject, old: KubeObject | undefined): Rollback | void {
    const svc = obj as Service;
    const prev = old as Service | undefined;
    let working = prev ? normalizeClusterIPs(patchAllocatedValues(svc, prev), prev) : normalizeClusterIPs(svc);
    const familyErrors = initIPFamilyFields(working, prev, { families: ['IPv4'] });
    if (familyErrors.length) throw new AllocationFieldErrors(familyErrors);
    const taken: { ips: string[]; ports: number[] } = { ips: [], ports: [] };
    const rollback = (): void => {
      for (const ip of taken.ips) this.clusterIPs.release(ip);
      for (const p of taken.ports) this.nodePorts.release(p);
    };
    try {
      this.allocateClusterIPs(working, prev, taken);
      this.allocateNodePorts(working, prev, taken);
    } catch (err) {
      rollback();
      throw err;
    }
    if (prev) working = dropTypeDependentFields(working, prev);
    // The registry keeps working on `obj`; copy the allocated result into it.
    for (const k of Object.keys(svc)) delete (svc as Record<string, unknown>)[k];
    Object.assign(svc, working);
    return rollback;
  }

  validate(obj: KubeObject): FieldError[] {
    return validateServiceCreate(obj as Service);
  }

  validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
    if (deepEqual(obj.spec, old.spec) && !deepEqual(obj.status, old.status)) {
      return validateServiceStatusUpdate(obj as Service, old as Service);
    }
    return validateServiceUpdate(obj as Service, old as Service);
  }

  warnings(obj: KubeObject, old: KubeObject | undefined): string[] {
    return serviceWarnings(obj as Service, old as Service | undefined);
  }

  /** After an update is stored, what the old version held and the new one does not is freed. */
  afterUpdate(obj: KubeObject, old: KubeObject): void {
    const now = obj as Service;
    const before = old as Service;
    const keepIPs = new Set(clusterIPsOf(now));
    for (const ip of clusterIPsOf(before)) if (!keepIPs.has(ip)) this.clusterIPs.release(ip);
    const keepPorts = new Set(nodePortsOf(now));
    for (const p of nodePortsOf(before)) if (!keepPorts.has(p)) this.nodePorts.release(p);
  }

  release(obj: KubeObject): void {
    const svc = obj as Service;
    for (const ip of clusterIPsOf(svc)) this.clusterIPs.release(ip);
    for (const p of nodePortsOf(svc)) this.nodePorts.release(p);
  }

  private allocateClusterIPs(svc: Service, old: Service | undefined, taken: { ips: string[] }): void {
    const spec = svc.spec;
    if (spec.type === 'ExternalName') return;
    if (spec.clusterIP === 'None' || spec.clusterIPs?.[0] === 'None') return;
    const held = new Set(old ? clusterIPsOf(old) : []);
    const requested = spec.clusterIPs ?? [];
    if (requested.length === 0) {
      try {
        const ip = this.clusterIPs.allocateNext();
        taken.ips.push(ip);
        spec.clusterIPs = [ip];
        spec.clusterIP = ip;
      } catch (err) {
        if (err instanceof AllocationError) throw internalError(formatNextClusterIPFailure(err));
        throw err;
      }
      return;
    }
    for (const ip of requested) {
      if (held.has(ip)) continue;
      try {
        this.clusterIPs.allocate(ip);
        taken.ips.push(ip);
      } catch (err) {
        if (err instanceof AllocationError) {
          throw new AllocationFieldErrors([invalid('spec.clusterIPs', requested, formatClusterIPAllocationFailure(ip, err))]);
        }
        throw err;
      }
    }
    spec.clusterIP = requested[0];
  }

  private allocateNodePorts(svc: Service, old: Service | undefined, taken: { ports: number[] }): void {
    const spec = svc.spec;
    const held = new Set(old ? nodePortsOf(old) : []);
    const errs: FieldError[] = [];
    // Ports that share a port number (53/TCP and 53/UDP) share one nodePort.
    const byPortNumber = new Map<number, number>();
    const wantAll = needsNodePorts(svc);
    (spec.ports ?? []).forEach((p, i) => {
      if (p.nodePort) {
        if (!wantAll && spec.type !== 'LoadBalancer') return;
        const shared = byPortNumber.get(p.port);
        if (shared === p.nodePort || held.has(p.nodePort)) {
          byPortNumber.set(p.port, p.nodePort);
          return;
        }
        try {
          this.nodePorts.allocate(p.nodePort);
          taken.ports.push(p.nodePort);
          byPortNumber.set(p.port, p.nodePort);
        } catch (err) {
          if (!(err instanceof AllocationError)) throw err;
          errs.push(invalid(`spec.ports[${i}].nodePort`, p.nodePort, err.message));
        }
      } else if (wantAll) {
        const shared = byPortNumber.get(p.port);
        if (shared) {
          p.nodePort = shared;
          return;
        }
        try {
          p.nodePort = this.nodePorts.allocateNext();
          taken.ports.push(p.nodePort);
          byPortNumber.set(p.port, p.nodePort);
        } catch (err) {
          if (err instanceof AllocationError) throw internalError(formatNextNodePortFailure(err));
          throw err;
        }
      }
    });
    if (errs.length) throw new AllocationFieldErrors(errs);
    if (needsHealthCheckPort(svc)) {
      const hc = spec.healthCheckNodePort;
      if (hc && !held.has(hc)) {
        try {
          this.nodePorts.allocate(hc);
          taken.ports.push(hc);
        } catch (err) {
          if (err instanceof AllocationError) {
            throw internalError(`failed to allocate requested HealthCheck NodePort ${hc}: ${err.message}`);
          }
          throw err;
        }
      } else if (!hc) {
        try {
          spec.healthCheckNodePort = this.nodePorts.allocateNext();
          taken.ports.push(spec.healthCheckNodePort);
        } catch (err) {
          if (err instanceof AllocationError) throw internalError(`failed to allocate a HealthCheck NodePort ${err.message}`);
          throw err;
        }
      }
    }
  }
}

