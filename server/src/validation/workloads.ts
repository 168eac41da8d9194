// Basic validation of Pods, ReplicaSets, Deployments and Namespaces with the apiserver's
// messages (pkg/apis/core/validation, pkg/apis/apps/validation, and the apps/v1 registry's
// selector immutability). It covers what a manifest author trips over: names, selectors and
// template labels, containers, ports, restartPolicy and the rolling-update strategy. Volumes,
// probes, resources, security contexts, affinity and the like are not checked.
//
// Fields that v1 defaulting always fills (restartPolicy, dnsPolicy, imagePullPolicy,
// terminationMessagePolicy, port protocol, replicas, strategy) are read with their default when
// absent, so these functions give the same answer for a raw manifest and a defaulted object.

import type { Container, Deployment, LabelSelector, Namespace, ObjectMeta, Pod, PodSpec, PodTemplateSpec, ReplicaSet } from './kubeTypes';
import { appendAll, type FieldError, duplicate, forbidden, invalid, notSupported, required } from './fieldErrors';
import { isDns1123Label, isValidPercent, isValidPortName, isValidPortNum } from './content';
import { labelSelectorIsEmpty, labelSelectorJSON, labelSelectorMatches, validateLabelSelector } from './labelSelector';
import {
  FIELD_IMMUTABLE,
  child,
  index,
  nameIsDnsSubdomain,
  sortedMap,
  validateAnnotations,
  validateFinalizerName,
  validateLabels,
  validateNamespaceName,
  validateNonnegativeField,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from './objectMeta';

type IntOrString = number | string;

function str(obj: Record<string, unknown>, field: string): string | undefined {
  const v = obj[field];
  return typeof v === 'string' ? v : undefined;
}

function num(obj: Record<string, unknown>, field: string): number | undefined {
  const v = obj[field];
  return typeof v === 'number' ? v : undefined;
}

function validateContainerPorts(ctr: Container, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  (ctr.ports ?? []).forEach((port, i) => {
    const p = index(path, i);
    const name = port.name ?? '';
    if (name.length > 0) {
      const msgs = isValidPortName(name);
      if (msgs.length > 0) for (const msg of msgs) errs.push(invalid(child(p, 'name'), name, msg));
      else if (names.has(name)) errs.push(duplicate(child(p, 'name'), name));
      else names.add(name);
    }
    const cp = port.containerPort ?? 0;
    if (cp === 0) errs.push(required(child(p, 'containerPort')));
    else for (const msg of isValidPortNum(cp)) errs.push(invalid(child(p, 'containerPort'), cp, msg));
    const hp = port.hostPort ?? 0;
    if (hp !== 0) for (const msg of isValidPortNum(hp)) errs.push(invalid(child(p, 'hostPort'), hp, msg));
    const protocol = port.protocol ?? 'TCP';
    if (protocol === '') errs.push(required(child(p, 'protocol')));
    else if (!['SCTP', 'TCP', 'UDP'].includes(protocol)) errs.push(notSupported(child(p, 'protocol'), protocol, ['SCTP', 'TCP', 'UDP']));
  });
  return errs;
}

/** validateContainerCommon: name, image, terminationMessagePolicy, ports, imagePullPolicy, in that order. */
function validateContainerCommon(ctr: Container, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = ctr.name ?? '';
  if (name.length === 0) errs.push(required(child(path, 'name')));
  else for (const msg of isDns1123Label(name)) errs.push(invalid(child(path, 'name'), name, msg));
  if (!ctr.image) errs.push(required(child(path, 'image')));
  const tmp = str(ctr, 'terminationMessagePolicy') ?? 'File';
  if (tmp === '') errs.push(required(child(path, 'terminationMessagePolicy')));
  else if (tmp !== 'File' && tmp !== 'FallbackToLogsOnError') {
    errs.push(notSupported(child(path, 'terminationMessagePolicy'), tmp, ['File', 'FallbackToLogsOnError']));
  }
  appendAll(errs, validateContainerPorts(ctr, child(path, 'ports')));
  const pull = str(ctr, 'imagePullPolicy');
  if (pull === '') errs.push(required(child(path, 'imagePullPolicy')));
  else if (pull !== undefined && !['Always', 'IfNotPresent', 'Never'].includes(pull)) {
    errs.push(notSupported(child(path, 'imagePullPolicy'), pull, ['Always', 'IfNotPresent', 'Never']));
  }
  return errs;
}

export interface PodSpecOptions {
  /** The spec belongs to a Pod rather than a template: image whitespace is then checked too. */
  resourceIsPod?: boolean;
}

/** The subset of ValidatePodSpec described at the top of this file, in the apiserver's order. */
export function validatePodSpec(spec: PodSpec | undefined, path: string, opts: PodSpecOptions = {}): FieldError[] {
  const errs: FieldError[] = [];
  const s: PodSpec = spec ?? { containers: [] };
  const containers = s.containers ?? [];
  const containersPath = child(path, 'containers');
  if (containers.length === 0) {
    errs.push(required(containersPath));
  } else {
    const names = new Set<string>();
    containers.forEach((c, i) => {
      const p = index(containersPath, i);
      appendAll(errs, validateContainerCommon(c, p));
      const name = c.name ?? '';
      if (names.has(name)) errs.push(duplicate(child(p, 'name'), name));
      else names.add(name);
    });
  }
  const initPath = child(path, 'initContainers');
  const allNames = new Set(containers.map((c) => c.name ?? ''));
  (s.initContainers ?? []).forEach((c, i) => {
    const p = index(initPath, i);
    appendAll(errs, validateContainerCommon(c, p));
    const name = c.name ?? '';
    if (allNames.has(name)) errs.push(duplicate(child(p, 'name'), name));
    else if (name.length > 0) allNames.add(name);
  });

  const restartPolicy = str(s, 'restartPolicy') ?? 'Always';
  if (restartPolicy === '') errs.push(required(child(path, 'restartPolicy')));
  else if (!['Always', 'OnFailure', 'Never'].includes(restartPolicy)) {
    errs.push(notSupported(child(path, 'restartPolicy'), restartPolicy, ['Always', 'OnFailure', 'Never']));
  }
  const dnsPolicy = str(s, 'dnsPolicy') ?? 'ClusterFirst';
  const dnsPolicies = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
  if (dnsPolicy === '') errs.push(required(child(path, 'dnsPolicy')));
  else if (!dnsPolicies.includes(dnsPolicy)) errs.push(notSupported(child(path, 'dnsPolicy'), dnsPolicy, dnsPolicies));
  const nodeSelector = s['nodeSelector'];
  if (nodeSelector && typeof nodeSelector === 'object') appendAll(errs, validateLabels(nodeSelector as Record<string, string>, child(path, 'nodeSelector')));

  const serviceAccountName = str(s, 'serviceAccountName');
  if (serviceAccountName) for (const msg of nameIsDnsSubdomain(serviceAccountName, false)) errs.push(invalid(child(path, 'serviceAccountName'), serviceAccountName, msg));
  if (s.nodeName) for (const msg of nameIsDnsSubdomain(s.nodeName, false)) errs.push(invalid(child(path, 'nodeName'), s.nodeName, msg));
  const ads = num(s, 'activeDeadlineSeconds');
  if (ads !== undefined && (ads < 1 || ads > 2147483647)) errs.push(invalid(child(path, 'activeDeadlineSeconds'), ads, 'must be between 1 and 2147483647, inclusive'));
  if (s.hostname) for (const msg of isDns1123Label(s.hostname)) errs.push(invalid(child(path, 'hostname'), s.hostname, msg));
  if (s.subdomain) for (const msg of isDns1123Label(s.subdomain)) errs.push(invalid(child(path, 'subdomain'), s.subdomain, msg));

  if (opts.resourceIsPod) {
    const onlyForPod = (list: Container[], listPath: string): void =>
      list.forEach((c, i) => {
        const image = c.image ?? '';
        if (image.length !== image.trim().length) errs.push(invalid(child(index(listPath, i), 'image'), image, 'must not have leading or trailing whitespace'));
      });
    onlyForPod(containers, containersPath);
    onlyForPod(s.initContainers ?? [], initPath);
  }
  return errs;
}

/** ValidatePodTemplateSpec: template labels are reported at `<path>.labels`, not `<path>.metadata.labels`. */
export function validatePodTemplateSpec(template: PodTemplateSpec | undefined, path: string): FieldError[] {
  const meta: ObjectMeta = template?.metadata ?? {};
  return [
    ...validateLabels(meta.labels, child(path, 'labels')),
    ...validateAnnotations(meta.annotations, child(path, 'annotations')),
    ...validatePodSpec(template?.spec, child(path, 'spec')),
  ];
}

/** Selector rules shared by Deployments and ReplicaSets, then the template checked against the selector. */
function validateSelectorAndTemplate(selector: LabelSelector | undefined | null, template: PodTemplateSpec | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const selPath = child(path, 'selector');
  let selectorErrs: FieldError[] = [];
  if (!selector) {
    errs.push(required(selPath));
  } else {
    selectorErrs = validateLabelSelector(selector, selPath);
    appendAll(errs, selectorErrs);
    if (labelSelectorIsEmpty(selector)) errs.push(invalid(selPath, labelSelectorJSON(selector), 'empty selector is invalid for deployment'));
  }
  // A selector that failed validation cannot be converted, and then the template is not looked at.
  if (selectorErrs.length > 0) {
    errs.push(invalid(selPath, labelSelectorJSON(selector), 'invalid label selector'));
    return errs;
  }
  const tPath = child(path, 'template');
  const labels = template?.metadata?.labels;
  // A missing selector matches nothing; an empty one matches everything and skips the check.
  if (!labelSelectorIsEmpty(selector) && !labelSelectorMatches(selector, labels)) {
    errs.push(invalid(child(child(tPath, 'metadata'), 'labels'), sortedMap(labels), '`selector` does not match template `labels`'));
  }
  appendAll(errs, validatePodTemplateSpec(template, tPath));
  const spec: Record<string, unknown> = template?.spec ?? {};
  const restartPolicy = str(spec, 'restartPolicy') ?? 'Always';
  if (restartPolicy !== 'Always') errs.push(notSupported(child(tPath, 'spec.restartPolicy'), restartPolicy, ['Always']));
  if (spec['activeDeadlineSeconds'] !== undefined && spec['activeDeadlineSeconds'] !== null) {
    errs.push(forbidden(child(tPath, 'spec.activeDeadlineSeconds'), 'activeDeadlineSeconds in ReplicaSet is not Supported'));
  }
  return errs;
}

function percentValue(v: IntOrString): number | undefined {
  return typeof v === 'string' && isValidPercent(v).length === 0 ? Number(v.slice(0, -1)) : undefined;
}

/** intstr's IntValue for strings is strconv.Atoi with the error ignored, so "abc" counts as 0. */
function intOrPercentValue(v: IntOrString): number {
  const pct = percentValue(v);
  if (pct !== undefined) return pct;
  if (typeof v === 'number') return v;
  return /^[+-]?[0-9]+$/.test(v) ? Number(v) : 0;
}

function validatePositiveIntOrPercent(v: IntOrString, path: string): FieldError[] {
  if (typeof v === 'string') return isValidPercent(v).map((msg) => invalid(path, v, msg));
  return validateNonnegativeField(v, path);
}

function validateDeploymentStrategy(d: Deployment): FieldError[] {
  const strategy = d.spec?.strategy ?? {};
  const type = strategy.type || 'RollingUpdate';
  const path = 'spec.strategy';
  if (type === 'Recreate') {
    return strategy.rollingUpdate ? [forbidden(child(path, 'rollingUpdate'), "may not be specified when strategy `type` is 'Recreate'")] : [];
  }
  if (type !== 'RollingUpdate') {
    const ru = strategy.rollingUpdate;
    const internal = { Type: type, RollingUpdate: ru ? { MaxUnavailable: ru.maxUnavailable ?? 0, MaxSurge: ru.maxSurge ?? 0 } : null };
    return [notSupported(path, internal, ['Recreate', 'RollingUpdate'])];
  }
  const ruPath = child(path, 'rollingUpdate');
  const maxUnavailable = strategy.rollingUpdate?.maxUnavailable ?? '25%';
  const maxSurge = strategy.rollingUpdate?.maxSurge ?? '25%';
  const errs = [
    ...validatePositiveIntOrPercent(maxUnavailable, child(ruPath, 'maxUnavailable')),
    ...validatePositiveIntOrPercent(maxSurge, child(ruPath, 'maxSurge')),
  ];
  if (intOrPercentValue(maxUnavailable) === 0 && intOrPercentValue(maxSurge) === 0) {
    errs.push(invalid(child(ruPath, 'maxUnavailable'), maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
  }
  const pct = percentValue(maxUnavailable);
  if (pct !== undefined && pct > 100) errs.push(invalid(child(ruPath, 'maxUnavailable'), maxUnavailable, 'must not be greater than 100%'));
  return errs;
}

/** ValidateDeployment (create): name is an RFC 1123 subdomain; replicas, selector, template, strategy, timing fields. */
export function validateDeployment(d: Deployment): FieldError[] {
  const spec = d.spec ?? ({} as Deployment['spec']);
  const errs = validateObjectMeta(d.metadata ?? {}, { namespaced: true, nameFn: nameIsDnsSubdomain });
  errs.push(...validateNonnegativeField(spec.replicas ?? 1, 'spec.replicas'));
  appendAll(errs, validateSelectorAndTemplate(spec.selector, spec.template, 'spec'));
  errs.push(...validateDeploymentStrategy(d));
  const minReady = spec.minReadySeconds ?? 0;
  errs.push(...validateNonnegativeField(minReady, 'spec.minReadySeconds'));
  errs.push(...validateNonnegativeField(spec.revisionHistoryLimit ?? 10, 'spec.revisionHistoryLimit'));
  const pds = spec.progressDeadlineSeconds ?? 600;
  errs.push(...validateNonnegativeField(pds, 'spec.progressDeadlineSeconds'));
  if (pds <= minReady) errs.push(invalid('spec.progressDeadlineSeconds', pds, 'must be greater than minReadySeconds'));
  return errs;
}

function sameSelector(a: LabelSelector | null | undefined, b: LabelSelector | null | undefined): boolean {
  return JSON.stringify(labelSelectorJSON(a)) === JSON.stringify(labelSelectorJSON(b)) || (!a && !b);
}

function immutableSelector(newSel: LabelSelector | null | undefined, oldSel: LabelSelector | null | undefined): FieldError[] {
  return sameSelector(newSel, oldSel) ? [] : [invalid('spec.selector', labelSelectorJSON(newSel), FIELD_IMMUTABLE)];
}

/** ValidateDeploymentUpdate plus the apps/v1 rule that spec.selector never changes. */
export function validateDeploymentUpdate(d: Deployment, old: Deployment): FieldError[] {
  const spec = d.spec ?? ({} as Deployment['spec']);
  const errs = validateObjectMetaUpdate(d.metadata ?? {}, old.metadata ?? {});
  errs.push(...validateNonnegativeField(spec.replicas ?? 1, 'spec.replicas'));
  appendAll(errs, validateSelectorAndTemplate(spec.selector, spec.template, 'spec'));
  errs.push(...validateDeploymentStrategy(d));
  const minReady = spec.minReadySeconds ?? 0;
  errs.push(...validateNonnegativeField(minReady, 'spec.minReadySeconds'));
  errs.push(...validateNonnegativeField(spec.revisionHistoryLimit ?? 10, 'spec.revisionHistoryLimit'));
  const pds = spec.progressDeadlineSeconds ?? 600;
  errs.push(...validateNonnegativeField(pds, 'spec.progressDeadlineSeconds'));
  if (pds <= minReady) errs.push(invalid('spec.progressDeadlineSeconds', pds, 'must be greater than minReadySeconds'));
  errs.push(...immutableSelector(spec.selector, old.spec?.selector));
  return errs;
}

function validateReplicaSetSpec(rs: ReplicaSet): FieldError[] {
  const spec = rs.spec ?? ({} as ReplicaSet['spec']);
  return [
    ...validateNonnegativeField(spec.replicas ?? 1, 'spec.replicas'),
    ...validateNonnegativeField(spec.minReadySeconds ?? 0, 'spec.minReadySeconds'),
    ...validateSelectorAndTemplate(spec.selector, spec.template, 'spec'),
  ];
}

/** ValidateReplicaSet (create). Its empty-selector message says "deployment", as the apiserver's does. */
export function validateReplicaSet(rs: ReplicaSet): FieldError[] {
  return [...validateObjectMeta(rs.metadata ?? {}, { namespaced: true, nameFn: nameIsDnsSubdomain }), ...validateReplicaSetSpec(rs)];
}

/** ValidateReplicaSetUpdate plus the apps/v1 selector immutability. */
export function validateReplicaSetUpdate(rs: ReplicaSet, old: ReplicaSet): FieldError[] {
  return [
    ...validateObjectMetaUpdate(rs.metadata ?? {}, old.metadata ?? {}),
    ...validateReplicaSetSpec(rs),
    ...immutableSelector(rs.spec?.selector, old.spec?.selector),
  ];
}

/** ValidatePodCreate's metadata and spec checks (name is an RFC 1123 subdomain). */
export function validatePod(pod: Pod): FieldError[] {
  return [
    ...validateObjectMeta(pod.metadata ?? {}, { namespaced: true, nameFn: nameIsDnsSubdomain }),
    ...validatePodSpec(pod.spec, 'spec', { resourceIsPod: true }),
  ];
}

/** ValidateNamespace: cluster-scoped metadata with an RFC 1123 label name, and spec.finalizers. */
export function validateNamespace(ns: Namespace): FieldError[] {
  const errs = validateObjectMeta(ns.metadata ?? {}, { namespaced: false, nameFn: validateNamespaceName });
  for (const f of ns.spec?.finalizers ?? []) errs.push(...validateFinalizerName(f, 'spec.finalizers'));
  return errs;
}
