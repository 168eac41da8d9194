// The strategic merge patch metadata of the built-in kinds the emulator serves, transcribed
// from the patchStrategy and patchMergeKey struct tags of k8s.io/api v0.32 (core/v1,
// apps/v1, discovery/v1) and k8s.io/apimachinery meta/v1. The apiserver reads those tags by
// reflection; the emulator has no Go structs, so the tags live here as data.
//
// The table is keyed by Go struct name, then by JSON field name. A field that is missing
// from its struct's entry, or a struct that is missing from the table, has no strategy:
// its maps merge key by key and its lists are replaced whole, exactly as for an untagged
// Go field. Only the fields whose tags change that, and the fields leading to them, are
// listed.

export type PatchStrategy = 'merge' | 'replace';

export interface FieldPatchMeta {
  /** The Go struct of the field's value, or of each element when the field is a list. */
  type?: string;
  /** patchStrategy "merge" or "replace"; absent means neither. */
  strategy?: PatchStrategy;
  /** patchMergeKey: the member that identifies an element of a merged list of objects. */
  mergeKey?: string;
  /**
   * patchStrategy includes "retainKeys". It only shapes the patches clients compute; the
   * server applies whatever $retainKeys directive a patch carries, tag or no tag.
   */
  retainKeys?: boolean;
}

export type StructPatchMeta = Readonly<Record<string, FieldPatchMeta>>;

const conditionsByType: FieldPatchMeta = { strategy: 'merge', mergeKey: 'type' };

const containerFields: StructPatchMeta = {
  ports: { strategy: 'merge', mergeKey: 'containerPort' },
  env: { strategy: 'merge', mergeKey: 'name' },
  volumeMounts: { strategy: 'merge', mergeKey: 'mountPath' },
  volumeDevices: { strategy: 'merge', mergeKey: 'devicePath' },
};

export const STRUCT_PATCH_METADATA: Readonly<Record<string, StructPatchMeta>> = {
  ObjectMeta: {
    finalizers: { strategy: 'merge' },
    ownerReferences: { strategy: 'merge', mergeKey: 'uid' },
  },

  Pod: { metadata: { type: 'ObjectMeta' }, spec: { type: 'PodSpec' }, status: { type: 'PodStatus' } },
  PodTemplateSpec: { metadata: { type: 'ObjectMeta' }, spec: { type: 'PodSpec' } },
  PodSpec: {
    volumes: { type: 'Volume', strategy: 'merge', mergeKey: 'name', retainKeys: true },
    initContainers: { type: 'Container', strategy: 'merge', mergeKey: 'name' },
    containers: { type: 'Container', strategy: 'merge', mergeKey: 'name' },
    ephemeralContainers: { type: 'EphemeralContainer', strategy: 'merge', mergeKey: 'name' },
    imagePullSecrets: { strategy: 'merge', mergeKey: 'name' },
    hostAliases: { strategy: 'merge', mergeKey: 'ip' },
    topologySpreadConstraints: { strategy: 'merge', mergeKey: 'topologyKey' },
    schedulingGates: { strategy: 'merge', mergeKey: 'name' },
    resourceClaims: { strategy: 'merge', mergeKey: 'name', retainKeys: true },
  },
  Container: containerFields,
  // EphemeralContainerCommon repeats Container's tags field for field.
  EphemeralContainer: containerFields,
  PodStatus: {
    conditions: conditionsByType,
    podIPs: { strategy: 'merge', mergeKey: 'ip' },
    hostIPs: { strategy: 'merge', mergeKey: 'ip' },
    resourceClaimStatuses: { strategy: 'merge', mergeKey: 'name', retainKeys: true },
  },

  Service: { metadata: { type: 'ObjectMeta' }, spec: { type: 'ServiceSpec' }, status: { type: 'ServiceStatus' } },
  ServiceSpec: { ports: { strategy: 'merge', mergeKey: 'port' } },
  ServiceStatus: { conditions: conditionsByType },

  // Endpoints subsets and EndpointSlice endpoints and ports carry no patch tags: they are
  // replaced whole, so only the object metadata merges.
  Endpoints: { metadata: { type: 'ObjectMeta' } },
  EndpointSlice: { metadata: { type: 'ObjectMeta' } },

  // NamespaceSpec.finalizers is atomic, unlike ObjectMeta.finalizers.
  Namespace: { metadata: { type: 'ObjectMeta' }, status: { type: 'NamespaceStatus' } },
  NamespaceStatus: { conditions: conditionsByType },

  Deployment: {
    metadata: { type: 'ObjectMeta' },
    spec: { type: 'DeploymentSpec' },
    status: { type: 'DeploymentStatus' },
  },
  DeploymentSpec: {
    template: { type: 'PodTemplateSpec' },
    strategy: { type: 'DeploymentStrategy', retainKeys: true },
  },
  DeploymentStatus: { conditions: conditionsByType },

  ReplicaSet: {
    metadata: { type: 'ObjectMeta' },
    spec: { type: 'ReplicaSetSpec' },
    status: { type: 'ReplicaSetStatus' },
  },
  ReplicaSetSpec: { template: { type: 'PodTemplateSpec' } },
  ReplicaSetStatus: { conditions: conditionsByType },

  StatefulSet: {
    metadata: { type: 'ObjectMeta' },
    spec: { type: 'StatefulSetSpec' },
    status: { type: 'StatefulSetStatus' },
  },
  StatefulSetSpec: {
    template: { type: 'PodTemplateSpec' },
    volumeClaimTemplates: { type: 'PersistentVolumeClaim' },
  },
  StatefulSetStatus: { conditions: conditionsByType },
  PersistentVolumeClaim: { metadata: { type: 'ObjectMeta' }, status: { type: 'PersistentVolumeClaimStatus' } },
  PersistentVolumeClaimStatus: { conditions: conditionsByType },

  DaemonSet: {
    metadata: { type: 'ObjectMeta' },
    spec: { type: 'DaemonSetSpec' },
    status: { type: 'DaemonSetStatus' },
  },
  DaemonSetSpec: { template: { type: 'PodTemplateSpec' } },
  DaemonSetStatus: { conditions: conditionsByType },

  // autoscaling/v1 Scale, the body of the /scale subresource.
  Scale: { metadata: { type: 'ObjectMeta' } },
};

/** The root struct of each served kind, keyed by "group/kind" ("" is the core group). */
const ROOT_STRUCTS: Readonly<Record<string, string>> = {
  '/Pod': 'Pod',
  '/Service': 'Service',
  '/Endpoints': 'Endpoints',
  '/Namespace': 'Namespace',
  'apps/Deployment': 'Deployment',
  'apps/ReplicaSet': 'ReplicaSet',
  'apps/StatefulSet': 'StatefulSet',
  'apps/DaemonSet': 'DaemonSet',
  'discovery.k8s.io/EndpointSlice': 'EndpointSlice',
  'autoscaling/Scale': 'Scale',
};

/**
 * The struct whose metadata applies at the top of an object of this group and kind, or
 * undefined for a kind the table does not describe.
 */
export function rootStructFor(group: string, kind: string): string | undefined {
  return ROOT_STRUCTS[`${group}/${kind}`];
}

/** The patch metadata of one field of a struct; an empty object when nothing is tagged. */
export function fieldPatchMeta(structName: string | undefined, field: string): FieldPatchMeta {
  if (structName === undefined) return {};
  return STRUCT_PATCH_METADATA[structName]?.[field] ?? {};
}
