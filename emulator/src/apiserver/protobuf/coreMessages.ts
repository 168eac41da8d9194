// core/v1 messages (k8s.io/api v0.32 core/v1/generated.proto for the numbers, types.go for
// the JSON tags): Service, Pod with the PodSpec and Container fields clients send, Namespace,
// Endpoints and Event. Fields added after 1.32 are left out on purpose: a 1.32 apiserver does
// not know them either, so they are skipped as unknown fields. Volume sources cover the ones
// a workload on this emulator can use (emptyDir, hostPath, configMap, secret, PVC, downward
// API, projected, NFS, CSI, image); the cloud and legacy in-tree sources are not modelled.

import { condition, labelSelector, objectMeta } from './metaMessages';
import { field, inline, mapOf, message, pointer, repeated } from './schemaTypes';

// ---- References and selectors -------------------------------------------------------------

export const localObjectReference = message('LocalObjectReference', [field(1, 'name', 'string')]);

export const objectReference = message('ObjectReference', [
  field(1, 'kind', 'string'),
  field(2, 'namespace', 'string'),
  field(3, 'name', 'string'),
  field(4, 'uid', 'string', { go: 'UID' }),
  field(5, 'apiVersion', 'string', { go: 'APIVersion' }),
  field(6, 'resourceVersion', 'string'),
  field(7, 'fieldPath', 'string'),
]);

const objectFieldSelector = message('ObjectFieldSelector', [
  field(1, 'apiVersion', 'string', { go: 'APIVersion' }),
  field(2, 'fieldPath', 'string', { keep: true }),
]);

const resourceFieldSelector = message('ResourceFieldSelector', [
  field(1, 'containerName', 'string'),
  field(2, 'resource', 'string', { keep: true }),
  field(3, 'divisor', 'quantity'),
]);

const configMapKeySelector = message('ConfigMapKeySelector', [
  inline(1, 'LocalObjectReference', localObjectReference),
  field(2, 'key', 'string', { keep: true }),
  pointer(3, 'optional', 'bool'),
]);

const secretKeySelector = message('SecretKeySelector', [
  inline(1, 'LocalObjectReference', localObjectReference),
  field(2, 'key', 'string', { keep: true }),
  pointer(3, 'optional', 'bool'),
]);

const keyToPath = message('KeyToPath', [
  field(1, 'key', 'string', { keep: true }),
  field(2, 'path', 'string', { keep: true }),
  pointer(3, 'mode', 'int32'),
]);

// ---- Containers ------------------------------------------------------------------------

const envVarSource = message('EnvVarSource', [
  pointer(1, 'fieldRef', objectFieldSelector),
  pointer(2, 'resourceFieldRef', resourceFieldSelector),
  pointer(3, 'configMapKeyRef', configMapKeySelector),
  pointer(4, 'secretKeyRef', secretKeySelector),
]);

const envVar = message('EnvVar', [
  field(1, 'name', 'string', { keep: true }),
  field(2, 'value', 'string'),
  pointer(3, 'valueFrom', envVarSource),
]);

const configMapEnvSource = message('ConfigMapEnvSource', [
  inline(1, 'LocalObjectReference', localObjectReference),
  pointer(2, 'optional', 'bool'),
]);

const secretEnvSource = message('SecretEnvSource', [
  inline(1, 'LocalObjectReference', localObjectReference),
  pointer(2, 'optional', 'bool'),
]);

const envFromSource = message('EnvFromSource', [
  field(1, 'prefix', 'string'),
  pointer(2, 'configMapRef', configMapEnvSource),
  pointer(3, 'secretRef', secretEnvSource),
]);

const containerPort = message('ContainerPort', [
  field(1, 'name', 'string'),
  field(2, 'hostPort', 'int32'),
  field(3, 'containerPort', 'int32', { keep: true }),
  field(4, 'protocol', 'string'),
  field(5, 'hostIP', 'string', { go: 'HostIP' }),
]);

const resourceClaim = message('ResourceClaim', [
  field(1, 'name', 'string', { keep: true }),
  field(2, 'request', 'string'),
]);

export const resourceRequirements = message('ResourceRequirements', [
  mapOf(1, 'limits', 'quantity'),
  mapOf(2, 'requests', 'quantity'),
  repeated(3, 'claims', resourceClaim),
]);

