// Which REST resource serves a kind, as kubectl's RESTMapper finds it: the discovery document
// of the object's group version (`/api/v1`, `/apis/apps/v1`) lists each resource with its
// kind and whether it is namespaced. Answers are kept per connection; a miss is asked again
// next time, since a CustomResourceDefinition may have been installed in between.

import type { ApiConnection } from '../cluster/apiRequests';
import { statusMessage } from '../emulatorClient/kubeStatus';
import { apiCall } from './apiCall';
import { UserError } from './userError';

export interface ResourceInfo {
  /** The URL prefix of the group version: `/api/v1`, `/apis/apps/v1`. */
  groupVersionPath: string;
  /** The resource's plural name: `services`. */
  plural: string;
  namespaced: boolean;
}

interface DiscoveredResource {
  name?: unknown;
  kind?: unknown;
  namespaced?: unknown;
}

const known = new WeakMap<ApiConnection, Map<string, ResourceInfo>>();

function groupVersionPath(apiVersion: string): string | undefined {
  const parts = apiVersion.split('/');
  if (parts.length === 1 && parts[0]) return `/api/${encodeURIComponent(parts[0])}`;
  if (parts.length === 2 && parts[0] && parts[1]) return `/apis/${encodeURIComponent(parts[0])}/${encodeURIComponent(parts[1])}`;
  return undefined;
}

/** kubectl's words for a kind the cluster does not serve. */
export function noMatchMessage(apiVersion: string, kind: string): string {
  return `no matches for kind "${kind}" in version "${apiVersion}"`;
}

/**
 * The resource serving `kind` in `apiVersion`, or undefined when the cluster serves no such
 * kind. Rejects with a UserError when the cluster cannot be asked.
 */
export async function resourceFor(conn: ApiConnection, apiVersion: string, kind: string): Promise<ResourceInfo | undefined> {
  const cacheKey = `${apiVersion}\u0000${kind}`;
  const cached = known.get(conn)?.get(cacheKey);
  if (cached) return cached;
  const prefix = groupVersionPath(apiVersion);
  if (!prefix) return undefined;
  const answer = await apiCall(conn, 'GET', prefix);
  if (answer.status === 404) return undefined;
  if (answer.status !== 200) throw new UserError(`cannot read the API's resources at ${prefix}: ${statusMessage(answer.body)}`);
  let resources: DiscoveredResource[];
  try {
    const parsed = JSON.parse(answer.body) as { resources?: unknown };
    resources = Array.isArray(parsed.resources) ? (parsed.resources as DiscoveredResource[]) : [];
  } catch {
    throw new UserError(`the API's answer at ${prefix} is not JSON`);
  }
  // Subresources (`deployments/scale`) share their parent's kind; only the resource itself serves objects.
  const match = resources.find((r) => r.kind === kind && typeof r.name === 'string' && !r.name.includes('/'));
  if (!match) return undefined;
  const info: ResourceInfo = { groupVersionPath: prefix, plural: match.name as string, namespaced: match.namespaced === true };
  let map = known.get(conn);
  if (!map) known.set(conn, (map = new Map()));
  map.set(cacheKey, info);
  return info;
}

/** The path of the resource's collection (no name) or of one object. */
export function objectPath(info: ResourceInfo, namespace: string | undefined, name?: string): string {
  const ns = info.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${info.groupVersionPath}${ns}/${info.plural}${name !== undefined ? `/${encodeURIComponent(name)}` : ''}`;
}
