// Failures a user can act on. Commands throw a UserError with a message that says what went
// wrong and what to do; the command wrapper shows it with its action buttons. Any other error
// is a bug: its stack goes to the output channel, never into a notification.

/** The buttons a failure message can offer; each runs the command of the same meaning. */
export type FailureAction = 'Show Output' | 'Select Cluster' | 'Start Emulator';

export class UserError extends Error {
  constructor(
    message: string,
    readonly actions: readonly FailureAction[] = ['Show Output'],
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** Thrown when the user cancelled: the wrapper shows nothing, because the user asked for it. */
export class Cancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'Cancelled';
  }
}

/** JSON-RPC's "method not found": a language server that predates the request. */
const METHOD_NOT_FOUND = -32601;
/** LSP's "request cancelled". */
const REQUEST_CANCELLED = -32800;

function errorCode(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  const code = (err as { code: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}

/**
 * What a failed language-server request means to the user, in a sentence: the server's own
 * message for its errors (they are written for users, e.g. the apiserver's refusal), and a
 * plain explanation for transport failures.
 */
export function requestFailureMessage(err: unknown, method: string): string {
  const code = errorCode(err);
  if (code === METHOD_NOT_FOUND) return `the language server does not answer ${method}; it may be older than the extension. Reload the window.`;
  if (code === REQUEST_CANCELLED) return 'the request was cancelled';
  const message = err instanceof Error ? err.message : String(err);
  if (/connection got disposed|client is not running|connection is closed|connection is disposed/i.test(message)) {
    return 'the language server stopped while answering; see the "Kube Service Lab" output';
  }
  return message.replace(/^Request [^ ]+ failed with message: /, '') || `${method} failed`;
}