const containerResizePolicy = message('ContainerResizePolicy', [
  field(1, 'resourceName', 'string', { keep: true }),
  field(2, 'restartPolicy', 'string', { keep: true }),
]);

const volumeMount = message('VolumeMount', [
  field(1, 'name', 'string', { keep: true }),
  field(2, 'readOnly', 'bool'),
  pointer(7, 'recursiveReadOnly', 'string'),
  field(3, 'mountPath', 'string', { keep: true }),
  field(4, 'subPath', 'string'),
  pointer(5, 'mountPropagation', 'string'),
  field(6, 'subPathExpr', 'string'),
]);

const volumeDevice = message('VolumeDevice', [
  field(1, 'name', 'string', { keep: true }),
  field(2, 'devicePath', 'string', { keep: true }),
]);

const execAction = message('ExecAction', [repeated(1, 'command', 'string')]);

const httpHeader = message('HTTPHeader', [
  field(1, 'name', 'string', { keep: true }),
  field(2, 'value', 'string', { keep: true }),
]);

const httpGetAction = message('HTTPGetAction', [
  field(1, 'path', 'string'),
  field(2, 'port', 'intOrString', { keep: true }),
  field(3, 'host', 'string'),
  field(4, 'scheme', 'string'),
  repeated(5, 'httpHeaders', httpHeader, { go: 'HTTPHeaders' }),
]);

const tcpSocketAction = message('TCPSocketAction', [
  field(1, 'port', 'intOrString', { keep: true }),
  field(2, 'host', 'string'),
]);

const grpcAction = message('GRPCAction', [
  field(1, 'port', 'int32', { keep: true }),
  pointer(2, 'service', 'string', { keep: true }),
]);

const sleepAction = message('SleepAction', [field(1, 'seconds', 'int64', { keep: true })]);

const probeHandler = message('ProbeHandler', [
  pointer(1, 'exec', execAction),
  pointer(2, 'httpGet', httpGetAction, { go: 'HTTPGet' }),
  pointer(3, 'tcpSocket', tcpSocketAction, { go: 'TCPSocket' }),
  pointer(4, 'grpc', grpcAction, { go: 'GRPC' }),
]);

const probe = message('Probe', [
  inline(1, 'ProbeHandler', probeHandler),
  field(2, 'initialDelaySeconds', 'int32'),
  field(3, 'timeoutSeconds', 'int32'),
  field(4, 'periodSeconds', 'int32'),
  field(5, 'successThreshold', 'int32'),
  field(6, 'failureThreshold', 'int32'),
  pointer(7, 'terminationGracePeriodSeconds', 'int64'),
]);

const lifecycleHandler = message('LifecycleHandler', [
  pointer(1, 'exec', execAction),
  pointer(2, 'httpGet', httpGetAction, { go: 'HTTPGet' }),
  pointer(3, 'tcpSocket', tcpSocketAction, { go: 'TCPSocket' }),
  pointer(4, 'sleep', sleepAction),
]);

const lifecycle = message('Lifecycle', [
  pointer(1, 'postStart', lifecycleHandler),
  pointer(2, 'preStop', lifecycleHandler),
]);

const capabilities = message('Capabilities', [repeated(1, 'add', 'string'), repeated(2, 'drop', 'string')]);

const seLinuxOptions = message('SELinuxOptions', [
  field(1, 'user', 'string'),
  field(2, 'role', 'string'),
  field(3, 'type', 'string'),
  field(4, 'level', 'string'),
]);

const windowsSecurityContextOptions = message('WindowsSecurityContextOptions', [
  pointer(1, 'gmsaCredentialSpecName', 'string', { go: 'GMSACredentialSpecName' }),
  pointer(2, 'gmsaCredentialSpec', 'string', { go: 'GMSACredentialSpec' }),
  pointer(3, 'runAsUserName', 'string'),
  pointer(4, 'hostProcess', 'bool'),
]);

const seccompProfile = message('SeccompProfile', [
  field(1, 'type', 'string', { keep: true }),
  pointer(2, 'localhostProfile', 'string'),
]);

const appArmorProfile = message('AppArmorProfile', [
  field(1, 'type', 'string', { keep: true }),
  pointer(2, 'localhostProfile', 'string'),
]);

