// The resource types the emulator serves, with what discovery, routing and the store need to
// know about each. This table is the one place that says which resources exist.

export interface SubresourceInfo {
  name: string;
  kind: { group: string; version: string; kind: string };
  verbs: string[];
}

export interface ResourceType {
  group: string;
  version: string;
  /** The plural, lower-case resource name used in URLs. */
  resource: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  subresources: SubresourceInfo[];
  /** The store key: `services`, `apps/deployments`. */
  key: string;
  /** `v1` or `apps/v1`. */
  apiVersion: string;
  /** Users cannot create, change or delete these through the API (nodes belong to the emulator). */
  readOnly?: boolean;
}

const allVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function rt(
  group: string,
  version: string,
  resource: string,
  kind: string,
  opts: Partial<Pick<ResourceType, 'namespaced' | 'shortNames' | 'categories' | 'verbs' | 'readOnly' | 'singular'>> & {
    subresources?: SubresourceInfo[];
  } = {},
): ResourceType {
  return {
    group,
    version,
    resource,
    singular: opts.singular ?? kind.toLowerCase(),
    kind,
    listKind: kind + 'List',
    namespaced: opts.namespaced ?? true,
    shortNames: opts.shortNames ?? [],
    categories: opts.categories ?? [],
    verbs: opts.verbs ?? allVerbs,
    subresources: opts.subresources ?? [],
    key: group ? `${group}/${resource}` : resource,
    apiVersion: group ? `${group}/${version}` : version,
    readOnly: opts.readOnly,
  };
}

const statusOf = (group: string, version: string, kind: string): SubresourceInfo => ({
  name: 'status',
  kind: { group, version, kind },
  verbs: ['get', 'patch', 'update'],
});
const scale: SubresourceInfo = {
  name: 'scale',
  kind: { group: 'autoscaling', version: 'v1', kind: 'Scale' },
  verbs: ['get', 'patch', 'update'],
};

export const RESOURCES: readonly ResourceType[] = [
  rt('', 'v1', 'namespaces', 'Namespace', {
    namespaced: false,
    shortNames: ['ns'],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: [statusOf('', 'v1', 'Namespace')],
  }),
  rt('', 'v1', 'nodes', 'Node', {
    namespaced: false,
    shortNames: ['no'],
    readOnly: true,
    verbs: ['get', 'list', 'watch'],
    subresources: [statusOf('', 'v1', 'Node')],
  }),
  rt('', 'v1', 'pods', 'Pod', {
    shortNames: ['po'],
    categories: ['all'],
    subresources: [
      statusOf('', 'v1', 'Pod'),
      { name: 'log', kind: { group: '', version: 'v1', kind: 'Pod' }, verbs: ['get'] },
      { name: 'exec', kind: { group: '', version: 'v1', kind: 'PodExecOptions' }, verbs: ['create', 'get'] },
      { name: 'attach', kind: { group: '', version: 'v1', kind: 'PodAttachOptions' }, verbs: ['create', 'get'] },
      { name: 'portforward', kind: { group: '', version: 'v1', kind: 'PodPortForwardOptions' }, verbs: ['create', 'get'] },
    ],
  }),
  rt('', 'v1', 'services', 'Service', {
    shortNames: ['svc'],
    categories: ['all'],
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: [statusOf('', 'v1', 'Service')],
  }),
  rt('', 'v1', 'endpoints', 'Endpoints', { shortNames: ['ep'], singular: 'endpoints' }),
  rt('', 'v1', 'events', 'Event', { shortNames: ['ev'] }),
  rt('apps', 'v1', 'deployments', 'Deployment', {
    shortNames: ['deploy'],
    categories: ['all'],
    subresources: [statusOf('apps', 'v1', 'Deployment'), scale],
  }),
  rt('apps', 'v1', 'replicasets', 'ReplicaSet', {
    shortNames: ['rs'],
    categories: ['all'],
    subresources: [statusOf('apps', 'v1', 'ReplicaSet'), scale],
  }),
  rt('discovery.k8s.io', 'v1', 'endpointslices', 'EndpointSlice', {}),
];

const byKey = new Map(RESOURCES.map((r) => [r.key, r]));
const byKind = new Map(RESOURCES.map((r) => [`${r.apiVersion}/${r.kind}`, r]));

export function resourceByKey(key: string): ResourceType | undefined {
  return byKey.get(key);
}

export function resourceByKind(apiVersion: string, kind: string): ResourceType | undefined {
  return byKind.get(`${apiVersion}/${kind}`);
}

export function mustResource(key: string): ResourceType {
  const r = byKey.get(key);
  if (!r) throw new Error(`unknown resource ${key}`);
  return r;
}

/** Store keys, named for readability at call sites. */
export const R = {
  namespaces: 'namespaces',
  nodes: 'nodes',
  pods: 'pods',
  services: 'services',
  endpoints: 'endpoints',
  events: 'events',
  deployments: 'apps/deployments',
  replicasets: 'apps/replicasets',
  endpointslices: 'discovery.k8s.io/endpointslices',
} as const;
