// discovery/v1 messages (k8s.io/api v0.32 discovery/v1/generated.proto, JSON tags from
// types.go): EndpointSlice. Its endpoints and ports have no omitempty, so a slice sent
// without them reads back as `null`, as it does from a real apiserver.

import { objectReference } from './coreMessages';
import { objectMeta } from './metaMessages';
import { field, mapOf, message, pointer, repeated } from './schemaTypes';

const endpointConditions = message('EndpointConditions', [
  pointer(1, 'ready', 'bool'),
  pointer(2, 'serving', 'bool'),
  pointer(3, 'terminating', 'bool'),
]);

const forZone = message('ForZone', [field(1, 'name', 'string', { keep: true })]);

const endpointHints = message('EndpointHints', [repeated(1, 'forZones', forZone)]);

const endpoint = message('Endpoint', [
  repeated(1, 'addresses', 'string', { keep: true }),
  field(2, 'conditions', endpointConditions),
  pointer(3, 'hostname', 'string'),
  pointer(4, 'targetRef', objectReference),
  mapOf(5, 'deprecatedTopology', 'string'),
  pointer(6, 'nodeName', 'string'),
  pointer(7, 'zone', 'string'),
  pointer(8, 'hints', endpointHints),
]);

const endpointPort = message('EndpointPort', [
  pointer(1, 'name', 'string'),
  pointer(2, 'protocol', 'string'),
  pointer(3, 'port', 'int32'),
  pointer(4, 'appProtocol', 'string'),
]);

export const endpointSlice = message('EndpointSlice', [
  field(1, 'metadata', objectMeta, { go: 'ObjectMeta' }),
  field(4, 'addressType', 'string', { keep: true }),
  repeated(2, 'endpoints', endpoint, { keep: true }),
  repeated(3, 'ports', endpointPort, { keep: true }),
]);
