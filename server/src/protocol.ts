// What the client and the language server agree on beyond LSP itself. Custom messages are
// added here as one typed constant each, prefixed `ksl/`, with who sends them and why
// (ARCHITECTURE invariant 7). For now the server needs only its initialization options.

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
