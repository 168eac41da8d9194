// The checks and defaults of the commands' input boxes: what a user may type for replicas, a
// request count, a DNS name or a URL, and what is proposed to them. An input box shows the
// returned problem under the field and will not accept the value.

import type { SnapshotService, SnapshotServicePort } from '../../../server/src/protocol';

/** More replicas than this would only bury the lab in simulated pods. */
export const MAX_REPLICAS = 1000;
/** The traffic test's ceiling: enough for a smooth distribution, quick on the emulator. */
export const MAX_REQUESTS = 10_000;
export const DEFAULT_REQUESTS = 300;

function wholeNumber(text: string): number | undefined {
  return /^\s*\d+\s*$/.test(text) ? Number(text) : undefined;
}

export function replicasProblem(text: string): string | undefined {
  const n = wholeNumber(text);
  if (n === undefined) return 'Enter a whole number of replicas, 0 or more.';
  return n > MAX_REPLICAS ? `At most ${MAX_REPLICAS} replicas in the lab.` : undefined;
}

export function requestCountProblem(text: string): string | undefined {
  const n = wholeNumber(text);
  if (n === undefined || n < 1) return 'Enter a whole number of requests, 1 or more.';
  return n > MAX_REQUESTS ? `At most ${MAX_REQUESTS} requests.` : undefined;
}

/** A DNS name as a pod would look it up: letters, digits, `-`, `_` and dots, 253 characters at most. */
export function dnsNameProblem(text: string): string | undefined {
  const name = text.trim();
  if (!name) return 'Enter a name, e.g. web or web.default.svc.cluster.local, or an IP address.';
  if (name.length > 254) return 'A DNS name has at most 253 characters.';
  return /^[A-Za-z0-9_.-]+$/.test(name) ? undefined : 'A DNS name has only letters, digits, "-", "_" and dots.';
}

/** What the user typed as a URL: `web` and `web:8080/path` mean http://… as curl reads them. */
export function callUrl(text: string): string {
  const t = text.trim();
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(t) ? t : `http://${t}`;
}

export function urlProblem(text: string): string | undefined {
  if (!text.trim()) return 'Enter a URL, e.g. http://web or http://web.default:80/';
  let url: URL;
  try {
    url = new URL(callUrl(text));
  } catch {
    return 'This is not a URL curl would accept.';
  }
  return url.protocol === 'http:' ? undefined : 'The in-cluster call speaks plain HTTP: use an http:// URL.';
}

/** The URL a pod in the Service's namespace would call it by: `http://web`, with the port unless it is 80. */
export function defaultCallUrl(service: Pick<SnapshotService, 'name' | 'ports'>, port?: Pick<SnapshotServicePort, 'port' | 'protocol'>): string {
  const chosen = port ?? service.ports.find((p) => p.protocol === 'TCP');
  return `http://${service.name}${chosen && chosen.port !== 80 ? `:${chosen.port}` : ''}`;
}
