// The lookup from apiVersion and kind to a kind's structural schema, and the walk from a
// field path to the schema of the value found there (what the language server asks when it
// wants to know which type a YAML node should have).

import { daemonSet, deployment, replicaSet, statefulSet } from './appsSchema';
import { scale } from './autoscalingSchema';
import { configMap, endpoints, event, namespace, node, pod, secret, service } from './coreSchema';
import { endpointSlice } from './discoverySchema';
import { deleteOptions, status } from './metaSchema';
import type { FieldSchema, ObjectSchema } from './schemaTypes';

const kinds: ReadonlyMap<string, ObjectSchema> = new Map<string, ObjectSchema>([
  ['v1/Service', service],
  ['v1/Pod', pod],
  ['v1/Namespace', namespace],
  ['v1/Endpoints', endpoints],
  ['v1/Event', event],
  ['v1/Node', node],
  ['v1/ConfigMap', configMap],
  ['v1/Secret', secret],
  ['apps/v1/Deployment', deployment],
  ['apps/v1/ReplicaSet', replicaSet],
  ['apps/v1/StatefulSet', statefulSet],
  ['apps/v1/DaemonSet', daemonSet],
  ['discovery.k8s.io/v1/EndpointSlice', endpointSlice],
  ['autoscaling/v1/Scale', scale],
  // DeleteOptions and Status are registered in every group version; the two spellings a
  // client actually sends are the legacy core one and meta.k8s.io.
  ['v1/DeleteOptions', deleteOptions],
  ['meta.k8s.io/v1/DeleteOptions', deleteOptions],
  ['v1/Status', status],
  ['meta.k8s.io/v1/Status', status],
]);

/** The schema of a top-level kind, or undefined for a kind this project does not model. */
export function schemaFor(apiVersion: string, kind: string): ObjectSchema | undefined {
  return kinds.get(`${apiVersion}/${kind}`);
}

/** Every modelled apiVersion/kind pair, for completion and tests. */
export function knownKinds(): { apiVersion: string; kind: string }[] {
  return [...kinds.keys()].map((key) => {
    const slash = key.lastIndexOf('/');
    return { apiVersion: key.slice(0, slash), kind: key.slice(slash + 1) };
  });
}

/**
 * The schema of the value at `path` below `schema`: object fields by name, array elements by
 * index, map values by any key. Returns undefined when the path leaves the schema (an
 * unknown field, or an index into something that is not an array). Inside an open value
 * every path leads to that open value, since anything is allowed there.
 */
export function fieldAt(schema: FieldSchema, path: readonly (string | number)[]): FieldSchema | undefined {
  let current: FieldSchema = schema;
  for (const segment of path) {
    switch (current.kind) {
      case 'object': {
        if (typeof segment !== 'string' || !Object.hasOwn(current.fields, segment)) return undefined;
        current = current.fields[segment];
        break;
      }
      case 'map':
        if (typeof segment !== 'string') return undefined;
        current = current.values;
        break;
      case 'array':
        if (typeof segment !== 'number') return undefined;
        current = current.items;
        break;
      case 'open':
        return current;
      default:
        return undefined;
    }
  }
  return current;
}