const securityContext = message('SecurityContext', [
  pointer(1, 'capabilities', capabilities),
  pointer(2, 'privileged', 'bool'),
  pointer(3, 'seLinuxOptions', seLinuxOptions, { go: 'SELinuxOptions' }),
  pointer(10, 'windowsOptions', windowsSecurityContextOptions),
  pointer(4, 'runAsUser', 'int64'),
  pointer(8, 'runAsGroup', 'int64'),
  pointer(5, 'runAsNonRoot', 'bool'),
  pointer(6, 'readOnlyRootFilesystem', 'bool'),
  pointer(7, 'allowPrivilegeEscalation', 'bool'),
  pointer(9, 'procMount', 'string'),
  pointer(11, 'seccompProfile', seccompProfile),
  pointer(12, 'appArmorProfile', appArmorProfile),
]);

// Container and EphemeralContainerCommon share every field and number.
const containerFields = [
  field(1, 'name', 'string', { keep: true }),
  field(2, 'image', 'string'),
  repeated(3, 'command', 'string'),
  repeated(4, 'args', 'string'),
  field(5, 'workingDir', 'string'),
  repeated(6, 'ports', containerPort),
  repeated(19, 'envFrom', envFromSource),
  repeated(7, 'env', envVar),
  field(8, 'resources', resourceRequirements),
  repeated(23, 'resizePolicy', containerResizePolicy),
  pointer(24, 'restartPolicy', 'string'),
  repeated(9, 'volumeMounts', volumeMount),
  repeated(21, 'volumeDevices', volumeDevice),
  pointer(10, 'livenessProbe', probe),
  pointer(11, 'readinessProbe', probe),
  pointer(22, 'startupProbe', probe),
  pointer(12, 'lifecycle', lifecycle),
  field(13, 'terminationMessagePath', 'string'),
  field(20, 'terminationMessagePolicy', 'string'),
  field(14, 'imagePullPolicy', 'string'),
  pointer(15, 'securityContext', securityContext),
  field(16, 'stdin', 'bool'),
  field(17, 'stdinOnce', 'bool'),
  field(18, 'tty', 'bool', { go: 'TTY' }),
];

export const container = message('Container', containerFields);

const ephemeralContainerCommon = message('EphemeralContainerCommon', containerFields);

const ephemeralContainer = message('EphemeralContainer', [
  inline(1, 'EphemeralContainerCommon', ephemeralContainerCommon),
  field(2, 'targetContainerName', 'string'),
]);

// ---- Volumes ---------------------------------------------------------------------------

const hostPathVolumeSource = message('HostPathVolumeSource', [
  field(1, 'path', 'string', { keep: true }),
  pointer(2, 'type', 'string'),
]);

const emptyDirVolumeSource = message('EmptyDirVolumeSource', [
  field(1, 'medium', 'string'),
  pointer(2, 'sizeLimit', 'quantity'),
]);

const secretVolumeSource = message('SecretVolumeSource', [
  field(1, 'secretName', 'string'),
  repeated(2, 'items', keyToPath),
  pointer(3, 'defaultMode', 'int32'),
  pointer(4, 'optional', 'bool'),
]);

const configMapVolumeSource = message('ConfigMapVolumeSource', [
  inline(1, 'LocalObjectReference', localObjectReference),
  repeated(2, 'items', keyToPath),
  pointer(3, 'defaultMode', 'int32'),
  pointer(4, 'optional', 'bool'),
]);

const persistentVolumeClaimVolumeSource = message('PersistentVolumeClaimVolumeSource', [
  field(1, 'claimName', 'string', { keep: true }),
  field(2, 'readOnly', 'bool'),
]);

const downwardAPIVolumeFile = message('DownwardAPIVolumeFile', [
  field(1, 'path', 'string', { keep: true }),
  pointer(2, 'fieldRef', objectFieldSelector),
  pointer(3, 'resourceFieldRef', resourceFieldSelector),
  pointer(4, 'mode', 'int32'),
]);

const downwardAPIVolumeSource = message('DownwardAPIVolumeSource', [
  repeated(1, 'items', downwardAPIVolumeFile),
  pointer(2, 'defaultMode', 'int32'),
]);

const secretProjection = message('SecretProjection', [
  inline(1, 'LocalObjectReference', localObjectReference),
  repeated(2, 'items', keyToPath),
  pointer(4, 'optional', 'bool'),
]);

