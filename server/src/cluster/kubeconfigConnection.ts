// A kubeconfig turned into an ApiConnection: client-node's KubeConfig picks the context and
// applies its TLS material and credentials (tokens, client certificates, CA data, exec and
// auth-provider plugins) to each request, while the requests themselves are ours. client-node
// is loaded on first use, so a server that never talks to a cluster never pays for it.

import { dirname } from 'node:path';
import type { RequestOptions } from 'node:https';
import type { ApiConnection } from './apiRequests';

export interface KubeconfigContext {
  /** The context used: the one asked for, or the kubeconfig's current-context. */
  context: string;
  server: string;
  /** The context's namespace, or `default`. */
  namespace: string;
  connection: ApiConnection;
}

/**
 * Reads kubeconfig text (relative file references resolve against `path`'s directory) and
 * selects `context`, or the current context. Throws an Error whose message says what is
 * missing. `server` overrides the cluster's URL (the emulator's endpoints.json names it).
 */
export async function loadKubeconfig(text: string, opts: { path: string; context?: string; server?: string }): Promise<KubeconfigContext> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  kc.loadFromString(text);
  kc.makePathsAbsolute(dirname(opts.path));
  if (opts.context) {
    if (!kc.getContextObject(opts.context)) throw new Error(`context "${opts.context}" is not in ${opts.path}`);
    kc.setCurrentContext(opts.context);
  }
  const name = kc.getCurrentContext();
  const ctx = name ? kc.getContextObject(name) : null;
  if (!ctx) throw new Error(`${opts.path} has no current-context; name one with "context"`);
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error(`context "${name}" names cluster "${ctx.cluster}", which is not in ${opts.path}`);
  const server = opts.server ?? cluster.server;
  if (!server) throw new Error(`cluster "${cluster.name}" in ${opts.path} has no server`);
  return {
    context: name,
    server,
    namespace: ctx.namespace || 'default',
    connection: {
      server,
      prepare: (options: RequestOptions) => kc.applyToHTTPSOptions(options),
    },
  };
}
