// core/v1 types (k8s.io/api/core/v1/types.go, v0.32). PodSpec, Container, Probe and the
// common volume sources are complete; rare volume sources and Node status are `unmodelled`
// (they must be objects, and nothing inside them is reported as unknown).

import { condition, labelSelector, objectMeta, typeMeta } from './metaSchema';
import {
  arrayOf,
  bool,
  bytes,
  int32,
  int64,
  intOrString,
  mapOf,
  microTime,
  named,
  quantity,
  str,
  stringMap,
  struct,
  time,
  unmodelled,
  type ObjectSchema,
} from './schemaTypes';

const protocol = named('v1.Protocol');
const conditionStatus = named('v1.ConditionStatus');

export const resourceList = mapOf(quantity, 'v1.ResourceList');

export const objectReference = struct('v1.ObjectReference', {
  kind: str,
  namespace: str,
  name: str,
  uid: named('types.UID'),
  apiVersion: str,
  resourceVersion: str,
  fieldPath: str,
});

const localObjectReference = struct('v1.LocalObjectReference', { name: str });

const objectFieldSelector = struct('v1.ObjectFieldSelector', { apiVersion: str, fieldPath: str });

const resourceFieldSelector = struct('v1.ResourceFieldSelector', {
  containerName: str,
  resource: str,
  divisor: quantity,
});

const keyToPath = struct('v1.KeyToPath', { key: str, path: str, mode: int32 });

// ---- Containers ----------------------------------------------------------------------

const containerPort = struct('v1.ContainerPort', {
  name: str,
  hostPort: int32,
  containerPort: int32,
  protocol,
  hostIP: str,
});

const envFromSource = struct('v1.EnvFromSource', {
  prefix: str,
  configMapRef: struct('v1.ConfigMapEnvSource', { name: str, optional: bool }),
  secretRef: struct('v1.SecretEnvSource', { name: str, optional: bool }),
});

const envVar = struct('v1.EnvVar', {
  name: str,
  value: str,
  valueFrom: struct('v1.EnvVarSource', {
    fieldRef: objectFieldSelector,
    resourceFieldRef: resourceFieldSelector,
    configMapKeyRef: struct('v1.ConfigMapKeySelector', { name: str, key: str, optional: bool }),
    secretKeyRef: struct('v1.SecretKeySelector', { name: str, key: str, optional: bool }),
  }),
});

export const resourceRequirements = struct('v1.ResourceRequirements', {
  limits: resourceList,
  requests: resourceList,
  claims: arrayOf(struct('v1.ResourceClaim', { name: str, request: str })),
});

const volumeMount = struct('v1.VolumeMount', {
  name: str,
  readOnly: bool,
  recursiveReadOnly: named('v1.RecursiveReadOnlyMode'),
  mountPath: str,
  subPath: str,
  mountPropagation: named('v1.MountPropagationMode'),
  subPathExpr: str,
});

const execAction = struct('v1.ExecAction', { command: arrayOf(str) });

const httpGetAction = struct('v1.HTTPGetAction', {
  path: str,
  port: intOrString,
  host: str,
  scheme: named('v1.URIScheme'),
  httpHeaders: arrayOf(struct('v1.HTTPHeader', { name: str, value: str })),
});

const tcpSocketAction = struct('v1.TCPSocketAction', { port: intOrString, host: str });

// Probe embeds ProbeHandler inline, so its handler fields sit beside the timing fields.
const probe = struct('v1.Probe', {
  exec: execAction,
  httpGet: httpGetAction,
  tcpSocket: tcpSocketAction,
  grpc: struct('v1.GRPCAction', { port: int32, service: str }),
  initialDelaySeconds: int32,
  timeoutSeconds: int32,
  periodSeconds: int32,
  successThreshold: int32,
  failureThreshold: int32,
  terminationGracePeriodSeconds: int64,
});

