// What the language server knows of the cluster: a read-only, watch-fed view that features
// query synchronously. The emulator, any kubeconfig context, and the workspace's own pod
// templates (when no cluster is reachable) all present the same interface, so no feature
// knows which one it is talking to.

import type { Deployment, EndpointSlice, Pod, Service } from '../validation/kubeTypes';

export type ClusterSource =
  | { kind: 'emulator'; stateDir: string; url: string }
  | { kind: 'kubeconfig'; context: string; url: string }
  | { kind: 'workspace' }
  | { kind: 'none' };

export interface ClusterChange {
  /** The resources whose contents changed (`services`, `pods`, `endpointslices`, `deployments`). */
  resources: ReadonlySet<string>;
  /** True when the connection itself came up, went down or switched source. */
  connectionChanged: boolean;
}

export interface ClusterView {
  readonly source: ClusterSource;
  /** Whether the cache reflects a live cluster right now (false while reconnecting). */
  readonly connected: boolean;
  /** One line for users: `emulator at https://127.0.0.1:41234`, `workspace pod templates (no cluster reachable)`. */
  describe(): string;
  namespaces(): readonly string[];
  services(namespace?: string): readonly Service[];
  service(namespace: string, name: string): Service | undefined;
  /** Pods, including those being deleted (check metadata.deletionTimestamp). */
  pods(namespace?: string): readonly Pod[];
  /** The EndpointSlices labelled `kubernetes.io/service-name=<serviceName>`. */
  endpointSlices(namespace: string, serviceName: string): readonly EndpointSlice[];
  deployments(namespace?: string): readonly Deployment[];
  /** Called after the cache changed; bursts of watch events are coalesced. Returns an unsubscribe. */
  onDidChange(listener: (change: ClusterChange) => void): () => void;
  dispose(): void;
}
