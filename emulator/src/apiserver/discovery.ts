// API discovery. kubectl 1.32 asks for aggregated discovery (apidiscovery.k8s.io/v2) and
// decides what it got from the response Content-Type alone, so the type must carry the g/v/as
// parameters. The legacy per-group-version lists are served too, for older clients.

import { RESOURCES, type ResourceType } from '../api/resources';

export const AGGREGATED_V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
export const AGGREGATED_V2BETA1 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';

function groups(): Map<string, ResourceType[]> {
  const m = new Map<string, ResourceType[]>();
  for (const r of RESOURCES) {
    const list = m.get(r.group) ?? [];
    list.push(r);
    m.set(r.group, list);
  }
  return m;
}

function resourceDiscovery(r: ResourceType): Record<string, unknown> {
  const d: Record<string, unknown> = {
    resource: r.resource,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: r.verbs,
  };
  if (r.shortNames.length) d.shortNames = r.shortNames;
  if (r.categories.length) d.categories = r.categories;
  if (r.subresources.length) {
    d.subresources = r.subresources.map((s) => ({ subresource: s.name, responseKind: s.kind, verbs: s.verbs }));
  }
  return d;
}

/** The aggregated document for `/api` (core) or `/apis` (named groups). */
export function aggregatedDiscovery(core: boolean, apiVersion: 'v2' | 'v2beta1'): Record<string, unknown> {
  const items = [...groups()]
    .filter(([g]) => (g === '') === core)
    .map(([group, rs]) => ({
      metadata: core ? { creationTimestamp: null } : { name: group, creationTimestamp: null },
      versions: [{ version: rs[0].version, resources: rs.map(resourceDiscovery), freshness: 'Current' }],
    }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${apiVersion}`, metadata: {}, items };
}

export function legacyApiVersions(): Record<string, unknown> {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] };
}

export function legacyGroupList(): Record<string, unknown> {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groups()]
      .filter(([g]) => g !== '')
      .map(([group, rs]) => {
        const gv = { groupVersion: `${group}/${rs[0].version}`, version: rs[0].version };
        return { name: group, versions: [gv], preferredVersion: gv };
      }),
  };
}

export function legacyGroup(group: string): Record<string, unknown> | undefined {
  const rs = groups().get(group);
  if (!rs || !group) return undefined;
  const gv = { groupVersion: `${group}/${rs[0].version}`, version: rs[0].version };
  return { kind: 'APIGroup', apiVersion: 'v1', name: group, versions: [gv], preferredVersion: gv };
}

export function legacyResourceList(group: string, version: string): Record<string, unknown> | undefined {
  const rs = groups().get(group)?.filter((r) => r.version === version);
  if (!rs?.length) return undefined;
  const resources: Record<string, unknown>[] = [];
  for (const r of rs) {
    resources.push({
      name: r.resource,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.verbs,
      ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
      ...(r.categories.length ? { categories: r.categories } : {}),
    });
    for (const s of r.subresources) {
      resources.push({
        name: `${r.resource}/${s.name}`,
        singularName: '',
        namespaced: r.namespaced,
        ...(s.kind.group !== r.group ? { group: s.kind.group, version: s.kind.version } : {}),
        kind: s.kind.kind,
        verbs: s.verbs,
      });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}