const lifecycleHandler = struct('v1.LifecycleHandler', {
  exec: execAction,
  httpGet: httpGetAction,
  tcpSocket: tcpSocketAction,
  sleep: struct('v1.SleepAction', { seconds: int64 }),
});

const seLinuxOptions = struct('v1.SELinuxOptions', { user: str, role: str, type: str, level: str });

const windowsOptions = struct('v1.WindowsSecurityContextOptions', {
  gmsaCredentialSpecName: str,
  gmsaCredentialSpec: str,
  runAsUserName: str,
  hostProcess: bool,
});

const seccompProfile = struct('v1.SeccompProfile', {
  type: named('v1.SeccompProfileType'),
  localhostProfile: str,
});

const appArmorProfile = struct('v1.AppArmorProfile', {
  type: named('v1.AppArmorProfileType'),
  localhostProfile: str,
});

const securityContext = struct('v1.SecurityContext', {
  capabilities: struct('v1.Capabilities', {
    add: arrayOf(named('v1.Capability')),
    drop: arrayOf(named('v1.Capability')),
  }),
  privileged: bool,
  seLinuxOptions,
  windowsOptions,
  runAsUser: int64,
  runAsGroup: int64,
  runAsNonRoot: bool,
  readOnlyRootFilesystem: bool,
  allowPrivilegeEscalation: bool,
  procMount: named('v1.ProcMountType'),
  seccompProfile,
  appArmorProfile,
});

const containerFields = {
  name: str,
  image: str,
  command: arrayOf(str),
  args: arrayOf(str),
  workingDir: str,
  ports: arrayOf(containerPort),
  envFrom: arrayOf(envFromSource),
  env: arrayOf(envVar),
  resources: resourceRequirements,
  resizePolicy: arrayOf(
    struct('v1.ContainerResizePolicy', {
      resourceName: named('v1.ResourceName'),
      restartPolicy: named('v1.ResourceResizeRestartPolicy'),
    }),
  ),
  restartPolicy: named('v1.ContainerRestartPolicy'),
  volumeMounts: arrayOf(volumeMount),
  volumeDevices: arrayOf(struct('v1.VolumeDevice', { name: str, devicePath: str })),
  livenessProbe: probe,
  readinessProbe: probe,
  startupProbe: probe,
  lifecycle: struct('v1.Lifecycle', { postStart: lifecycleHandler, preStop: lifecycleHandler }),
  terminationMessagePath: str,
  terminationMessagePolicy: named('v1.TerminationMessagePolicy'),
  imagePullPolicy: named('v1.PullPolicy'),
  securityContext,
  stdin: bool,
  stdinOnce: bool,
  tty: bool,
};

export const container = struct('v1.Container', containerFields);

const ephemeralContainer = struct('v1.EphemeralContainer', { ...containerFields, targetContainerName: str });

// ---- Volumes -------------------------------------------------------------------------

const downwardAPIVolumeFile = struct('v1.DownwardAPIVolumeFile', {
  path: str,
  fieldRef: objectFieldSelector,
  resourceFieldRef: resourceFieldSelector,
  mode: int32,
});

const volumeProjection = struct('v1.VolumeProjection', {
  secret: struct('v1.SecretProjection', { name: str, items: arrayOf(keyToPath), optional: bool }),
  downwardAPI: struct('v1.DownwardAPIProjection', { items: arrayOf(downwardAPIVolumeFile) }),
  configMap: struct('v1.ConfigMapProjection', { name: str, items: arrayOf(keyToPath), optional: bool }),
  serviceAccountToken: struct('v1.ServiceAccountTokenProjection', {
    audience: str,
    expirationSeconds: int64,
    path: str,
  }),
  clusterTrustBundle: struct('v1.ClusterTrustBundleProjection', {
    name: str,
    signerName: str,
    labelSelector,
    optional: bool,
    path: str,
  }),
});

