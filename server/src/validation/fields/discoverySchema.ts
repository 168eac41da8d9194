// discovery.k8s.io/v1 EndpointSlice (k8s.io/api/discovery/v1/types.go, v0.32).

import { objectReference } from './coreSchema';
import { objectMeta, typeMeta } from './metaSchema';
import { arrayOf, bool, int32, named, str, stringMap, struct, type ObjectSchema } from './schemaTypes';

export const endpointSlice: ObjectSchema = struct('v1.EndpointSlice', {
  ...typeMeta,
  metadata: objectMeta,
  addressType: named('v1.AddressType'),
  endpoints: arrayOf(
    struct('v1.Endpoint', {
      addresses: arrayOf(str),
      conditions: struct('v1.EndpointConditions', { ready: bool, serving: bool, terminating: bool }),
      hostname: str,
      targetRef: objectReference,
      deprecatedTopology: stringMap,
      nodeName: str,
      zone: str,
      hints: struct('v1.EndpointHints', { forZones: arrayOf(struct('v1.ForZone', { name: str })) }),
    }),
  ),
  ports: arrayOf(
    struct('v1.EndpointPort', { name: str, protocol: named('v1.Protocol'), port: int32, appProtocol: str }),
  ),
});
