// A Service manifest checked as kube-apiserver checks a create (pkg/registry/core/service):
// the defaulted object goes through BeginCreate (clusterIPs normalised, IP family defaults and
// their pre-validation, nodePort allocation) and then ValidateServiceCreate; the apiserver's
// warnings follow. What the allocator decides from the cluster's state (which ClusterIP is
// free, which nodePort another Service holds) is not an error here; what it rejects from the
// manifest alone (a nodePort outside the range, the same nodePort twice) is. The apiserver
// answers with the first stage that fails; the editor shows every stage, without repeats.

import { errorString, invalid, type FieldError } from '../validation/fieldErrors';
import type { Service } from '../validation/kubeTypes';
import { initIPFamilyFields, normalizeClusterIPs, type IPFamily } from '../validation/serviceRegistry';
import { validateServiceCreate } from '../validation/serviceValidation';
import { serviceWarnings } from '../validation/serviceWarnings';
import { parseFieldPath } from '../manifest/fieldPath';
import type { FieldPathSegment, Finding } from './finding';
import { fieldErrorFinding, pathAsWritten } from './findingRanges';

/** What the checks assume of the cluster: the emulator's defaults (and kube-apiserver's NodePort range). */
export interface ServiceCheckOptions {
  nodePortBase: number;
  nodePortSize: number;
  ipFamilies: IPFamily[];
}

export const defaultServiceCheckOptions: ServiceCheckOptions = { nodePortBase: 30000, nodePortSize: 2768, ipFamilies: ['IPv4'] };

function rangeText(o: ServiceCheckOptions): string {
  return `${o.nodePortBase}-${o.nodePortBase + o.nodePortSize - 1}`;
}

function inRange(port: number, o: ServiceCheckOptions): boolean {
  return Number.isInteger(port) && port >= o.nodePortBase && port < o.nodePortBase + o.nodePortSize;
}

/**
 * The allocator's answer to the nodePorts a manifest asks for (allocateNodePorts in the
 * registry): each requested port must be in the range and not requested twice, except by
 * ports sharing a port number (53/TCP and 53/UDP share one nodePort).
 */
function nodePortErrors(svc: Service, o: ServiceCheckOptions): FieldError[] {
  const spec = svc.spec;
  const type = spec.type;
  const wantAll = type === 'NodePort' || (type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
  if (!wantAll && type !== 'LoadBalancer') return [];
  const errs: FieldError[] = [];
  const byPortNumber = new Map<number, number>();
  const taken = new Set<number>();
  (spec.ports ?? []).forEach((p, i) => {
    const np = p.nodePort;
    if (!np) return;
    if (byPortNumber.get(p.port) === np) return;
    const field = `spec.ports[${i}].nodePort`;
    if (!inRange(np, o)) errs.push(invalid(field, np, `provided port is not in the valid range. The range of valid ports is ${rangeText(o)}`));
    else if (taken.has(np)) errs.push(invalid(field, np, 'provided port is already allocated'));
    else {
      taken.add(np);
      byPortNumber.set(p.port, np);
    }
  });
  return errs;
}

/** A requested healthCheckNodePort the allocator cannot give is a 500, not a field error. */
function healthCheckNodePortFinding(svc: Service, o: ServiceCheckOptions): Finding | undefined {
  const spec = svc.spec;
  const hc = spec.healthCheckNodePort;
  if (spec.type !== 'LoadBalancer' || spec.externalTrafficPolicy !== 'Local' || !hc) return undefined;
  const taken = new Set((spec.ports ?? []).map((p) => p.nodePort).filter((n): n is number => !!n && inRange(n, o)));
  let reason: string | undefined;
  if (!inRange(hc, o)) reason = `provided port is not in the valid range. The range of valid ports is ${rangeText(o)}`;
  else if (taken.has(hc)) reason = 'provided port is already allocated';
  if (!reason) return undefined;
  return {
    path: ['spec', 'healthCheckNodePort'],
    on: 'value',
    severity: 'error',
    code: 'spec.healthCheckNodePort',
    message: `Internal error occurred: failed to allocate requested HealthCheck NodePort ${hc}: ${reason}`,
  };
}

/**
 * Validation runs on the allocated object, where a LoadBalancer with traffic policy Local
 * always has a healthCheckNodePort; a port the allocator would pick stands in for it.
 */
function allocateHealthCheckNodePort(svc: Service, o: ServiceCheckOptions): void {
  const spec = svc.spec;
  if (spec.type !== 'LoadBalancer' || spec.externalTrafficPolicy !== 'Local' || spec.healthCheckNodePort) return;
  const taken = new Set((spec.ports ?? []).map((p) => p.nodePort));
  for (let port = o.nodePortBase; port < o.nodePortBase + o.nodePortSize; port++) {
    if (!taken.has(port)) {
      spec.healthCheckNodePort = port;
      return;
    }
  }
}

/** Where a warning's text says it belongs: its leading field path, or the annotation it names. */
function warningPath(text: string): { path: FieldPathSegment[]; code: string; on: 'key' | 'value' } {
  const annotation = /^annotation (\S+) is deprecated/.exec(text);
  if (annotation) return { path: ['metadata', 'annotations', annotation[1]!], code: `metadata.annotations[${annotation[1]!}]`, on: 'key' };
  const field = /^(spec(?:\.[A-Za-z]+|\[\d+\])*)/.exec(text);
  if (!field) return { path: ['spec'], code: 'spec', on: 'key' };
  const code = field[1]!;
  const path = parseFieldPath(code).map((seg) => (seg === 'SessionAffinity' ? 'sessionAffinity' : seg));
  const on = typeof path[path.length - 1] === 'number' || path[path.length - 1] === 'loadBalancerIP' ? 'value' : 'key';
  return { path, code, on };
}

/** Every finding of the create path for a decoded, defaulted Service; `source` is the document's value. */
export function serviceFindings(defaulted: Service, source: unknown, o: ServiceCheckOptions = defaultServiceCheckOptions): Finding[] {
  const svc = normalizeClusterIPs(defaulted);
  const seen = new Set<string>();
  const findings: Finding[] = [];
  const add = (errs: readonly FieldError[]): void => {
    for (const e of errs) {
      const text = errorString(e);
      if (seen.has(text)) continue;
      seen.add(text);
      findings.push(fieldErrorFinding(e, source));
    }
  };
  add(initIPFamilyFields(svc, undefined, { families: o.ipFamilies }));
  add(nodePortErrors(svc, o));
  const hc = healthCheckNodePortFinding(svc, o);
  if (hc) findings.push(hc);
  allocateHealthCheckNodePort(svc, o);
  add(validateServiceCreate(svc));
  for (const text of serviceWarnings(svc)) {
    const { path, code, on } = warningPath(text);
    findings.push({ path: pathAsWritten(path, source), on, severity: 'warning', code, message: text });
  }
  return findings;
}
