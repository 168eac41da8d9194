// The failures a PATCH can end in, shaped like the metav1.Status the apiserver answers with.
// Each constructor names the apimachinery helper whose status, reason and message it copies
// (k8s.io/apiserver pkg/endpoints/handlers/patch.go decides which helper wraps which failure).

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
}

/** A metav1.Status failure body, ready to be serialised as the response. */
export interface FailureStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

export class PatchError extends Error {
  /** The HTTP status code, also the Status `code`. */
  readonly status: number;
  /** The Status `reason`; empty for failures the apiserver reports as StatusReasonUnknown. */
  readonly reason: string;
  readonly details: StatusDetails | undefined;
  /**
   * What actually went wrong when the apiserver hides it behind a generic message (a JSON
   * patch operation that does not apply is reported only as "the server rejected our
   * request..."). It is for logs and tests, never for the response body.
   */
  readonly internalMessage: string | undefined;

  constructor(status: number, reason: string, message: string, details?: StatusDetails, internalMessage?: string) {
    super(message);
    this.name = 'PatchError';
    this.status = status;
    this.reason = reason;
    this.details = details;
    this.internalMessage = internalMessage;
  }

  toStatus(): FailureStatus {
    const status: FailureStatus = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      code: this.status,
    };
    if (this.reason !== '') status.reason = this.reason;
    if (this.details !== undefined) status.details = this.details;
    return status;
  }
}

/** errors.NewBadRequest: 400 with the message as given. */
export function badRequest(message: string): PatchError {
  return new PatchError(400, 'BadRequest', message);
}

/**
 * errors.NewGenericServerResponse(422, ...): the apiserver uses it for JSON patch operations
 * that fail and for some strategic merge patch errors, and it replaces the real cause with a
 * fixed sentence, so clients only ever see that sentence.
 */
export function rejectedPatch(internalMessage: string): PatchError {
  return new PatchError(
    422,
    'Invalid',
    'the server rejected our request due to an error in our request',
    {},
    internalMessage,
  );
}

/**
 * errors.NewInvalid with an empty GroupKind and name and one field.Invalid on "patch": the
 * patched document could not be decoded into the resource's type.
 */
export function invalidPatchedDocument(patchedDocument: string, detail: string): PatchError {
  const body = `Invalid value: ${JSON.stringify(patchedDocument)}: ${detail}`;
  return new PatchError(422, 'Invalid', ` "" is invalid: patch: ${body}`, {
    name: '',
    group: '',
    kind: '',
    causes: [{ reason: 'FieldValueInvalid', message: body, field: 'patch' }],
  });
}

/** negotiation.NewUnsupportedMediaTypeError: 415 listing the accepted patch types. */
export function unsupportedMediaType(accepted: readonly string[]): PatchError {
  return new PatchError(
    415,
    'UnsupportedMediaType',
    'the body of the request was in an unknown format - accepted media types include: ' + accepted.join(', '),
  );
}

/** errors.NewRequestEntityTooLargeError. */
export function requestEntityTooLarge(message: string): PatchError {
  return new PatchError(413, 'RequestEntityTooLarge', 'Request entity too large: ' + message);
}

/**
 * A plain Go error that reached the response writer without being converted to a Status:
 * the apiserver answers 500 with the error text and no reason (responsewriters.ErrorToAPIStatus).
 */
export function unconvertedError(message: string): PatchError {
  return new PatchError(500, '', message);
}