// Volume embeds VolumeSource inline: `name` plus exactly one source field.
const volume = struct('v1.Volume', {
  name: str,
  hostPath: struct('v1.HostPathVolumeSource', { path: str, type: named('v1.HostPathType') }),
  emptyDir: struct('v1.EmptyDirVolumeSource', { medium: named('v1.StorageMedium'), sizeLimit: quantity }),
  gcePersistentDisk: unmodelled('v1.GCEPersistentDiskVolumeSource'),
  awsElasticBlockStore: unmodelled('v1.AWSElasticBlockStoreVolumeSource'),
  gitRepo: unmodelled('v1.GitRepoVolumeSource'),
  secret: struct('v1.SecretVolumeSource', {
    secretName: str,
    items: arrayOf(keyToPath),
    defaultMode: int32,
    optional: bool,
  }),
  nfs: unmodelled('v1.NFSVolumeSource'),
  iscsi: unmodelled('v1.ISCSIVolumeSource'),
  glusterfs: unmodelled('v1.GlusterfsVolumeSource'),
  persistentVolumeClaim: struct('v1.PersistentVolumeClaimVolumeSource', { claimName: str, readOnly: bool }),
  rbd: unmodelled('v1.RBDVolumeSource'),
  flexVolume: unmodelled('v1.FlexVolumeSource'),
  cinder: unmodelled('v1.CinderVolumeSource'),
  cephfs: unmodelled('v1.CephFSVolumeSource'),
  flocker: unmodelled('v1.FlockerVolumeSource'),
  downwardAPI: struct('v1.DownwardAPIVolumeSource', {
    items: arrayOf(downwardAPIVolumeFile),
    defaultMode: int32,
  }),
  fc: unmodelled('v1.FCVolumeSource'),
  azureFile: unmodelled('v1.AzureFileVolumeSource'),
  configMap: struct('v1.ConfigMapVolumeSource', {
    name: str,
    items: arrayOf(keyToPath),
    defaultMode: int32,
    optional: bool,
  }),
  vsphereVolume: unmodelled('v1.VsphereVirtualDiskVolumeSource'),
  quobyte: unmodelled('v1.QuobyteVolumeSource'),
  azureDisk: unmodelled('v1.AzureDiskVolumeSource'),
  photonPersistentDisk: unmodelled('v1.PhotonPersistentDiskVolumeSource'),
  projected: struct('v1.ProjectedVolumeSource', { sources: arrayOf(volumeProjection), defaultMode: int32 }),
  portworxVolume: unmodelled('v1.PortworxVolumeSource'),
  scaleIO: unmodelled('v1.ScaleIOVolumeSource'),
  storageos: unmodelled('v1.StorageOSVolumeSource'),
  csi: unmodelled('v1.CSIVolumeSource'),
  ephemeral: unmodelled('v1.EphemeralVolumeSource'),
  image: struct('v1.ImageVolumeSource', { reference: str, pullPolicy: named('v1.PullPolicy') }),
});

// ---- Scheduling ----------------------------------------------------------------------

const nodeSelectorRequirement = struct('v1.NodeSelectorRequirement', {
  key: str,
  operator: named('v1.NodeSelectorOperator'),
  values: arrayOf(str),
});

const nodeSelectorTerm = struct('v1.NodeSelectorTerm', {
  matchExpressions: arrayOf(nodeSelectorRequirement),
  matchFields: arrayOf(nodeSelectorRequirement),
});

const podAffinityTerm = struct('v1.PodAffinityTerm', {
  labelSelector,
  namespaces: arrayOf(str),
  topologyKey: str,
  namespaceSelector: labelSelector,
  matchLabelKeys: arrayOf(str),
  mismatchLabelKeys: arrayOf(str),
});

const weightedPodAffinityTerm = struct('v1.WeightedPodAffinityTerm', { weight: int32, podAffinityTerm });