const configMapProjection = message('ConfigMapProjection', [
  inline(1, 'LocalObjectReference', localObjectReference),
  repeated(2, 'items', keyToPath),
  pointer(4, 'optional', 'bool'),
]);

const downwardAPIProjection = message('DownwardAPIProjection', [repeated(1, 'items', downwardAPIVolumeFile)]);

const serviceAccountTokenProjection = message('ServiceAccountTokenProjection', [
  field(1, 'audience', 'string'),
  pointer(2, 'expirationSeconds', 'int64'),
  field(3, 'path', 'string', { keep: true }),
]);

const clusterTrustBundleProjection = message('ClusterTrustBundleProjection', [
  pointer(1, 'name', 'string'),
  pointer(2, 'signerName', 'string'),
  pointer(3, 'labelSelector', labelSelector),
  pointer(5, 'optional', 'bool'),
  field(4, 'path', 'string', { keep: true }),
]);

const volumeProjection = message('VolumeProjection', [
  pointer(1, 'secret', secretProjection),
  pointer(2, 'downwardAPI', downwardAPIProjection, { go: 'DownwardAPI' }),
  pointer(3, 'configMap', configMapProjection),
  pointer(4, 'serviceAccountToken', serviceAccountTokenProjection),
  pointer(5, 'clusterTrustBundle', clusterTrustBundleProjection),
]);

const projectedVolumeSource = message('ProjectedVolumeSource', [
  repeated(1, 'sources', volumeProjection, { keep: true }),
  pointer(2, 'defaultMode', 'int32'),
]);

const nfsVolumeSource = message('NFSVolumeSource', [
  field(1, 'server', 'string', { keep: true }),
  field(2, 'path', 'string', { keep: true }),
  field(3, 'readOnly', 'bool'),
]);

const csiVolumeSource = message('CSIVolumeSource', [
  field(1, 'driver', 'string', { keep: true }),
  pointer(2, 'readOnly', 'bool'),
  pointer(3, 'fsType', 'string', { go: 'FSType' }),
  mapOf(4, 'volumeAttributes', 'string'),
  pointer(5, 'nodePublishSecretRef', localObjectReference),
]);

const imageVolumeSource = message('ImageVolumeSource', [
  field(1, 'reference', 'string'),
  field(2, 'pullPolicy', 'string'),
]);

const volumeSource = message('VolumeSource', [
  pointer(1, 'hostPath', hostPathVolumeSource),
  pointer(2, 'emptyDir', emptyDirVolumeSource),
  pointer(6, 'secret', secretVolumeSource),
  pointer(7, 'nfs', nfsVolumeSource, { go: 'NFS' }),
  pointer(10, 'persistentVolumeClaim', persistentVolumeClaimVolumeSource),
  pointer(16, 'downwardAPI', downwardAPIVolumeSource, { go: 'DownwardAPI' }),
  pointer(19, 'configMap', configMapVolumeSource),
  pointer(26, 'projected', projectedVolumeSource),
  pointer(28, 'csi', csiVolumeSource, { go: 'CSI' }),
  pointer(30, 'image', imageVolumeSource),
]);

const volume = message('Volume', [
  field(1, 'name', 'string', { keep: true }),
  inline(2, 'VolumeSource', volumeSource),
]);

// ---- Scheduling ------------------------------------------------------------------------

const nodeSelectorRequirement = message('NodeSelectorRequirement', [
  field(1, 'key', 'string', { keep: true }),
  field(2, 'operator', 'string', { keep: true }),
  repeated(3, 'values', 'string'),
]);

const nodeSelectorTerm = message('NodeSelectorTerm', [
  repeated(1, 'matchExpressions', nodeSelectorRequirement),
  repeated(2, 'matchFields', nodeSelectorRequirement),
]);

const nodeSelector = message('NodeSelector', [repeated(1, 'nodeSelectorTerms', nodeSelectorTerm, { keep: true })]);

const preferredSchedulingTerm = message('PreferredSchedulingTerm', [
  field(1, 'weight', 'int32', { keep: true }),
  field(2, 'preference', nodeSelectorTerm, { keep: true }),
]);

const nodeAffinity = message('NodeAffinity', [
  pointer(1, 'requiredDuringSchedulingIgnoredDuringExecution', nodeSelector),
  repeated(2, 'preferredDuringSchedulingIgnoredDuringExecution', preferredSchedulingTerm),
]);

