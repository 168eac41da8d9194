// A failure the user can act on ("the emulator is not running; start it with ..."), as
// opposed to a bug. Requests throw it; the server answers with its message as the LSP
// ResponseError's, and anything else as an internal error that names what failed.

import { ErrorCodes, LSPErrorCodes, ResponseError } from 'vscode-languageserver';

export class UserError extends Error {}

/** The ResponseError to answer a failed request with. */
export function toResponseError(err: unknown, what: string): ResponseError<void> {
  if (err instanceof ResponseError) return err as ResponseError<void>;
  if (err instanceof UserError) return new ResponseError(LSPErrorCodes.RequestFailed, err.message);
  const detail = err instanceof Error ? err.message : String(err);
  return new ResponseError(ErrorCodes.InternalError, `${what} failed: ${detail}`);
}