const affinity = struct('v1.Affinity', {
  nodeAffinity: struct('v1.NodeAffinity', {
    requiredDuringSchedulingIgnoredDuringExecution: struct('v1.NodeSelector', {
      nodeSelectorTerms: arrayOf(nodeSelectorTerm),
    }),
    preferredDuringSchedulingIgnoredDuringExecution: arrayOf(
      struct('v1.PreferredSchedulingTerm', { weight: int32, preference: nodeSelectorTerm }),
    ),
  }),
  podAffinity: struct('v1.PodAffinity', {
    requiredDuringSchedulingIgnoredDuringExecution: arrayOf(podAffinityTerm),
    preferredDuringSchedulingIgnoredDuringExecution: arrayOf(weightedPodAffinityTerm),
  }),
  podAntiAffinity: struct('v1.PodAntiAffinity', {
    requiredDuringSchedulingIgnoredDuringExecution: arrayOf(podAffinityTerm),
    preferredDuringSchedulingIgnoredDuringExecution: arrayOf(weightedPodAffinityTerm),
  }),
});

const toleration = struct('v1.Toleration', {
  key: str,
  operator: named('v1.TolerationOperator'),
  value: str,
  effect: named('v1.TaintEffect'),
  tolerationSeconds: int64,
});

const topologySpreadConstraint = struct('v1.TopologySpreadConstraint', {
  maxSkew: int32,
  topologyKey: str,
  whenUnsatisfiable: named('v1.UnsatisfiableConstraintAction'),
  labelSelector,
  minDomains: int32,
  nodeAffinityPolicy: named('v1.NodeInclusionPolicy'),
  nodeTaintsPolicy: named('v1.NodeInclusionPolicy'),
  matchLabelKeys: arrayOf(str),
});

const podSecurityContext = struct('v1.PodSecurityContext', {
  seLinuxOptions,
  windowsOptions,
  runAsUser: int64,
  runAsGroup: int64,
  runAsNonRoot: bool,
  supplementalGroups: arrayOf(int64),
  supplementalGroupsPolicy: named('v1.SupplementalGroupsPolicy'),
  fsGroup: int64,
  sysctls: arrayOf(struct('v1.Sysctl', { name: str, value: str })),
  fsGroupChangePolicy: named('v1.PodFSGroupChangePolicy'),
  seccompProfile,
  appArmorProfile,
  seLinuxChangePolicy: named('v1.PodSELinuxChangePolicy'),
});

export const podSpec = struct('v1.PodSpec', {
  volumes: arrayOf(volume),
  initContainers: arrayOf(container),
  containers: arrayOf(container),
  ephemeralContainers: arrayOf(ephemeralContainer),
  restartPolicy: named('v1.RestartPolicy'),
  terminationGracePeriodSeconds: int64,
  activeDeadlineSeconds: int64,
  dnsPolicy: named('v1.DNSPolicy'),
  nodeSelector: stringMap,
  serviceAccountName: str,
  serviceAccount: str,
  automountServiceAccountToken: bool,
  nodeName: str,
  hostNetwork: bool,
  hostPID: bool,
  hostIPC: bool,
  shareProcessNamespace: bool,
  securityContext: podSecurityContext,
  imagePullSecrets: arrayOf(localObjectReference),
  hostname: str,
  subdomain: str,
  affinity,
  schedulerName: str,
  tolerations: arrayOf(toleration),
  hostAliases: arrayOf(struct('v1.HostAlias', { ip: str, hostnames: arrayOf(str) })),
  priorityClassName: str,
  priority: int32,
  dnsConfig: struct('v1.PodDNSConfig', {
    nameservers: arrayOf(str),
    searches: arrayOf(str),
    options: arrayOf(struct('v1.PodDNSConfigOption', { name: str, value: str })),
  }),
  readinessGates: arrayOf(struct('v1.PodReadinessGate', { conditionType: named('v1.PodConditionType') })),
  runtimeClassName: str,
  enableServiceLinks: bool,
  preemptionPolicy: named('v1.PreemptionPolicy'),
  overhead: resourceList,
  topologySpreadConstraints: arrayOf(topologySpreadConstraint),
  setHostnameAsFQDN: bool,
  os: struct('v1.PodOS', { name: named('v1.OSName') }),
  hostUsers: bool,
  schedulingGates: arrayOf(struct('v1.PodSchedulingGate', { name: str })),
  resourceClaims: arrayOf(
    struct('v1.PodResourceClaim', { name: str, resourceClaimName: str, resourceClaimTemplateName: str }),
  ),
  resources: resourceRequirements,
});