const podAffinityTerm = message('PodAffinityTerm', [
  pointer(1, 'labelSelector', labelSelector),
  repeated(2, 'namespaces', 'string'),
  field(3, 'topologyKey', 'string', { keep: true }),
  pointer(4, 'namespaceSelector', labelSelector),
  repeated(5, 'matchLabelKeys', 'string'),
  repeated(6, 'mismatchLabelKeys', 'string'),
]);

const weightedPodAffinityTerm = message('WeightedPodAffinityTerm', [
  field(1, 'weight', 'int32', { keep: true }),
  field(2, 'podAffinityTerm', podAffinityTerm, { keep: true }),
]);

const podAffinity = message('PodAffinity', [
  repeated(1, 'requiredDuringSchedulingIgnoredDuringExecution', podAffinityTerm),
  repeated(2, 'preferredDuringSchedulingIgnoredDuringExecution', weightedPodAffinityTerm),
]);

const podAntiAffinity = message('PodAntiAffinity', [
  repeated(1, 'requiredDuringSchedulingIgnoredDuringExecution', podAffinityTerm),
  repeated(2, 'preferredDuringSchedulingIgnoredDuringExecution', weightedPodAffinityTerm),
]);

const affinity = message('Affinity', [
  pointer(1, 'nodeAffinity', nodeAffinity),
  pointer(2, 'podAffinity', podAffinity),
  pointer(3, 'podAntiAffinity', podAntiAffinity),
]);

const toleration = message('Toleration', [
  field(1, 'key', 'string'),
  field(2, 'operator', 'string'),
  field(3, 'value', 'string'),
  field(4, 'effect', 'string'),
  pointer(5, 'tolerationSeconds', 'int64'),
]);

const topologySpreadConstraint = message('TopologySpreadConstraint', [
  field(1, 'maxSkew', 'int32', { keep: true }),
  field(2, 'topologyKey', 'string', { keep: true }),
  field(3, 'whenUnsatisfiable', 'string', { keep: true }),
  pointer(4, 'labelSelector', labelSelector),
  pointer(5, 'minDomains', 'int32'),
  pointer(6, 'nodeAffinityPolicy', 'string'),
  pointer(7, 'nodeTaintsPolicy', 'string'),
  repeated(8, 'matchLabelKeys', 'string'),
]);

// ---- Pods ------------------------------------------------------------------------------

const hostAlias = message('HostAlias', [
  field(1, 'ip', 'string', { go: 'IP', keep: true }),
  repeated(2, 'hostnames', 'string'),
]);

const podDNSConfigOption = message('PodDNSConfigOption', [field(1, 'name', 'string'), pointer(2, 'value', 'string')]);

const podDNSConfig = message('PodDNSConfig', [
  repeated(1, 'nameservers', 'string'),
  repeated(2, 'searches', 'string'),
  repeated(3, 'options', podDNSConfigOption),
]);

const podReadinessGate = message('PodReadinessGate', [field(1, 'conditionType', 'string', { keep: true })]);

const podOS = message('PodOS', [field(1, 'name', 'string', { keep: true })]);

const podSchedulingGate = message('PodSchedulingGate', [field(1, 'name', 'string', { keep: true })]);

const podResourceClaim = message('PodResourceClaim', [
  field(1, 'name', 'string', { keep: true }),
  pointer(3, 'resourceClaimName', 'string'),
  pointer(4, 'resourceClaimTemplateName', 'string'),
]);

const sysctl = message('Sysctl', [field(1, 'name', 'string', { keep: true }), field(2, 'value', 'string', { keep: true })]);

const podSecurityContext = message('PodSecurityContext', [
  pointer(1, 'seLinuxOptions', seLinuxOptions, { go: 'SELinuxOptions' }),
  pointer(8, 'windowsOptions', windowsSecurityContextOptions),
  pointer(2, 'runAsUser', 'int64'),
  pointer(6, 'runAsGroup', 'int64'),
  pointer(3, 'runAsNonRoot', 'bool'),
  repeated(4, 'supplementalGroups', 'int64'),
  pointer(12, 'supplementalGroupsPolicy', 'string'),
  pointer(5, 'fsGroup', 'int64', { go: 'FSGroup' }),
  repeated(7, 'sysctls', sysctl),
  pointer(9, 'fsGroupChangePolicy', 'string', { go: 'FSGroupChangePolicy' }),
  pointer(10, 'seccompProfile', seccompProfile),
  pointer(11, 'appArmorProfile', appArmorProfile),
  pointer(13, 'seLinuxChangePolicy', 'string', { go: 'SELinuxChangePolicy' }),
]);

