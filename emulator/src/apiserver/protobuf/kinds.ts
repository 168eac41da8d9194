// The kinds whose protobuf bodies the emulator can read, by group, version and kind.

import { deployment, replicaSet } from './appsMessages';
import { scale } from './autoscalingMessages';
import { endpoints, event, namespace, pod, service } from './coreMessages';
import { endpointSlice } from './discoveryMessages';
import type { MessageSchema } from './schemaTypes';

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

const KINDS: ReadonlyMap<string, MessageSchema> = new Map([
  ['/v1/Service', service],
  ['/v1/Pod', pod],
  ['/v1/Namespace', namespace],
  ['/v1/Endpoints', endpoints],
  ['/v1/Event', event],
  ['apps/v1/Deployment', deployment],
  ['apps/v1/ReplicaSet', replicaSet],
  ['discovery.k8s.io/v1/EndpointSlice', endpointSlice],
  ['autoscaling/v1/Scale', scale],
]);

/** The message a body of this kind holds, or undefined for a kind without tables. */
export function messageFor(gvk: GroupVersionKind): MessageSchema | undefined {
  return KINDS.get(`${gvk.group}/${gvk.version}/${gvk.kind}`);
}

/** Every kind with tables, for tests that walk them. */
export function modelledKinds(): GroupVersionKind[] {
  return [...KINDS.keys()].map((key) => {
    const [group, version, kind] = key.split('/');
    return { group, version, kind };
  });
}
