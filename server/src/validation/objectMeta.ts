// ObjectMeta validation as apimachinery's ValidateObjectMeta / ValidateObjectMetaUpdate do it,
// plus the extra finalizer check that pkg/apis/core/validation wraps around them (every built-in
// type goes through that wrapper). Label and annotation errors are reported at the map's path
// (`metadata.labels`), not per key, and maps are walked in the object's own key order so the
// result is deterministic where Go's is not.

import type { ObjectMeta, OwnerReference } from './kubeTypes';
import { appendAll, type FieldError, forbidden, invalid, required, tooLong } from './fieldErrors';
import { byteLength, isDns1035Label, isDns1123Label, isDns1123Subdomain, isQualifiedName, isValidLabelValue } from './content';

/** Validates a name; `prefix` is true for generateName, whose single trailing dash is masked first. */
export type NameValidator = (name: string, prefix: boolean) => string[];

/**
 * apimachinery's maskTrailingDash. It really drops the last two characters and appends "a":
 * the point is only that a trailing dash no longer ends the string, and matching it keeps the
 * same generateName values valid.
 */
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? name.slice(0, -2) + 'a' : name;
}

export const nameIsDnsSubdomain: NameValidator = (name, prefix) => isDns1123Subdomain(prefix ? maskTrailingDash(name) : name);
export const nameIsDnsLabel: NameValidator = (name, prefix) => isDns1123Label(prefix ? maskTrailingDash(name) : name);
export const nameIsDns1035Label: NameValidator = (name, prefix) => isDns1035Label(prefix ? maskTrailingDash(name) : name);
/** Namespace names are RFC 1123 labels. */
export const validateNamespaceName: NameValidator = nameIsDnsLabel;

export const FIELD_IMMUTABLE = 'field is immutable';
export const TOTAL_ANNOTATION_SIZE_LIMIT_BYTES = 256 * 1024;

export function child(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}

export function index(path: string, i: number): string {
  return `${path}[${i}]`;
}

export function key(path: string, k: string): string {
  return `${path}[${k}]`;
}

/** Go's json.Marshal of a map[string]string sorts keys; bad values that are maps must print the same way. */
export function sortedMap(m: Record<string, string> | null | undefined): Record<string, string> | null {
  if (!m) return null;
  const out: Record<string, string> = {};
  for (const k of Object.keys(m).sort()) out[k] = m[k] ?? '';
  return out;
}

export function validateNonnegativeField(value: number, path: string): FieldError[] {
  return value < 0 ? [invalid(path, value, 'must be greater than or equal to 0')] : [];
}

/** metav1 validation.ValidateLabelName: a label key must be a qualified name. */
export function validateLabelName(name: string, path: string): FieldError[] {
  return isQualifiedName(name).map((msg) => invalid(path, name, msg));
}

/** metav1 validation.ValidateLabels; also used for Service selectors and nodeSelector. */
export function validateLabels(labels: Record<string, string> | null | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    errs.push(...validateLabelName(k, path));
    for (const msg of isValidLabelValue(v)) errs.push(invalid(path, v, msg));
  }
  return errs;
}

/** Annotation keys are qualified names compared case-insensitively; the total size is capped at 256 KiB. */
export function validateAnnotations(annotations: Record<string, string> | null | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(annotations ?? {})) {
    for (const msg of isQualifiedName(k.toLowerCase())) errs.push(invalid(path, k, msg));
    total += byteLength(k) + byteLength(v);
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT_BYTES) errs.push(tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT_BYTES));
  return errs;
}

/** The owner reference as metav1.OwnerReference marshals it (json tags and omitempty), for bad values. */
function ownerReferenceJSON(ref: OwnerReference): Record<string, unknown> {
  const out: Record<string, unknown> = { apiVersion: ref.apiVersion ?? '', kind: ref.kind ?? '', name: ref.name ?? '', uid: ref.uid ?? '' };
  if (ref.controller !== undefined) out['controller'] = ref.controller;
  if (ref.blockOwnerDeletion !== undefined) out['blockOwnerDeletion'] = ref.blockOwnerDeletion;
  return out;
}

function splitAPIVersion(apiVersion: string): { group: string; version: string } {
  const parts = apiVersion.split('/');
  if (parts.length === 1) return { group: '', version: parts[0] ?? '' };
  if (parts.length === 2) return { group: parts[0] ?? '', version: parts[1] ?? '' };
  return { group: '', version: '' };
}

export function validateOwnerReferences(refs: OwnerReference[] | null | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let firstController = '';
  for (const ref of refs ?? []) {
    const { group, version } = splitAPIVersion(ref.apiVersion ?? '');
    if (!version) errs.push(invalid(child(path, 'apiVersion'), ref.apiVersion ?? '', 'version must not be empty'));
    if (!ref.kind) errs.push(invalid(child(path, 'kind'), ref.kind ?? '', 'must not be empty'));
    if (!ref.name) errs.push(invalid(child(path, 'name'), ref.name ?? '', 'must not be empty'));
    if (!ref.uid) errs.push(invalid(child(path, 'uid'), ref.uid ?? '', 'must not be empty'));
    if (group === '' && version === 'v1' && ref.kind === 'Event') {
      errs.push(invalid(path, ownerReferenceJSON(ref), '/v1, Kind=Event is disallowed from being an owner'));
    }
    if (ref.controller === true) {
      const name = `${ref.kind}/${ref.name}`;
      if (firstController) {
        errs.push(
          invalid(
            path,
            (refs ?? []).map(ownerReferenceJSON),
            `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${name}`,
          ),
        );
      } else {
        firstController = name;
      }
    }
  }
  return errs;
}

const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

