// Names as a pod's resolver looks them up. kubelet writes resolv.conf for dnsPolicy
// ClusterFirst with `search <ns>.svc.<domain> svc.<domain> <domain>` and `options ndots:5`;
// glibc and musl then try the candidates below in order, and the first that has an address
// answers.

import { isIP } from 'node:net';

export const CLUSTER_DOMAIN = 'cluster.local';
export const NDOTS = 5;

/** The search list of a pod in `namespace`. */
export function searchDomains(namespace: string, domain = CLUSTER_DOMAIN): string[] {
  return [`${namespace}.svc.${domain}`, `svc.${domain}`, domain];
}

/**
 * The names a resolver tries for `name`, in order: a name with a trailing dot is tried alone;
 * a name with at least `ndots` dots is tried as given first; any other name is tried with each
 * search domain first and as given last.
 */
export function searchCandidates(name: string, namespace: string, domain = CLUSTER_DOMAIN, ndots = NDOTS): string[] {
  if (name.endsWith('.')) return [name.slice(0, -1)];
  const withSearch = searchDomains(namespace, domain).map((d) => `${name}.${d}`);
  const dots = name.split('.').length - 1;
  return dots >= ndots ? [name, ...withSearch] : [...withSearch, name];
}

/** What looking up one candidate found: an address, or why there is none, in the caller's words. */
export type CandidateLookup = { address: string } | { failure: string };

export type Resolution = { ok: true; name: string; address: string; tried: string[] } | { ok: false; tried: string[]; failure: string };

export interface SearchPathLookup {
  namespace: string;
  domain: string;
  /** Looks one candidate up; throwing ends the whole resolution (the DNS server is gone, say). */
  lookup(name: string): Promise<CandidateLookup>;
  /** The failure to report when no lookup has said otherwise yet. */
  firstFailure: string;
  /**
   * Which failure to report when `next` follows the one reported so far. Without it the later
   * one wins, as a resolver reports the error of its last try.
   */
  keepFailure?(reported: string, next: string): string;
}

/** Resolves `host` to one address through the pod's search path; an IP address stands for itself. */
export async function resolveThroughSearchPath(host: string, how: SearchPathLookup): Promise<Resolution> {
  if (isIP(host)) return { ok: true, name: host, address: host, tried: [] };
  const tried: string[] = [];
  let failure = how.firstFailure;
  for (const candidate of searchCandidates(host, how.namespace, how.domain)) {
    tried.push(candidate);
    const found = await how.lookup(candidate);
    if ('address' in found) return { ok: true, name: candidate, address: found.address, tried };
    failure = how.keepFailure ? how.keepFailure(failure, found.failure) : found.failure;
  }
  return { ok: false, tried, failure };
}
