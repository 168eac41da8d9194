// The pure steps of the Service registry (pkg/registry/core/service/storage and strategy.go)
// that run around allocation. The emulator's write path calls them in the apiserver's order:
//   create: defaultService → normalizeClusterIPs → initIPFamilyFields → allocate →
//           clear status → validateServiceCreate
//   update: defaultService → patchAllocatedValues → normalizeClusterIPs → initIPFamilyFields →
//           allocate → status := old status → dropTypeDependentFields → validateServiceUpdate
// normalizeClusterIPs, patchAllocatedValues and dropTypeDependentFields return a new object and
// leave their arguments alone; initIPFamilyFields fills fields in place, like the allocator does.

import type { Service } from './kubeTypes';
import { type FieldError, invalid } from './fieldErrors';
import { ipFamilyOf } from './ipAddresses';
import { cloneService } from './serviceDefaults';
import { externallyAccessible, needsHealthCheck, validateClusterIPsRelatedFields, type ServiceValidationOptions } from './serviceValidation';

export type IPFamily = 'IPv4' | 'IPv6';

/** The Service CIDR families the cluster serves, primary first (from --service-cluster-ip-range). */
export interface ClusterIPFamilies {
  families: IPFamily[];
}

function sameList(a: readonly string[] | null | undefined, b: readonly string[] | null | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

function needsClusterIP(svc: Service): boolean {
  return svc.spec?.type !== 'ExternalName';
}

function needsNodePort(svc: Service): boolean {
  return svc.spec?.type === 'NodePort' || svc.spec?.type === 'LoadBalancer';
}

/**
 * Keeps clusterIP and clusterIPs in step. On create an old client that set only clusterIP gets
 * clusterIPs = [clusterIP]; on update, clearing or changing only the singular field carries
 * over to the plural one. Returns a new object.
 */
export function normalizeClusterIPs(svc: Service, old?: Service): Service {
  const out = cloneService(svc);
  const spec = out.spec;
  if (!old) {
    if (spec.clusterIP && (spec.clusterIPs ?? []).length === 0) spec.clusterIPs = [spec.clusterIP];
    return out;
  }
  const oldIPs = old.spec?.clusterIPs ?? [];
  const oldIP = old.spec?.clusterIP ?? '';
  if (oldIPs.length > 0 && (spec.clusterIPs ?? []).length === 0 && oldIP === (spec.clusterIP ?? '')) {
    spec.clusterIPs = [...oldIPs];
  }
  if (oldIP !== (spec.clusterIP ?? '')) {
    const unchangedPlural = sameList(oldIPs, spec.clusterIPs);
    if (oldIP.length > 0 && !spec.clusterIP) {
      if (unchangedPlural) delete spec.clusterIPs;
    } else if (unchangedPlural) {
      spec.clusterIPs = [spec.clusterIP ?? ''];
    }
  }
  return out;
}

/**
 * Copies values the apiserver allocated on the user's behalf into an update that omits them, so
 * re-applying the original manifest works: clusterIP(s), nodePorts matched by port name (unless
 * the old value is already used by a port of the new object) and the healthCheckNodePort.
 * Returns a new object.
 */
export function patchAllocatedValues(svc: Service, old: Service): Service {
  const out = cloneService(svc);
  const spec = out.spec;
  if (needsClusterIP(old) && needsClusterIP(out)) {
    if (!spec.clusterIP) {
      if (old.spec?.clusterIP) spec.clusterIP = old.spec.clusterIP;
      else delete spec.clusterIP;
    }
    if ((spec.clusterIPs ?? []).length === 0 && (old.spec?.clusterIPs ?? []).length > 0) spec.clusterIPs = [...(old.spec?.clusterIPs ?? [])];
  }
  if (needsNodePort(old) && needsNodePort(out)) {
    const used = (s: Service): Set<number> => new Set((s.spec?.ports ?? []).map((p) => p.nodePort ?? 0).filter((n) => n !== 0));
    const newUsed = used(out);
    const inBoth = new Set([...used(old)].filter((n) => newUsed.has(n)));
    const byName = new Map<string, number>();
    for (const p of old.spec?.ports ?? []) byName.set(p.name ?? '', p.nodePort ?? 0);
    for (const p of spec.ports ?? []) {
      if ((p.nodePort ?? 0) !== 0) continue;
      const oldVal = byName.get(p.name ?? '') ?? 0;
      if (!inBoth.has(oldVal) && oldVal !== 0) p.nodePort = oldVal;
    }
  }
  if (needsHealthCheck(old) && needsHealthCheck(out) && (spec.healthCheckNodePort ?? 0) === 0 && old.spec?.healthCheckNodePort) {
    spec.healthCheckNodePort = old.spec.healthCheckNodePort;
  }
  return out;
}

/**
 * PrepareForUpdate's dropTypeDependentFields: when the type change makes a field meaningless,
 * clear it, but only if the user left it as it was (a changed value is theirs to have rejected
 * by validation). Also resets status.loadBalancer for non-LoadBalancer Services. Returns a new object.
 */
export function dropTypeDependentFields(svc: Service, old: Service): Service {
  const out = cloneService(svc);
  const spec = out.spec;
  const o = old.spec ?? {};
  if (needsClusterIP(old) && !needsClusterIP(out)) {
    if ((o.clusterIP ?? '') === (spec.clusterIP ?? '') && sameList(o.clusterIPs, spec.clusterIPs)) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (sameList(o.ipFamilies, spec.ipFamilies) && (o.ipFamilies === undefined) === (spec.ipFamilies === undefined)) delete spec.ipFamilies;
    if ((o.ipFamilyPolicy ?? '') === (spec.ipFamilyPolicy ?? '')) delete spec.ipFamilyPolicy;
  }
  if (needsNodePort(old) && !needsNodePort(out)) {
    const oldPorts = new Set((o.ports ?? []).map((p) => p.nodePort ?? 0).filter((n) => n !== 0));
    const noNewPorts = (spec.ports ?? []).every((p) => (p.nodePort ?? 0) === 0 || oldPorts.has(p.nodePort ?? 0));
    if (noNewPorts) for (const p of spec.ports ?? []) delete p.nodePort;
  }
  if (needsHealthCheck(old) && !needsHealthCheck(out) && (o.healthCheckNodePort ?? 0) === (spec.healthCheckNodePort ?? 0)) {
    delete spec.healthCheckNodePort;
  }
  if (o.type === 'LoadBalancer' && spec.type !== 'LoadBalancer') {
    if (typeof spec.allocateLoadBalancerNodePorts === 'boolean' && typeof o.allocateLoadBalancerNodePorts === 'boolean' && spec.allocateLoadBalancerNodePorts === o.allocateLoadBalancerNodePorts) {
      delete spec.allocateLoadBalancerNodePorts;
    }
    if ((o.loadBalancerClass ?? null) === (spec.loadBalancerClass ?? null)) delete spec.loadBalancerClass;
  }
  if (externallyAccessible(old) && !externallyAccessible(out) && (o.externalTrafficPolicy ?? '') === (spec.externalTrafficPolicy ?? '')) {
    delete spec.externalTrafficPolicy;
  }
  if (spec.type !== 'LoadBalancer' && out.status) out.status.loadBalancer = {};
  return out;
}

function isMatchingPreferDualStack(svc: Service, old: Service | undefined): boolean {
  if (!old) return false;
  const s = svc.spec ?? {};
  const o = old.spec ?? {};
  if (s.ipFamilyPolicy === undefined || s.ipFamilyPolicy === null) return false;
  if (o.type !== s.type) return false;
  if (s.type !== 'ClusterIP' && s.type !== 'NodePort' && s.type !== 'LoadBalancer') return false;
  if (s.ipFamilyPolicy !== 'PreferDualStack') return false;
  if (o.ipFamilyPolicy !== undefined && o.ipFamilyPolicy !== null && o.ipFamilyPolicy !== 'PreferDualStack') return false;
  return sameList(o.clusterIPs, s.clusterIPs) && sameList(o.ipFamilies, s.ipFamilies);
}

function otherFamily(f: string): IPFamily {
  return f === 'IPv4' ? 'IPv6' : 'IPv4';
}

/**
 * The allocator's initIPFamilyFields (§9.2, §10.3), run before any IP is allocated. It defaults
 * ipFamilyPolicy and ipFamilies in place on `svc`, runs validateClusterIPsRelatedFields as a
 * pre-validation, and checks the requested families against the cluster's. A non-empty result is
 * what the apiserver answers with (422) instead of allocating; `svc` may then be half-filled.
 */
export function initIPFamilyFields(svc: Service, old: Service | undefined, cluster: ClusterIPFamilies, opts: ServiceValidationOptions = {}): FieldError[] {
  const spec = svc.spec;
  if (spec.type === 'ExternalName') return [];
  if (isMatchingPreferDualStack(svc, old)) return [];
  const configured = new Set<string>(cluster.families);
  const primary: IPFamily = cluster.families[0] ?? 'IPv4';
  const selectorless = Object.keys(spec.selector ?? {}).length === 0;

  if (spec.ipFamilyPolicy === undefined || spec.ipFamilyPolicy === null) {
    if (old && old.spec?.ipFamilyPolicy) spec.ipFamilyPolicy = old.spec.ipFamilyPolicy;
    else if (spec.clusterIP === 'None' && selectorless) spec.ipFamilyPolicy = 'RequireDualStack';
    else spec.ipFamilyPolicy = 'SingleStack';
  }

  const pre = validateClusterIPsRelatedFields(svc, old, opts);
  if (pre.length > 0) return pre;

  const errs: FieldError[] = [];
  const policy = spec.ipFamilyPolicy;
  if (old) {
    if (policy === 'SingleStack') {
      if (sameList(old.spec?.clusterIPs, spec.clusterIPs) && (spec.clusterIPs ?? []).length > 1) spec.clusterIPs = (spec.clusterIPs ?? []).slice(0, 1);
      if (sameList(old.spec?.ipFamilies, spec.ipFamilies) && (spec.ipFamilies ?? []).length > 1) spec.ipFamilies = (spec.ipFamilies ?? []).slice(0, 1);
    } else {
      const newIPs = spec.clusterIPs ?? [];
      const newFams = spec.ipFamilies ?? [];
      if (newIPs.length > 0 && newIPs.length < (old.spec?.clusterIPs ?? []).length) {
        errs.push(invalid('spec.ipFamilyPolicy', policy, "must be 'SingleStack' to release the secondary cluster IP"));
      }
      if (newFams.length > 0 && newFams.length < (old.spec?.ipFamilies ?? []).length) {
        errs.push(invalid('spec.ipFamilyPolicy', policy, "must be 'SingleStack' to release the secondary IP family"));
      }
    }
  }
  if (policy === 'SingleStack') {
    if ((spec.clusterIPs ?? []).length === 2) {
      errs.push(invalid('spec.ipFamilyPolicy', policy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified"));
    }
    if ((spec.ipFamilies ?? []).length === 2) {
      errs.push(invalid('spec.ipFamilyPolicy', policy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"));
    }
  }

  const clusterIPs = spec.clusterIPs ?? [];
  for (let i = 0; i < clusterIPs.length; i++) {
    const ip = clusterIPs[i] ?? '';
    if (ip === 'None') break;
    const fam = ipFamilyOf(ip) ?? 'unknown';
    if (i >= (spec.ipFamilies ?? []).length) {
      if (!configured.has(fam)) errs.push(invalid(`spec.clusterIPs[${i}]`, clusterIPs, `${fam} is not configured on this cluster`));
      else spec.ipFamilies = [...(spec.ipFamilies ?? []), fam];
    }
  }
  if (errs.length > 0) return errs;

  if (spec.clusterIP === 'None' && selectorless) {
    if ((spec.ipFamilies ?? []).length === 0) spec.ipFamilies = [primary];
    const fams = spec.ipFamilies ?? [];
    if (fams.length < 2 && spec.ipFamilyPolicy !== 'SingleStack') spec.ipFamilies = [...fams, otherFamily(fams[0] ?? primary)];
    return [];
  }

  if (spec.ipFamilyPolicy === 'RequireDualStack' && cluster.families.length < 2) {
    errs.push(invalid('spec.ipFamilyPolicy', spec.ipFamilyPolicy, 'this cluster is not configured for dual-stack services'));
  }
  (spec.ipFamilies ?? []).forEach((fam, i) => {
    if (!configured.has(fam)) errs.push(invalid(`spec.ipFamilies[${i}]`, fam, 'not configured on this cluster'));
  });
  if (errs.length > 0) return errs;

  if ((spec.ipFamilies ?? []).length === 0) spec.ipFamilies = [primary];
  const fams = spec.ipFamilies ?? [];
  if (spec.ipFamilyPolicy !== 'SingleStack' && fams.length === 1 && cluster.families.length === 2) {
    spec.ipFamilies = [...fams, otherFamily(fams[0] ?? primary)];
  }
  return [];
}