export const podSpec = message('PodSpec', [
  repeated(1, 'volumes', volume),
  repeated(20, 'initContainers', container),
  repeated(2, 'containers', container, { keep: true }),
  repeated(34, 'ephemeralContainers', ephemeralContainer),
  field(3, 'restartPolicy', 'string'),
  pointer(4, 'terminationGracePeriodSeconds', 'int64'),
  pointer(5, 'activeDeadlineSeconds', 'int64'),
  field(6, 'dnsPolicy', 'string', { go: 'DNSPolicy' }),
  mapOf(7, 'nodeSelector', 'string'),
  field(8, 'serviceAccountName', 'string'),
  field(9, 'serviceAccount', 'string', { go: 'DeprecatedServiceAccount' }),
  pointer(21, 'automountServiceAccountToken', 'bool'),
  field(10, 'nodeName', 'string'),
  field(11, 'hostNetwork', 'bool'),
  field(12, 'hostPID', 'bool'),
  field(13, 'hostIPC', 'bool'),
  pointer(27, 'shareProcessNamespace', 'bool'),
  pointer(14, 'securityContext', podSecurityContext),
  repeated(15, 'imagePullSecrets', localObjectReference),
  field(16, 'hostname', 'string'),
  field(17, 'subdomain', 'string'),
  pointer(18, 'affinity', affinity),
  field(19, 'schedulerName', 'string'),
  repeated(22, 'tolerations', toleration),
  repeated(23, 'hostAliases', hostAlias),
  field(24, 'priorityClassName', 'string'),
  pointer(25, 'priority', 'int32'),
  pointer(26, 'dnsConfig', podDNSConfig, { go: 'DNSConfig' }),
  repeated(28, 'readinessGates', podReadinessGate),
  pointer(29, 'runtimeClassName', 'string'),
  pointer(30, 'enableServiceLinks', 'bool'),
  pointer(31, 'preemptionPolicy', 'string'),
  mapOf(32, 'overhead', 'quantity'),
  repeated(33, 'topologySpreadConstraints', topologySpreadConstraint),
  pointer(35, 'setHostnameAsFQDN', 'bool'),
  pointer(36, 'os', podOS, { go: 'OS' }),
  pointer(37, 'hostUsers', 'bool'),
  repeated(38, 'schedulingGates', podSchedulingGate),
  repeated(39, 'resourceClaims', podResourceClaim),
  pointer(40, 'resources', resourceRequirements),
]);

export const podTemplateSpec = message('PodTemplateSpec', [
  field(1, 'metadata', objectMeta, { go: 'ObjectMeta' }),
  field(2, 'spec', podSpec),
]);

const podCondition = message('PodCondition', [
  field(1, 'type', 'string', { keep: true }),
  field(2, 'status', 'string', { keep: true }),
  field(3, 'lastProbeTime', 'time'),
  field(4, 'lastTransitionTime', 'time'),
  field(5, 'reason', 'string'),
  field(6, 'message', 'string'),
]);

const podIP = message('PodIP', [field(1, 'ip', 'string', { go: 'IP', keep: true })]);

const hostIP = message('HostIP', [field(1, 'ip', 'string', { go: 'IP', keep: true })]);

const containerStateWaiting = message('ContainerStateWaiting', [field(1, 'reason', 'string'), field(2, 'message', 'string')]);

const containerStateRunning = message('ContainerStateRunning', [field(1, 'startedAt', 'time')]);

const containerStateTerminated = message('ContainerStateTerminated', [
  field(1, 'exitCode', 'int32', { keep: true }),
  field(2, 'signal', 'int32'),
  field(3, 'reason', 'string'),
  field(4, 'message', 'string'),
  field(5, 'startedAt', 'time'),
  field(6, 'finishedAt', 'time'),
  field(7, 'containerID', 'string', { go: 'ContainerID' }),
]);

