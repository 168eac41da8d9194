// The built-in kinds every Kubernetes 1.32 apiserver serves, with the group versions that
// serve them. A built-in kind under another apiVersion (`app/v1`, `extensions/v1beta1`)
// fails on any cluster with kubectl's "no matches for kind"; a kind not listed here may be a
// custom resource, which only the cluster can confirm, so it is left alone.

const servedVersions: ReadonlyMap<string, readonly string[]> = new Map<string, readonly string[]>([
  ['Binding', ['v1']],
  ['ConfigMap', ['v1']],
  ['Endpoints', ['v1']],
  ['Event', ['v1', 'events.k8s.io/v1']],
  ['LimitRange', ['v1']],
  ['Namespace', ['v1']],
  ['Node', ['v1']],
  ['PersistentVolume', ['v1']],
  ['PersistentVolumeClaim', ['v1']],
  ['Pod', ['v1']],
  ['PodTemplate', ['v1']],
  ['ReplicationController', ['v1']],
  ['ResourceQuota', ['v1']],
  ['Secret', ['v1']],
  ['Service', ['v1']],
  ['ServiceAccount', ['v1']],
  ['ControllerRevision', ['apps/v1']],
  ['DaemonSet', ['apps/v1']],
  ['Deployment', ['apps/v1']],
  ['ReplicaSet', ['apps/v1']],
  ['StatefulSet', ['apps/v1']],
  ['HorizontalPodAutoscaler', ['autoscaling/v1', 'autoscaling/v2']],
  ['CronJob', ['batch/v1']],
  ['Job', ['batch/v1']],
  ['EndpointSlice', ['discovery.k8s.io/v1']],
  ['Ingress', ['networking.k8s.io/v1']],
  ['IngressClass', ['networking.k8s.io/v1']],
  ['NetworkPolicy', ['networking.k8s.io/v1']],
  ['PodDisruptionBudget', ['policy/v1']],
  ['ClusterRole', ['rbac.authorization.k8s.io/v1']],
  ['ClusterRoleBinding', ['rbac.authorization.k8s.io/v1']],
  ['Role', ['rbac.authorization.k8s.io/v1']],
  ['RoleBinding', ['rbac.authorization.k8s.io/v1']],
  ['StorageClass', ['storage.k8s.io/v1']],
  ['CustomResourceDefinition', ['apiextensions.k8s.io/v1']],
  ['PriorityClass', ['scheduling.k8s.io/v1']],
  ['Lease', ['coordination.k8s.io/v1']],
]);

const clusterScoped: ReadonlySet<string> = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'IngressClass',
  'ClusterRole',
  'ClusterRoleBinding',
  'StorageClass',
  'CustomResourceDefinition',
  'PriorityClass',
]);

/** The apiVersions that serve a built-in kind, or undefined for a kind that may be a custom resource. */
export function builtinVersions(kind: string): readonly string[] | undefined {
  return servedVersions.get(kind);
}

/** Whether objects of `kind` live in a namespace; unknown kinds are assumed to, as most do. */
export function isNamespaced(kind: string | undefined): boolean {
  return kind === undefined || !clusterScoped.has(kind);
}
