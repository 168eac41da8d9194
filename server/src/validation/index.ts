// The public surface of the apiserver rules shared by the emulator and the language server.
// Every function here is pure: no I/O, no clocks, no Node APIs.

export * from './fieldErrors';
export type * from './kubeTypes';
export {
  byteLength,
  inclusiveRangeError,
  isDns1035Label,
  isDns1123Label,
  isDns1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  isValidPercent,
  isValidPortName,
  isValidPortNum,
  maxLenError,
  regexError,
} from './content';
export {
  cidrWarnings,
  formatIP,
  ipFamilyOf,
  ipWarnings,
  parseCIDR,
  parseIP,
  validateCIDRForLegacyField,
  validateIPForLegacyField,
} from './ipAddresses';
export {
  type NameValidator,
  type ObjectMetaOptions,
  nameIsDns1035Label,
  nameIsDnsLabel,
  nameIsDnsSubdomain,
  validateAnnotations,
  validateLabels,
  validateNamespaceName,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from './objectMeta';
export { labelSelectorIsEmpty, labelSelectorMatches, validateLabelSelector } from './labelSelector';
export { cloneService, defaultService } from './serviceDefaults';
export {
  type ServiceValidationOptions,
  externallyAccessible,
  isHeadlessService,
  needsHealthCheck,
  validateClusterIPsRelatedFields,
  validateLoadBalancerStatus,
  validateServiceCreate,
  validateServiceStatusUpdate,
  validateServiceUpdate,
} from './serviceValidation';
export {
  type ClusterIPFamilies,
  type IPFamily,
  dropTypeDependentFields,
  initIPFamilyFields,
  normalizeClusterIPs,
  patchAllocatedValues,
} from './serviceRegistry';
export { serviceWarnings } from './serviceWarnings';
export {
  type PodSpecOptions,
  validateDeployment,
  validateDeploymentUpdate,
  validateNamespace,
  validatePod,
  validatePodSpec,
  validatePodTemplateSpec,
  validateReplicaSet,
  validateReplicaSetUpdate,
} from './workloads';
