// Parses API paths into what they address. Paths follow kube-apiserver's layout:
//   /api/v1/{resource}[/{name}[/{sub}]]                                  (cluster-scoped or all namespaces)
//   /api/v1/namespaces/{ns}/{resource}[/{name}[/{sub}]]                  (namespaced)
//   /apis/{group}/{version}/... the same below a named group.
// `/api/v1/namespaces/{name}[/status|/finalize]` addresses the Namespace object itself.

import { badRequest } from '../api/errors';
import { RESOURCES, type ResourceType } from '../api/resources';

export interface ResourceRoute {
  type: 'resource';
  rt: ResourceType;
  /** '' for cluster-scoped resources and for lists across all namespaces. */
  namespace: string;
  name?: string;
  subresource?: string;
}

export type Route =
  | ResourceRoute
  | { type: 'version' | 'health' | 'openapiIndex' | 'openapiV2' | 'coreDiscovery' | 'groupsDiscovery' }
  | { type: 'openapiDocument'; gv: string }
  | { type: 'groupDiscovery'; group: string }
  | { type: 'resourceList'; group: string; version: string }
  | { type: 'unknownResource'; group: string; version: string; resource: string }
  | { type: 'notFound' };

function find(group: string, version: string, resource: string): ResourceType | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.resource === resource);
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/**
 * The request target as a URL. A target that starts with `/` is a path even when it starts
 * with `//`, as Go's url.ParseRequestURI reads it; one that cannot be read at all is a 400.
 */
export function requestUrl(target: string | undefined): URL {
  const raw = target || '/';
  try {
    return raw.startsWith('/') ? new URL(`http://localhost${raw}`) : new URL(raw, 'http://localhost/');
  } catch {
    throw badRequest(`parse ${JSON.stringify(raw)}: the request target is not a valid URL`);
  }
}

/**
 * The request path as Go's net/http hands it to the apiserver (URL.Path): escapes decoded,
 * `%2F` included, so an encoded slash separates segments like a plain one. An escape that is
 * not `%` and two hex digits is a 400, worded as url.ParseRequestURI words it. Decoded bytes
 * that are not UTF-8 stay in the path (as U+FFFD here) and simply name nothing.
 */
export function decodePath(pathname: string): string {
  const bad = /%(?![0-9A-Fa-f]{2})/.exec(pathname);
  if (bad) {
    const escape = pathname.slice(bad.index, bad.index + 3);
    throw badRequest(`parse ${JSON.stringify(pathname)}: invalid URL escape ${JSON.stringify(escape)}`);
  }
  if (!pathname.includes('%')) return pathname;
  const bytes: number[] = [];
  for (let i = 0; i < pathname.length; i++) {
    if (pathname[i] === '%') {
      bytes.push(parseInt(pathname.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(pathname[i], 'utf8'));
    }
  }
  return utf8.decode(Uint8Array.from(bytes));
}

export function parseRoute(pathname: string): Route {
  const parts = decodePath(pathname).split('/').filter(Boolean);
  const [a, b] = parts;
  if (parts.length === 1 && a === 'version') return { type: 'version' };
  if (parts.length === 1 && (a === 'healthz' || a === 'livez' || a === 'readyz')) return { type: 'health' };
  if (a === 'openapi') {
    if (b === 'v2' && parts.length === 2) return { type: 'openapiV2' };
    if (b === 'v3' && parts.length === 2) return { type: 'openapiIndex' };
    if (b === 'v3') return { type: 'openapiDocument', gv: parts.slice(2).join('/') };
    return { type: 'notFound' };
  }
  let group: string;
  let version: string;
  let rest: string[];
  if (a === 'api') {
    if (parts.length === 1) return { type: 'coreDiscovery' };
    group = '';
    version = b;
    rest = parts.slice(2);
  } else if (a === 'apis') {
    if (parts.length === 1) return { type: 'groupsDiscovery' };
    if (parts.length === 2) return { type: 'groupDiscovery', group: b };
    group = b;
    version = parts[2];
    rest = parts.slice(3);
  } else {
    return { type: 'notFound' };
  }
  if (rest.length === 0) return { type: 'resourceList', group, version };
  const unknown = (resource: string): Route => ({ type: 'unknownResource', group, version, resource });
  if (rest[0] === 'namespaces' && rest.length >= 3 && !(group === '' && rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize'))) {
    const rt = find(group, version, rest[2]);
    if (!rt) return unknown(rest[2]);
    if (!rt.namespaced || rest.length > 5) return { type: 'notFound' };
    return { type: 'resource', rt, namespace: rest[1], name: rest[3], subresource: rest[4] };
  }
  const rt = find(group, version, rest[0]);
  if (!rt) return unknown(rest[0]);
  if (rest.length > 3) return { type: 'notFound' };
  if (rt.namespaced && rest.length > 1) return { type: 'notFound' };
  return { type: 'resource', rt, namespace: '', name: rest[1], subresource: rest[2] };
}