const containerState = message('ContainerState', [
  pointer(1, 'waiting', containerStateWaiting),
  pointer(2, 'running', containerStateRunning),
  pointer(3, 'terminated', containerStateTerminated),
]);

const volumeMountStatus = message('VolumeMountStatus', [
  field(1, 'name', 'string', { keep: true }),
  field(2, 'mountPath', 'string', { keep: true }),
  field(3, 'readOnly', 'bool'),
  pointer(4, 'recursiveReadOnly', 'string'),
]);

const containerStatus = message('ContainerStatus', [
  field(1, 'name', 'string', { keep: true }),
  field(2, 'state', containerState),
  field(3, 'lastState', containerState, { go: 'LastTerminationState' }),
  field(4, 'ready', 'bool', { keep: true }),
  field(5, 'restartCount', 'int32', { keep: true }),
  field(6, 'image', 'string', { keep: true }),
  field(7, 'imageID', 'string', { go: 'ImageID', keep: true }),
  field(8, 'containerID', 'string', { go: 'ContainerID' }),
  pointer(9, 'started', 'bool'),
  mapOf(10, 'allocatedResources', 'quantity'),
  pointer(11, 'resources', resourceRequirements),
  repeated(12, 'volumeMounts', volumeMountStatus),
]);

const podResourceClaimStatus = message('PodResourceClaimStatus', [
  field(1, 'name', 'string', { keep: true }),
  pointer(2, 'resourceClaimName', 'string'),
]);

const podStatus = message('PodStatus', [
  field(1, 'phase', 'string'),
  repeated(2, 'conditions', podCondition),
  field(3, 'message', 'string'),
  field(4, 'reason', 'string'),
  field(11, 'nominatedNodeName', 'string'),
  field(5, 'hostIP', 'string', { go: 'HostIP' }),
  repeated(16, 'hostIPs', hostIP, { go: 'HostIPs' }),
  field(6, 'podIP', 'string', { go: 'PodIP' }),
  repeated(12, 'podIPs', podIP, { go: 'PodIPs' }),
  pointer(7, 'startTime', 'time'),
  repeated(10, 'initContainerStatuses', containerStatus),
  repeated(8, 'containerStatuses', containerStatus),
  field(9, 'qosClass', 'string', { go: 'QOSClass' }),
  repeated(13, 'ephemeralContainerStatuses', containerStatus),
  field(14, 'resize', 'string'),
  repeated(15, 'resourceClaimStatuses', podResourceClaimStatus),
]);

export const pod = message('Pod', [
  field(1, 'metadata', objectMeta, { go: 'ObjectMeta' }),
  field(2, 'spec', podSpec),
  field(3, 'status', podStatus),
]);

// ---- Services --------------------------------------------------------------------------

const servicePort = message('ServicePort', [
  field(1, 'name', 'string'),
  field(2, 'protocol', 'string'),
  pointer(6, 'appProtocol', 'string'),
  field(3, 'port', 'int32', { keep: true }),
  field(4, 'targetPort', 'intOrString'),
  field(5, 'nodePort', 'int32'),
]);

const clientIPConfig = message('ClientIPConfig', [pointer(1, 'timeoutSeconds', 'int32')]);

const sessionAffinityConfig = message('SessionAffinityConfig', [pointer(1, 'clientIP', clientIPConfig, { go: 'ClientIP' })]);

const serviceSpec = message('ServiceSpec', [
  repeated(1, 'ports', servicePort),
  mapOf(2, 'selector', 'string'),
  field(3, 'clusterIP', 'string', { go: 'ClusterIP' }),
  repeated(18, 'clusterIPs', 'string', { go: 'ClusterIPs' }),
  field(4, 'type', 'string'),
  repeated(5, 'externalIPs', 'string', { go: 'ExternalIPs' }),
  field(7, 'sessionAffinity', 'string'),
  field(8, 'loadBalancerIP', 'string', { go: 'LoadBalancerIP' }),
  repeated(9, 'loadBalancerSourceRanges', 'string'),
  field(10, 'externalName', 'string'),
  field(11, 'externalTrafficPolicy', 'string'),
  field(12, 'healthCheckNodePort', 'int32'),
  field(13, 'publishNotReadyAddresses', 'bool'),
  pointer(14, 'sessionAffinityConfig', sessionAffinityConfig),
  repeated(19, 'ipFamilies', 'string', { go: 'IPFamilies' }),
  pointer(17, 'ipFamilyPolicy', 'string', { go: 'IPFamilyPolicy' }),
  pointer(20, 'allocateLoadBalancerNodePorts', 'bool'),
  pointer(21, 'loadBalancerClass', 'string'),
  pointer(22, 'internalTrafficPolicy', 'string'),
  pointer(23, 'trafficDistribution', 'string'),
]);

