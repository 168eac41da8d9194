// ValidateServiceCreate / ValidateServiceUpdate from pkg/apis/core/validation (v1.35, default
// feature gates), check for check in source order. These run on the object the registry has
// already defaulted (defaultService) and allocated (clusterIPs filled for everything except
// headless and ExternalName Services), which is why fields the scheme always defaults show up
// here as plain Required errors.

import type { LoadBalancerIngress, Service, ServicePort } from './kubeTypes';
import { appendAll, type FieldError, duplicate, forbidden, invalid, notSupported, required } from './fieldErrors';
import { isDns1123Label, isDns1123Subdomain, isQualifiedName, isValidPortName, isValidPortNum } from './content';
import { ipFamilyOf, isDualStackIPs, parseIP, validateCIDRForLegacyField, validateIPForLegacyField, validateNonSpecialIP } from './ipAddresses';
import {
  FIELD_IMMUTABLE,
  child,
  index,
  key,
  nameIsDns1035Label,
  nameIsDnsLabel,
  validateLabels,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from './objectMeta';

/** Feature gates that change Service validation; every field defaults to the v1.35 default. */
export interface ServiceValidationOptions {
  /** RelaxedServiceNameValidation (KEP-5311): names are RFC 1123 labels on create. Alpha, off in v1.35. */
  relaxedServiceNameValidation?: boolean;
  /** StrictIPCIDRValidation (KEP-4858): reject leading zeros, IPv4-mapped IPv6 and host bits. Alpha, off in v1.35. */
  strictIPCIDRValidation?: boolean;
  /** PreferSameTrafficDistribution: allows PreferSameZone and PreferSameNode. GA and on in v1.35. */
  preferSameTrafficDistribution?: boolean;
}

export const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'] as const;
export const TOPOLOGY_MODE_ANNOTATION = 'service.kubernetes.io/topology-mode';
export const TOPOLOGY_AWARE_HINTS_ANNOTATION = 'service.kubernetes.io/topology-aware-hints';
export const LB_SOURCE_RANGES_ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges';
const MAX_CLIENT_IP_AFFINITY_SECONDS = 86400;
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const POLICIES = ['Cluster', 'Local'];

/** Headless means the plural field holds exactly "None" (after the registry's normalisation). */
export function isHeadlessService(svc: Service): boolean {
  const ips = svc.spec?.clusterIPs ?? [];
  return ips.length === 1 && ips[0] === 'None';
}

/** LoadBalancer, NodePort, or ClusterIP with externalIPs: the Services externalTrafficPolicy applies to. */
export function externallyAccessible(svc: Service): boolean {
  const t = svc.spec?.type;
  return t === 'LoadBalancer' || t === 'NodePort' || (t === 'ClusterIP' && (svc.spec?.externalIPs ?? []).length > 0);
}

/** A LoadBalancer with externalTrafficPolicy Local needs a healthCheckNodePort. */
export function needsHealthCheck(svc: Service): boolean {
  return svc.spec?.type === 'LoadBalancer' && svc.spec?.externalTrafficPolicy === 'Local';
}

function isNil(v: unknown): v is null | undefined {
  return v === null || v === undefined;
}

/** IsValidIPForLegacyField with ratcheting: values already stored on the old object skip the strict checks. */
function legacyIP(path: string, value: string, existing: readonly string[] | undefined, opts: ServiceValidationOptions): FieldError[] {
  const strict = !!opts.strictIPCIDRValidation && !(existing ?? []).includes(value);
  return validateIPForLegacyField(path, value, strict);
}

function legacyCIDR(path: string, value: string, existing: readonly string[] | undefined, opts: ServiceValidationOptions): FieldError[] {
  const strict = !!opts.strictIPCIDRValidation && !(existing ?? []).includes(value);
  return validateCIDRForLegacyField(path, value, strict);
}

/**
 * ValidateServiceClusterIPsRelatedFields: clusterIP/clusterIPs agreement, ipFamilies and
 * ipFamilyPolicy values, IP syntax and dual-stack shape. The allocator runs this before it
 * allocates anything and, if it fails, answers with these errors alone. Skipped for ExternalName.
 */
export function validateClusterIPsRelatedFields(svc: Service, old?: Service, opts: ServiceValidationOptions = {}): FieldError[] {
  const spec = svc.spec ?? {};
  if (spec.type === 'ExternalName') return [];
  const errs: FieldError[] = [];
  const clusterIPsPath = 'spec.clusterIPs';
  const clusterIPs = spec.clusterIPs ?? [];
  const families = spec.ipFamilies ?? [];
  let hasInvalidIPs = false;

  if (spec.clusterIP) {
    if (clusterIPs.length === 0) errs.push(required(clusterIPsPath));
    else if (clusterIPs[0] !== spec.clusterIP) errs.push(invalid(clusterIPsPath, clusterIPs, 'first value must match `clusterIP`'));
  } else if (clusterIPs.length !== 0) {
    errs.push(invalid(clusterIPsPath, clusterIPs, 'must be empty when `clusterIP` is not specified'));
  }

  const seen = new Set<string>();
  families.forEach((fam, i) => {
    if (fam !== 'IPv4' && fam !== 'IPv6') errs.push(notSupported(index('spec.ipFamilies', i), fam, ['IPv4', 'IPv6']));
    if (seen.has(fam)) errs.push(duplicate(index('spec.ipFamilies', i), fam));
    seen.add(fam);
  });

  if (!isNil(spec.ipFamilyPolicy) && !['PreferDualStack', 'RequireDualStack', 'SingleStack'].includes(spec.ipFamilyPolicy)) {
    errs.push(notSupported('spec.ipFamilyPolicy', spec.ipFamilyPolicy, ['PreferDualStack', 'RequireDualStack', 'SingleStack']));
  }

  const existing = old?.spec?.clusterIPs;
  clusterIPs.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (clusterIPs.length > 1) {
        hasInvalidIPs = true;
        errs.push(invalid(clusterIPsPath, clusterIPs, "'None' must be the first and only value"));
      }
      return;
    }
    const ipErrs = legacyIP(index(clusterIPsPath, i), ip, existing, opts);
    if (ipErrs.length > 0) hasInvalidIPs = true;
    errs.push(...ipErrs);
  });

  if (clusterIPs.length > 2) errs.push(invalid(clusterIPsPath, clusterIPs, 'may only hold up to 2 values'));

  // Go stops here because family checks on malformed IPs would only add confusing errors.
  if (hasInvalidIPs) return errs;

  if (clusterIPs.length > 1 && !isDualStackIPs(clusterIPs)) {
    errs.push(invalid(clusterIPsPath, clusterIPs, 'may specify no more than one IP for each IP family'));
  }

  if (!isHeadlessService(svc) && clusterIPs.length > 0 && families.length > 0) {
    clusterIPs.forEach((ip, i) => {
      if (i > families.length - 1) return;
      const isV6 = ipFamilyOf(ip) === 'IPv6';
      if (families[i] === 'IPv4' && isV6) {
        errs.push(invalid(index(clusterIPsPath, i), ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
      }
      if (families[i] === 'IPv6' && !isV6) {
        errs.push(invalid(index(clusterIPsPath, i), ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
      }
    });
  }
  return errs;
}

/** The internal core.ServicePort{Protocol, Port} the duplicate-port error prints (Go field names, zero values). */
function portKeyValue(protocol: string, port: number): Record<string, unknown> {
  return { Name: '', Protocol: protocol, AppProtocol: null, Port: port, TargetPort: 0, NodePort: 0 };
}

function validateServicePort(sp: ServicePort, requireName: boolean, allNames: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = sp.name ?? '';
  if (requireName && name.length === 0) {
    errs.push(required(child(path, 'name')));
  } else if (name.length !== 0) {
    for (const msg of isDns1123Label(name)) errs.push(invalid(child(path, 'name'), name, msg));
    if (allNames.has(name)) errs.push(duplicate(child(path, 'name'), name));
    else allNames.add(name);
  }
  for (const msg of isValidPortNum(sp.port)) errs.push(invalid(child(path, 'port'), sp.port, msg));
  if (!sp.protocol) errs.push(required(child(path, 'protocol')));
  else if (!PROTOCOLS.includes(sp.protocol)) errs.push(notSupported(child(path, 'protocol'), sp.protocol, PROTOCOLS));
  const tp = sp.targetPort ?? 0;
  if (typeof tp === 'number') {
    for (const msg of isValidPortNum(tp)) errs.push(invalid(child(path, 'targetPort'), tp, msg));
  } else {
    for (const msg of isValidPortName(tp)) errs.push(invalid(child(path, 'targetPort'), tp, msg));
  }
  if (!isNil(sp.appProtocol)) {
    for (const msg of isQualifiedName(sp.appProtocol)) errs.push(invalid(child(path, 'appProtocol'), sp.appProtocol, msg));
  }
  return errs;
}

function validateLoadBalancerClassField(old: Service | undefined, svc: Service): FieldError[] {
  const errs: FieldError[] = [];
  const cls = svc.spec?.loadBalancerClass;
  const isLB = svc.spec?.type === 'LoadBalancer';
  if (old && old.spec?.type === 'LoadBalancer' && isLB && (old.spec?.loadBalancerClass ?? null) !== (cls ?? null)) {
    errs.push(invalid('spec.loadBalancerClass', cls ?? null, 'may not change once set'));
  }
  if (isLB) {
    if (!isNil(cls)) for (const msg of isQualifiedName(cls)) errs.push(invalid('spec.loadBalancerClass', cls, msg));
  } else if (!isNil(cls)) {
    errs.push(forbidden('spec.loadBalancerClass', "may only be used when `type` is 'LoadBalancer'"));
  }
  return errs;
}

function validateExternalTrafficPolicy(svc: Service): FieldError[] {
  const errs: FieldError[] = [];
  const etp = svc.spec?.externalTrafficPolicy ?? '';
  if (!externallyAccessible(svc)) {
    if (etp !== '') errs.push(invalid('spec.externalTrafficPolicy', etp, 'may only be set for externally-accessible services'));
  } else if (etp === '') {
    errs.push(required('spec.externalTrafficPolicy'));
  } else if (!POLICIES.includes(etp)) {
    errs.push(notSupported('spec.externalTrafficPolicy', etp, POLICIES));
  }
  const hcnp = svc.spec?.healthCheckNodePort ?? 0;
  if (!needsHealthCheck(svc)) {
    if (hcnp !== 0) {
      errs.push(invalid('spec.healthCheckNodePort', hcnp, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
    }
  } else if (hcnp === 0) {
    errs.push(required('spec.healthCheckNodePort'));
  } else {
    for (const msg of isValidPortNum(hcnp)) errs.push(invalid('spec.healthCheckNodePort', hcnp, msg));
  }
  return errs;
}

/** validateService: everything but ObjectMeta, shared by create (old undefined) and update. */
function validateService(svc: Service, old: Service | undefined, opts: ServiceValidationOptions): FieldError[] {
  const errs: FieldError[] = [];
  const spec = svc.spec ?? {};
  const annotations = svc.metadata?.annotations ?? {};
  const ports = spec.ports ?? [];
  const headless = isHeadlessService(svc);

  const hints = annotations[TOPOLOGY_AWARE_HINTS_ANNOTATION];
  const mode = annotations[TOPOLOGY_MODE_ANNOTATION];
  if (mode !== undefined && hints !== undefined && mode !== hints) {
    errs.push(
      invalid(key('metadata.annotations', TOPOLOGY_MODE_ANNOTATION), mode, `must match annotations[${TOPOLOGY_AWARE_HINTS_ANNOTATION}] when both are specified`),
    );
  }

  if (ports.length === 0 && !headless && spec.type !== 'ExternalName') errs.push(required('spec.ports'));
  switch (spec.type) {
    case 'LoadBalancer':
      if (headless) errs.push(invalid(index('spec.clusterIPs', 0), 'None', "may not be set to 'None' for LoadBalancer services"));
      break;
    case 'NodePort':
      if (headless) errs.push(invalid(index('spec.clusterIPs', 0), 'None', "may not be set to 'None' for NodePort services"));
      break;
    case 'ExternalName': {
      if ((spec.clusterIPs ?? []).length > 0) errs.push(forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
      if ((spec.ipFamilies ?? []).length > 0) errs.push(forbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
      if (!isNil(spec.ipFamilyPolicy)) errs.push(forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
      const externalName = spec.externalName ?? '';
      const cname = externalName.endsWith('.') ? externalName.slice(0, -1) : externalName;
      if (cname.length > 0) for (const msg of isDns1123Subdomain(cname)) errs.push(invalid('spec.externalName', cname, msg));
      else errs.push(required('spec.externalName'));
      break;
    }
  }

  const allNames = new Set<string>();
  ports.forEach((p, i) => errs.push(...validateServicePort(p, ports.length > 1, allNames, index('spec.ports', i))));

  if (!isNil(spec.selector)) appendAll(errs, validateLabels(spec.selector, 'spec.selector'));

  const affinity = spec.sessionAffinity ?? '';
  if (affinity === '') errs.push(required('spec.sessionAffinity'));
  else if (affinity !== 'ClientIP' && affinity !== 'None') errs.push(notSupported('spec.sessionAffinity', affinity, ['ClientIP', 'None']));
  if (affinity === 'ClientIP') {
    const cfg = spec.sessionAffinityConfig;
    const detail = 'when session affinity type is ClientIP';
    if (isNil(cfg)) errs.push(required('spec.sessionAffinityConfig', detail));
    else if (isNil(cfg.clientIP)) errs.push(required('spec.sessionAffinityConfig.clientIP', detail));
    else if (isNil(cfg.clientIP.timeoutSeconds)) errs.push(required('spec.sessionAffinityConfig.clientIP.timeoutSeconds', detail));
    else {
      const t = cfg.clientIP.timeoutSeconds;
      if (t <= 0 || t > MAX_CLIENT_IP_AFFINITY_SECONDS) {
        errs.push(invalid('spec.sessionAffinityConfig.clientIP.timeoutSeconds', t, `must be greater than 0 and less than ${MAX_CLIENT_IP_AFFINITY_SECONDS}`));
      }
    }
  } else if (affinity === 'None' && !isNil(spec.sessionAffinityConfig)) {
    errs.push(forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None'));
  }

  appendAll(errs, validateClusterIPsRelatedFields(svc, old, opts));

  const existingExternalIPs = old?.spec?.externalIPs;
  (spec.externalIPs ?? []).forEach((ip, i) => {
    const p = index('spec.externalIPs', i);
    const ipErrs = legacyIP(p, ip, existingExternalIPs, opts);
    if (ipErrs.length > 0) errs.push(...ipErrs);
    else errs.push(...validateNonSpecialIP(p, ip));
  });

  const type = spec.type ?? '';
  if (type === '') errs.push(required('spec.type'));
  else if (!(SERVICE_TYPES as readonly string[]).includes(type)) errs.push(notSupported('spec.type', type, SERVICE_TYPES));

  if (type === 'ClusterIP') {
    ports.forEach((p, i) => {
      if ((p.nodePort ?? 0) !== 0) errs.push(forbidden(child(index('spec.ports', i), 'nodePort'), "may not be used when `type` is 'ClusterIP'"));
    });
  }

  const nodePorts = new Set<string>();
  ports.forEach((p, i) => {
    const np = p.nodePort ?? 0;
    if (np === 0) return;
    const k = `${p.protocol ?? ''}/${np}`;
    if (nodePorts.has(k)) errs.push(duplicate(child(index('spec.ports', i), 'nodePort'), np));
    nodePorts.add(k);
  });

  const portKeys = new Set<string>();
  ports.forEach((p, i) => {
    const k = `${p.protocol ?? ''}/${p.port}`;
    if (portKeys.has(k)) errs.push(duplicate(index('spec.ports', i), portKeyValue(p.protocol ?? '', p.port)));
    portKeys.add(k);
  });

  const ranges = spec.loadBalancerSourceRanges ?? [];
  if (ranges.length > 0) {
    const path = 'spec.LoadBalancerSourceRanges';
    if (type !== 'LoadBalancer') errs.push(forbidden(path, "may only be used when `type` is 'LoadBalancer'"));
    const existing = old?.spec?.loadBalancerSourceRanges?.map((v) => v.trim());
    ranges.forEach((value, i) => errs.push(...legacyCIDR(index(path, i), value.trim(), existing, opts)));
  } else if (annotations[LB_SOURCE_RANGES_ANNOTATION] !== undefined) {
    const path = key('metadata.annotations', LB_SOURCE_RANGES_ANNOTATION);
    const val = annotations[LB_SOURCE_RANGES_ANNOTATION] ?? '';
    if (type !== 'LoadBalancer') errs.push(forbidden(path, "may only be used when `type` is 'LoadBalancer'"));
    if (!old || old.metadata?.annotations?.[LB_SOURCE_RANGES_ANNOTATION] !== val) {
      const trimmed = val.trim();
      if (trimmed !== '') for (const cidr of trimmed.split(',')) errs.push(...validateCIDRForLegacyField(path, cidr.trim(), !!opts.strictIPCIDRValidation));
    }
  }

  if (!isNil(spec.allocateLoadBalancerNodePorts) && type !== 'LoadBalancer') {
    errs.push(forbidden('spec.allocateLoadBalancerNodePorts', "may only be used when `type` is 'LoadBalancer'"));
  }
  // The missing `spec.` is how the apiserver really reports this one.
  if (type === 'LoadBalancer' && isNil(spec.allocateLoadBalancerNodePorts)) errs.push(required('allocateLoadBalancerNodePorts'));

  errs.push(...validateLoadBalancerClassField(undefined, svc));
  errs.push(...validateExternalTrafficPolicy(svc));

  const itp = spec.internalTrafficPolicy;
  if (isNil(itp)) {
    if (type === 'NodePort' || type === 'LoadBalancer' || type === 'ClusterIP') errs.push(required('spec.internalTrafficPolicy'));
  } else if (!POLICIES.includes(itp)) {
    errs.push(notSupported('spec.internalTrafficPolicy', itp, POLICIES));
  }

  const td = spec.trafficDistribution;
  if (!isNil(td)) {
    const supported = opts.preferSameTrafficDistribution === false ? ['PreferClose'] : ['PreferClose', 'PreferSameZone', 'PreferSameNode'];
    if (!supported.includes(td)) errs.push(notSupported('spec.trafficDistribution', td, supported));
  }
  return errs;
}

/** ValidateServiceCreate: ObjectMeta (name is a DNS-1035 label) then the spec rules. */
export function validateServiceCreate(svc: Service, opts: ServiceValidationOptions = {}): FieldError[] {
  const nameFn = opts.relaxedServiceNameValidation ? nameIsDnsLabel : nameIsDns1035Label;
  return [...validateObjectMeta(svc.metadata ?? {}, { namespaced: true, nameFn }, 'metadata'), ...validateService(svc, undefined, opts)];
}

function validateUpgradeDowngradeClusterIPs(old: Service, svc: Service): FieldError[] {
  const errs: FieldError[] = [];
  if (svc.spec?.type === 'ExternalName' || old.spec?.type === 'ExternalName') return errs;
  if (isHeadlessService(old) && isHeadlessService(svc)) return errs;
  const oldIPs = old.spec?.clusterIPs ?? [];
  const newIPs = svc.spec?.clusterIPs ?? [];
  // A nil list marshals as null in the message, an empty one as [].
  const shown = svc.spec?.clusterIPs ?? null;
  const policy = svc.spec?.ipFamilyPolicy ?? null;
  if (oldIPs.length === newIPs.length) {
    oldIPs.forEach((ip, i) => {
      if (ip !== newIPs[i]) errs.push(invalid(index('spec.clusterIPs', i), shown, 'may not change once set'));
    });
  } else if (oldIPs.length > newIPs.length) {
    if (newIPs.length === 0) errs.push(invalid(index('spec.clusterIPs', 0), shown, 'primary clusterIP can not be unset'));
    if (oldIPs.length > 0 && newIPs.length > 0 && newIPs[0] !== oldIPs[0]) {
      errs.push(invalid(index('spec.clusterIPs', 0), shown, 'may not change once set'));
    }
    if (newIPs.length === 1 && policy !== 'SingleStack') {
      errs.push(invalid('spec.ipFamilyPolicy', policy, "must be set to 'SingleStack' when releasing the secondary clusterIP"));
    }
  } else if (oldIPs.length > 0 && newIPs[0] !== oldIPs[0]) {
    errs.push(invalid(index('spec.clusterIPs', 0), shown, 'may not change once set'));
  }
  return errs;
}

function validateUpgradeDowngradeIPFamilies(old: Service, svc: Service): FieldError[] {
  const errs: FieldError[] = [];
  if (svc.spec?.type === 'ExternalName' || old.spec?.type === 'ExternalName') return errs;
  if (isHeadlessService(old) !== isHeadlessService(svc) || isHeadlessService(svc)) return errs;
  const oldFams = old.spec?.ipFamilies ?? [];
  const newFams = svc.spec?.ipFamilies ?? [];
  const newIPs = svc.spec?.clusterIPs ?? null;
  const shownFams = svc.spec?.ipFamilies ?? null;
  const policy = svc.spec?.ipFamilyPolicy ?? null;
  // Go reports some of these with the clusterIPs list as the bad value; that is reproduced as is.
  if (oldFams.length === newFams.length) {
    oldFams.forEach((fam, i) => {
      if (fam !== newFams[i]) errs.push(invalid(index('spec.ipFamilies', 0), shownFams, 'may not change once set'));
    });
  } else if (oldFams.length > newFams.length) {
    if ((newIPs ?? []).length === 0) errs.push(invalid(index('spec.ipFamilies', 0), shownFams, 'primary ipFamily can not be unset'));
    if (newFams.length > 0 && newFams[0] !== oldFams[0]) errs.push(invalid(index('spec.ipFamilies', 0), newIPs, 'may not change once set'));
    if (newFams.length === 1 && policy !== 'SingleStack') {
      errs.push(invalid('spec.ipFamilyPolicy', policy, "must be set to 'SingleStack' when releasing the secondary ipFamily"));
    }
  } else if (oldFams.length > 0 && newFams.length > 0 && newFams[0] !== oldFams[0]) {
    errs.push(invalid(index('spec.ipFamilies', 0), newIPs, 'may not change once set'));
  }
  return errs;
}

/**
 * ValidateServiceUpdate: metadata update rules, clusterIPs/ipFamilies immutability,
 * loadBalancerClass immutability, healthCheckNodePort immutability, then the full spec rules.
 * The loadBalancerClass format errors appear twice, as they do in the apiserver's causes.
 */
export function validateServiceUpdate(svc: Service, old: Service, opts: ServiceValidationOptions = {}): FieldError[] {
  const errs = validateObjectMetaUpdate(svc.metadata ?? {}, old.metadata ?? {}, 'metadata');
  appendAll(errs, validateUpgradeDowngradeClusterIPs(old, svc));
  appendAll(errs, validateUpgradeDowngradeIPFamilies(old, svc));
  errs.push(...validateLoadBalancerClassField(old, svc));
  if (needsHealthCheck(old) && needsHealthCheck(svc) && (svc.spec?.healthCheckNodePort ?? 0) !== (old.spec?.healthCheckNodePort ?? 0)) {
    errs.push(forbidden('spec.healthCheckNodePort', FIELD_IMMUTABLE));
  }
  appendAll(errs, validateService(svc, old, opts));
  return errs;
}

/** ValidateLoadBalancerStatus with default gates (LoadBalancerIPMode on, AllowServiceLBStatusOnNonLB off). */
export function validateLoadBalancerStatus(svc: Service, old: Service | undefined, opts: ServiceValidationOptions = {}): FieldError[] {
  const errs: FieldError[] = [];
  const path = 'status.loadBalancer.ingress';
  const ingress: LoadBalancerIngress[] = svc.status?.loadBalancer?.ingress ?? [];
  if (svc.spec?.type !== 'LoadBalancer' && ingress.length !== 0) {
    return [forbidden(path, "may only be used when `spec.type` is 'LoadBalancer'")];
  }
  const existing = (old?.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? '').filter((ip) => ip !== '');
  ingress.forEach((ing, i) => {
    const p = index(path, i);
    const ip = ing.ip ?? '';
    if (ip) errs.push(...legacyIP(child(p, 'ip'), ip, existing, opts));
    if (isNil(ing.ipMode)) {
      if (ip) errs.push(required(child(p, 'ipMode'), 'must be specified when `ip` is set'));
    } else if (!ip) {
      errs.push(forbidden(child(p, 'ipMode'), 'may not be specified when `ip` is not set'));
    } else if (ing.ipMode !== 'Proxy' && ing.ipMode !== 'VIP') {
      errs.push(notSupported(child(p, 'ipMode'), ing.ipMode, ['Proxy', 'VIP']));
    }
    if (ing.hostname) {
      for (const msg of isDns1123Subdomain(ing.hostname)) errs.push(invalid(child(p, 'hostname'), ing.hostname, msg));
      if (parseIP(ing.hostname)) errs.push(invalid(child(p, 'hostname'), ing.hostname, 'must be a DNS name, not an IP address'));
    }
  });
  return errs;
}

/** ValidateServiceStatusUpdate: what a write to the status subresource is checked against. */
export function validateServiceStatusUpdate(svc: Service, old: Service, opts: ServiceValidationOptions = {}): FieldError[] {
  return [...validateObjectMetaUpdate(svc.metadata ?? {}, old.metadata ?? {}, 'metadata'), ...validateLoadBalancerStatus(svc, old, opts)];
}