export const podTemplateSpec = struct('v1.PodTemplateSpec', { metadata: objectMeta, spec: podSpec });

// ---- Pod status ----------------------------------------------------------------------

const containerState = struct('v1.ContainerState', {
  waiting: struct('v1.ContainerStateWaiting', { reason: str, message: str }),
  running: struct('v1.ContainerStateRunning', { startedAt: time }),
  terminated: struct('v1.ContainerStateTerminated', {
    exitCode: int32,
    signal: int32,
    reason: str,
    message: str,
    startedAt: time,
    finishedAt: time,
    containerID: str,
  }),
});

const containerStatus = struct('v1.ContainerStatus', {
  name: str,
  state: containerState,
  lastState: containerState,
  ready: bool,
  restartCount: int32,
  image: str,
  imageID: str,
  containerID: str,
  started: bool,
  allocatedResources: resourceList,
  resources: resourceRequirements,
  volumeMounts: arrayOf(
    struct('v1.VolumeMountStatus', {
      name: str,
      mountPath: str,
      readOnly: bool,
      recursiveReadOnly: named('v1.RecursiveReadOnlyMode'),
    }),
  ),
  user: unmodelled('v1.ContainerUser'),
  allocatedResourcesStatus: arrayOf(unmodelled('v1.ResourceStatus')),
});

const podStatus = struct('v1.PodStatus', {
  phase: named('v1.PodPhase'),
  conditions: arrayOf(
    struct('v1.PodCondition', {
      type: named('v1.PodConditionType'),
      status: conditionStatus,
      lastProbeTime: time,
      lastTransitionTime: time,
      reason: str,
      message: str,
    }),
  ),
  message: str,
  reason: str,
  nominatedNodeName: str,
  hostIP: str,
  hostIPs: arrayOf(struct('v1.HostIP', { ip: str })),
  podIP: str,
  podIPs: arrayOf(struct('v1.PodIP', { ip: str })),
  startTime: time,
  initContainerStatuses: arrayOf(containerStatus),
  containerStatuses: arrayOf(containerStatus),
  qosClass: named('v1.PodQOSClass'),
  ephemeralContainerStatuses: arrayOf(containerStatus),
  resize: named('v1.PodResizeStatus'),
  resourceClaimStatuses: arrayOf(
    struct('v1.PodResourceClaimStatus', { name: str, resourceClaimName: str }),
  ),
});

// ---- Kinds ---------------------------------------------------------------------------

export const pod: ObjectSchema = struct('v1.Pod', {
  ...typeMeta,
  metadata: objectMeta,
  spec: podSpec,
  status: podStatus,
});

const servicePort = struct('v1.ServicePort', {
  name: str,
  protocol,
  appProtocol: str,
  port: int32,
  targetPort: intOrString,
  nodePort: int32,
});