const portStatus = message('PortStatus', [
  field(1, 'port', 'int32', { keep: true }),
  field(2, 'protocol', 'string', { keep: true }),
  pointer(3, 'error', 'string'),
]);

const loadBalancerIngress = message('LoadBalancerIngress', [
  field(1, 'ip', 'string', { go: 'IP' }),
  field(2, 'hostname', 'string'),
  pointer(3, 'ipMode', 'string', { go: 'IPMode' }),
  repeated(4, 'ports', portStatus),
]);

const loadBalancerStatus = message('LoadBalancerStatus', [repeated(1, 'ingress', loadBalancerIngress)]);

const serviceStatus = message('ServiceStatus', [
  field(1, 'loadBalancer', loadBalancerStatus),
  repeated(2, 'conditions', condition),
]);

export const service = message('Service', [
  field(1, 'metadata', objectMeta, { go: 'ObjectMeta' }),
  field(2, 'spec', serviceSpec),
  field(3, 'status', serviceStatus),
]);

// ---- Namespaces ------------------------------------------------------------------------

const namespaceSpec = message('NamespaceSpec', [repeated(1, 'finalizers', 'string')]);

const namespaceCondition = message('NamespaceCondition', [
  field(1, 'type', 'string', { keep: true }),
  field(2, 'status', 'string', { keep: true }),
  field(4, 'lastTransitionTime', 'time'),
  field(5, 'reason', 'string'),
  field(6, 'message', 'string'),
]);

const namespaceStatus = message('NamespaceStatus', [
  field(1, 'phase', 'string'),
  repeated(2, 'conditions', namespaceCondition),
]);

export const namespace = message('Namespace', [
  field(1, 'metadata', objectMeta, { go: 'ObjectMeta' }),
  field(2, 'spec', namespaceSpec),
  field(3, 'status', namespaceStatus),
]);

// ---- Endpoints -------------------------------------------------------------------------

const endpointAddress = message('EndpointAddress', [
  field(1, 'ip', 'string', { go: 'IP', keep: true }),
  field(3, 'hostname', 'string'),
  pointer(4, 'nodeName', 'string'),
  pointer(2, 'targetRef', objectReference),
]);

const endpointPort = message('EndpointPort', [
  field(1, 'name', 'string'),
  field(2, 'port', 'int32', { keep: true }),
  field(3, 'protocol', 'string'),
  pointer(4, 'appProtocol', 'string'),
]);

const endpointSubset = message('EndpointSubset', [
  repeated(1, 'addresses', endpointAddress),
  repeated(2, 'notReadyAddresses', endpointAddress),
  repeated(3, 'ports', endpointPort),
]);

export const endpoints = message('Endpoints', [
  field(1, 'metadata', objectMeta, { go: 'ObjectMeta' }),
  repeated(2, 'subsets', endpointSubset),
]);

// ---- Events ----------------------------------------------------------------------------

const eventSource = message('EventSource', [field(1, 'component', 'string'), field(2, 'host', 'string')]);

const eventSeries = message('EventSeries', [field(1, 'count', 'int32'), field(2, 'lastObservedTime', 'microTime')]);

export const event = message('Event', [
  field(1, 'metadata', objectMeta, { go: 'ObjectMeta' }),
  field(2, 'involvedObject', objectReference, { keep: true }),
  field(3, 'reason', 'string'),
  field(4, 'message', 'string'),
  field(5, 'source', eventSource),
  field(6, 'firstTimestamp', 'time'),
  field(7, 'lastTimestamp', 'time'),
  field(8, 'count', 'int32'),
  field(9, 'type', 'string'),
  field(10, 'eventTime', 'microTime'),
  pointer(11, 'series', eventSeries),
  field(12, 'action', 'string'),
  pointer(13, 'related', objectReference),
  field(14, 'reportingComponent', 'string', { go: 'ReportingController', keep: true }),
  field(15, 'reportingInstance', 'string', { keep: true }),
]);
