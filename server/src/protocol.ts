// What the client and the language server agree on beyond LSP itself. Custom messages are
// added here as one typed constant each, prefixed `ksl/`, with who sends them and why
// (ARCHITECTURE invariant 7). For now the server needs only its initialization options.

import { NotificationType, RequestType } from 'vscode-languageserver-protocol';

/** Which cluster the cluster-aware features read (`initializationOptions.cluster`). */
export type ClusterOption =
  /** A context of a kubeconfig file (the current context when none is named). */
  | { kubeconfig: string; context?: string }
  /** The emulator whose state lives in `stateDir` (default `$KSL_STATE_DIR` or `~/.kube-service-lab/state`). */
  | { emulator: { stateDir?: string } }
  /** No cluster: the selector checks run against the workspace's pod templates. */
  | { emulator: false };

/** The `initializationOptions` of the `initialize` request. Every field is optional. */
export interface InitializationOptions {
  /** Default: the emulator found through the default state dir. */
  cluster?: ClusterOption;
  /** How long validation waits after the last edit of a document, in milliseconds (default 150). */
  validationDelayMs?: number;
}

export const DEFAULT_VALIDATION_DELAY_MS = 150;

// ---------------------------------------------------------------------------------------------
// Custom messages. Requests go from the client (the VS Code extension, or any LSP client) to
// the server, which owns the only cluster connection. Each names who sends it and why.


/** Which documents of a file a request is about. */
export interface DocumentsParams {
  uri: string;
  /** Zero-based document indexes within the file; all documents when absent. */
  documents?: number[];
  /** The file's text, for files that are not open in the editor (explorer menu on a folder). */
  text?: string;
}

export type ApplyOutcome = 'created' | 'configured' | 'unchanged' | 'deleted' | 'not found' | 'failed' | 'skipped';

export interface DocumentResult {
  document: number;
  kind: string;
  name: string;
  namespace?: string;
  outcome: ApplyOutcome;
  /** The apiserver's message for `failed` (as kubectl prints it), or why a document was skipped. */
  message?: string;
}

/** Client → server: "Apply to emulator". Applies like `kubectl apply` (last-applied annotation, create or patch). */
export const ApplyDocumentsRequest = new RequestType<DocumentsParams, DocumentResult[], void>('ksl/applyDocuments');

/** Client → server: "Delete from emulator" for the documents' objects. */
export const DeleteDocumentsRequest = new RequestType<DocumentsParams, DocumentResult[], void>('ksl/deleteDocuments');

export interface SnapshotEndpoint {
  ip: string;
  port: number;
  ready: boolean;
  pod?: string;
  node?: string;
}

export interface SnapshotServicePort {
  name?: string;
  protocol: string;
  port: number;
  targetPort: string | number;
  nodePort?: number;
  /** `http://127.0.0.1:<nodePort>` when the port is reachable from the host. */
  hostURL?: string;
  endpoints: SnapshotEndpoint[];
}

export interface SnapshotService {
  namespace: string;
  name: string;
  type: string;
  /** The ClusterIP, `None` for headless, or undefined for ExternalName. */
  clusterIP?: string;
  externalIPs: string[];
  /** `<pending>` for a LoadBalancer without an address. */
  externalIP?: string;
  selector: Record<string, string>;
  ports: SnapshotServicePort[];
  /** Short, namespaced and fully qualified DNS names. */
  dnsNames: string[];
}

export interface SnapshotPod {
  namespace: string;
  name: string;
  ip?: string;
  phase: string;
  ready: boolean;
  terminating: boolean;
  node?: string;
  labels: Record<string, string>;
}

export interface SnapshotDeployment {
  namespace: string;
  name: string;
  replicas: number;
  readyReplicas: number;
  /** The pods the Deployment's selector matches. */
  pods: string[];
}

export interface ClusterSnapshot {
  /** What ClusterView.describe() says (`emulator at https://…`). */
  source: string;
  connected: boolean;
  /** True when the source is the emulator, so emulator-only requests (DNS, traffic, rules) work. */
  emulator: boolean;
  namespaces: string[];
  services: SnapshotService[];
  pods: SnapshotPod[];
  deployments: SnapshotDeployment[];
}

/** Client → server: everything the sidebar tree and the status bar show. */
export const ClusterSnapshotRequest = new RequestType<void, ClusterSnapshot, void>('ksl/clusterSnapshot');

/** Server → client: the cluster changed (sent at most every 100 ms); the client asks for a new snapshot. */
export const ClusterChangedNotification = new NotificationType<{ source: string; connected: boolean }>('ksl/clusterChanged');

/** Client → server: scale a Deployment (tree context menu, "Scale Deployment"). */
export const ScaleDeploymentRequest = new RequestType<{ namespace: string; name: string; replicas: number }, void, void>('ksl/scaleDeployment');

/** Client → server: delete a pod (tree context menu); its ReplicaSet replaces it. */
export const DeletePodRequest = new RequestType<{ namespace: string; name: string }, void, void>('ksl/deletePod');

/** Client → server: a DNS lookup as a pod in `namespace` would make it (search path, ndots 5). Emulator only. */
export const ResolveNameRequest = new RequestType<
  { name: string; namespace: string; type?: 'A' | 'AAAA' | 'SRV' | 'PTR' | 'CNAME' | 'TXT' },
  { query: string; rcode: string; answers: string[]; tried: string[] },
  void
>('ksl/resolveName');

/** Client → server: the in-cluster curl ("Call Service"). Emulator only. */
export const CallServiceRequest = new RequestType<
  { url: string; namespace: string },
  { status: number; headers: Record<string, string>; body: string; pod?: string; podIP?: string; route: string[]; error?: string },
  void
>('ksl/callService');

/** Client → server: N requests to a Service and how they spread over its pods. Emulator only. */
export const TrafficTestRequest = new RequestType<
  { namespace: string; name: string; port?: number | string; requests: number },
  { service: string; target: string; total: number; byPod: { pod: string; ip: string; count: number }[]; failures: { message: string; count: number }[] },
  void
>('ksl/trafficTest');

/** Client → server: kube-proxy's rules in iptables-save format, for all Services or one. Emulator only. */
export const ProxyRulesRequest = new RequestType<{ namespace?: string; name?: string }, { text: string }, void>('ksl/proxyRules');

// ---------------------------------------------------------------------------------------------
// Client commands that the server's code lenses name. The client registers them.

/** "Apply to emulator" above a Service or workload document; its one argument is a DocumentsParams. */
export const APPLY_TO_EMULATOR_COMMAND = 'ksl.applyToEmulator';

/** The status lens above an applied object: shows it in the cluster tree. Its one argument is a RevealInExplorerArgs. */
export const REVEAL_IN_EXPLORER_COMMAND = 'ksl.revealInExplorer';

export interface RevealInExplorerArgs {
  namespace: string;
  kind: string;
  name: string;
}