export const service: ObjectSchema = struct('v1.Service', {
  ...typeMeta,
  metadata: objectMeta,
  spec: struct('v1.ServiceSpec', {
    ports: arrayOf(servicePort),
    selector: stringMap,
    clusterIP: str,
    clusterIPs: arrayOf(str),
    type: named('v1.ServiceType'),
    externalIPs: arrayOf(str),
    sessionAffinity: named('v1.ServiceAffinity'),
    loadBalancerIP: str,
    loadBalancerSourceRanges: arrayOf(str),
    externalName: str,
    externalTrafficPolicy: named('v1.ServiceExternalTrafficPolicy'),
    healthCheckNodePort: int32,
    publishNotReadyAddresses: bool,
    sessionAffinityConfig: struct('v1.SessionAffinityConfig', {
      clientIP: struct('v1.ClientIPConfig', { timeoutSeconds: int32 }),
    }),
    ipFamilies: arrayOf(named('v1.IPFamily')),
    ipFamilyPolicy: named('v1.IPFamilyPolicy'),
    allocateLoadBalancerNodePorts: bool,
    loadBalancerClass: str,
    internalTrafficPolicy: named('v1.ServiceInternalTrafficPolicy'),
    trafficDistribution: str,
  }),
  status: struct('v1.ServiceStatus', {
    loadBalancer: struct('v1.LoadBalancerStatus', {
      ingress: arrayOf(
        struct('v1.LoadBalancerIngress', {
          ip: str,
          hostname: str,
          ipMode: named('v1.LoadBalancerIPMode'),
          ports: arrayOf(struct('v1.PortStatus', { port: int32, protocol, error: str })),
        }),
      ),
    }),
    conditions: arrayOf(condition),
  }),
});

export const namespace: ObjectSchema = struct('v1.Namespace', {
  ...typeMeta,
  metadata: objectMeta,
  spec: struct('v1.NamespaceSpec', { finalizers: arrayOf(named('v1.FinalizerName')) }),
  status: struct('v1.NamespaceStatus', {
    phase: named('v1.NamespacePhase'),
    conditions: arrayOf(
      struct('v1.NamespaceCondition', {
        type: named('v1.NamespaceConditionType'),
        status: conditionStatus,
        lastTransitionTime: time,
        reason: str,
        message: str,
      }),
    ),
  }),
});

const endpointAddress = struct('v1.EndpointAddress', {
  ip: str,
  hostname: str,
  nodeName: str,
  targetRef: objectReference,
});

export const endpoints: ObjectSchema = struct('v1.Endpoints', {
  ...typeMeta,
  metadata: objectMeta,
  subsets: arrayOf(
    struct('v1.EndpointSubset', {
      addresses: arrayOf(endpointAddress),
      notReadyAddresses: arrayOf(endpointAddress),
      ports: arrayOf(struct('v1.EndpointPort', { name: str, port: int32, protocol, appProtocol: str })),
    }),
  ),
});

export const event: ObjectSchema = struct('v1.Event', {
  ...typeMeta,
  metadata: objectMeta,
  involvedObject: objectReference,
  reason: str,
  message: str,
  source: struct('v1.EventSource', { component: str, host: str }),
  firstTimestamp: time,
  lastTimestamp: time,
  count: int32,
  type: str,
  eventTime: microTime,
  series: struct('v1.EventSeries', { count: int32, lastObservedTime: microTime }),
  action: str,
  related: objectReference,
  reportingComponent: str,
  reportingInstance: str,
});

export const node: ObjectSchema = struct('v1.Node', {
  ...typeMeta,
  metadata: objectMeta,
  spec: struct('v1.NodeSpec', {
    podCIDR: str,
    podCIDRs: arrayOf(str),
    providerID: str,
    unschedulable: bool,
    taints: arrayOf(
      struct('v1.Taint', { key: str, value: str, effect: named('v1.TaintEffect'), timeAdded: time }),
    ),
    configSource: unmodelled('v1.NodeConfigSource'),
    externalID: str,
  }),
  status: unmodelled('v1.NodeStatus'),
});

export const configMap: ObjectSchema = struct('v1.ConfigMap', {
  ...typeMeta,
  metadata: objectMeta,
  immutable: bool,
  data: stringMap,
  binaryData: mapOf(bytes, 'map[string][]uint8'),
});

export const secret: ObjectSchema = struct('v1.Secret', {
  ...typeMeta,
  metadata: objectMeta,
  immutable: bool,
  data: mapOf(bytes, 'map[string][]uint8'),
  stringData: stringMap,
  type: named('v1.SecretType'),
});