/** apimachinery's ValidateFinalizers: qualified names at the list's path, and not both orphan and foregroundDeletion. */
function validateFinalizers(finalizers: string[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of finalizers) for (const msg of isQualifiedName(f)) errs.push(invalid(path, f, msg));
  if (finalizers.includes('orphan') && finalizers.includes('foregroundDeletion')) {
    errs.push(invalid(path, finalizers, 'finalizer orphan and foregroundDeletion cannot be both set'));
  }
  return errs;
}

/** core validation's validateKubeFinalizerName: an unprefixed finalizer must be one of the standard ones. */
export function validateKubeFinalizerName(value: string, path: string): FieldError[] {
  if (!value.includes('/') && !STANDARD_FINALIZERS.has(value)) {
    return [invalid(path, value, 'name is neither a standard finalizer name nor is it fully qualified')];
  }
  return [];
}

/** apimachinery's validateFinalizerName plus the standard-name check, as Namespace spec.finalizers uses it. */
export function validateFinalizerName(value: string, path: string): FieldError[] {
  return [...isQualifiedName(value).map((msg) => invalid(path, value, msg)), ...validateKubeFinalizerName(value, path)];
}

export interface ObjectMetaOptions {
  /** Namespaced kinds require metadata.namespace; cluster-scoped kinds forbid it. */
  namespaced: boolean;
  nameFn: NameValidator;
}

/**
 * ValidateObjectMeta for a create. It expects name generation to have happened already, so a
 * manifest with only generateName gets "name or generateName is required" unless the caller
 * has filled the name in.
 */
export function validateObjectMeta(meta: ObjectMeta, opts: ObjectMetaOptions, path = 'metadata'): FieldError[] {
  const errs: FieldError[] = [];
  if (meta.generateName) {
    for (const msg of opts.nameFn(meta.generateName, true)) errs.push(invalid(child(path, 'generateName'), meta.generateName, msg));
  }
  if (!meta.name) {
    errs.push(required(child(path, 'name'), 'name or generateName is required'));
  } else {
    for (const msg of opts.nameFn(meta.name, false)) errs.push(invalid(child(path, 'name'), meta.name, msg));
  }
  if (opts.namespaced) {
    if (!meta.namespace) errs.push(required(child(path, 'namespace')));
    else for (const msg of validateNamespaceName(meta.namespace, false)) errs.push(invalid(child(path, 'namespace'), meta.namespace, msg));
  } else if (meta.namespace) {
    errs.push(forbidden(child(path, 'namespace'), 'not allowed on this type'));
  }
  errs.push(...validateNonnegativeField(meta.generation ?? 0, child(path, 'generation')));
  appendAll(errs, validateLabels(meta.labels, child(path, 'labels')));
  appendAll(errs, validateAnnotations(meta.annotations, child(path, 'annotations')));
  appendAll(errs, validateOwnerReferences(meta.ownerReferences, child(path, 'ownerReferences')));
  appendAll(errs, validateFinalizers(meta.finalizers ?? [], child(path, 'finalizers')));
  (meta.finalizers ?? []).forEach((f, i) => errs.push(...validateKubeFinalizerName(f, index(child(path, 'finalizers'), i))));
  return errs;
}

function sameValue(a: unknown, b: unknown): boolean {
  return (a ?? null) === (b ?? null);
}

/** ValidateObjectMetaUpdate: immutability and resourceVersion first, then labels/annotations/owners again. */
export function validateObjectMetaUpdate(newMeta: ObjectMeta, oldMeta: ObjectMeta, path = 'metadata'): FieldError[] {
  const errs: FieldError[] = [];
  if (oldMeta.deletionTimestamp) {
    const old = new Set(oldMeta.finalizers ?? []);
    const extra = [...new Set((newMeta.finalizers ?? []).filter((f) => !old.has(f)))].sort();
    if (extra.length > 0) {
      errs.push(
        forbidden(
          child(path, 'finalizers'),
          `no new finalizers can be added if the object is being deleted, found new finalizers []string{${extra.map((f) => JSON.stringify(f)).join(', ')}}`,
        ),
      );
    }
  }
  if (!newMeta.resourceVersion) errs.push(invalid(child(path, 'resourceVersion'), newMeta.resourceVersion ?? '', 'must be specified for an update'));
  if ((newMeta.generation ?? 0) < (oldMeta.generation ?? 0)) {
    errs.push(invalid(child(path, 'generation'), newMeta.generation ?? 0, 'must not be decremented'));
  }
  const immutable: [keyof ObjectMeta, string][] = [
    ['name', 'name'],
    ['namespace', 'namespace'],
    ['uid', 'uid'],
    ['creationTimestamp', 'creationTimestamp'],
    ['deletionTimestamp', 'deletionTimestamp'],
    ['deletionGracePeriodSeconds', 'deletionGracePeriodSeconds'],
  ];
  for (const [field, name] of immutable) {
    if (!sameValue(newMeta[field], oldMeta[field])) {
      const v = newMeta[field];
      const bad = field === 'name' || field === 'namespace' || field === 'uid' ? (v ?? '') : (v ?? null);
      errs.push(invalid(child(path, name), bad, FIELD_IMMUTABLE));
    }
  }
  appendAll(errs, validateLabels(newMeta.labels, child(path, 'labels')));
  appendAll(errs, validateAnnotations(newMeta.annotations, child(path, 'annotations')));
  appendAll(errs, validateOwnerReferences(newMeta.ownerReferences, child(path, 'ownerReferences')));
  (newMeta.finalizers ?? []).forEach((f, i) => errs.push(...validateKubeFinalizerName(f, index(child(path, 'finalizers'), i))));
  return errs;
}
