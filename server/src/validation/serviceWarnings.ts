// GetWarningsForService (pkg/api/service/warnings.go): the `Warning:` lines kubectl prints on a
// successful create or update. Warnings never block a write.

import type { Service } from './kubeTypes';
import { cidrWarnings, ipWarnings } from './ipAddresses';
import { TOPOLOGY_AWARE_HINTS_ANNOTATION, TOPOLOGY_MODE_ANNOTATION } from './serviceValidation';

/** Warnings in the apiserver's order. The old object is accepted for parity with the Go signature; no rule reads it today. */
export function serviceWarnings(svc: Service, _old?: Service): string[] {
  const warnings: string[] = [];
  const spec = svc.spec ?? {};
  const externalIPs = spec.externalIPs ?? [];

  if (svc.metadata?.annotations?.[TOPOLOGY_AWARE_HINTS_ANNOTATION] !== undefined) {
    warnings.push(`annotation ${TOPOLOGY_AWARE_HINTS_ANNOTATION} is deprecated, please use ${TOPOLOGY_MODE_ANNOTATION} instead`);
  }

  // helper.IsServiceIPSet: a real address, neither empty nor "None".
  if (spec.clusterIP && spec.clusterIP !== 'None') {
    (spec.clusterIPs ?? []).forEach((ip, i) => warnings.push(...ipWarnings(`spec.clusterIPs[${i}]`, ip)));
  }

  // The warnings' own notion of headless reads the singular field and requires type ClusterIP.
  const headless = spec.type === 'ClusterIP' && spec.clusterIP === 'None';
  if (headless) {
    if (spec.loadBalancerIP) warnings.push('spec.loadBalancerIP is ignored for headless services');
    if (externalIPs.length > 0) warnings.push('spec.externalIPs is ignored for headless services');
    if (spec.sessionAffinity !== 'None') warnings.push('spec.SessionAffinity is ignored for headless services');
  } else if (externalIPs.length > 0 && spec.type !== 'ExternalName') {
    warnings.push('spec.externalIPs is deprecated and may no longer be implemented in some clusters');
  }

  externalIPs.forEach((ip, i) => warnings.push(...ipWarnings(`spec.externalIPs[${i}]`, ip)));
  if (spec.loadBalancerIP) warnings.push(...ipWarnings('spec.loadBalancerIP', spec.loadBalancerIP));
  (spec.loadBalancerSourceRanges ?? []).forEach((cidr, i) => warnings.push(...cidrWarnings(`spec.loadBalancerSourceRanges[${i}]`, cidr)));

  if (spec.type === 'ExternalName' && externalIPs.length > 0) warnings.push('spec.externalIPs is ignored when spec.type is "ExternalName"');
  if (spec.type !== 'ExternalName' && spec.externalName) warnings.push('spec.externalName is ignored when spec.type is not "ExternalName"');
  if (spec.trafficDistribution === 'PreferClose') warnings.push('spec.trafficDistribution: "PreferClose" is deprecated; use "PreferSameZone"');
  return warnings;
}
