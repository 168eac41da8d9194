// The one error type every allocator throws, so the registry can turn each failure into the
// status the apiserver would return (422 Invalid for a requested value, 500 for a full range)
// by looking at `reason` instead of matching message text.

/**
 * Why an allocation failed:
 * - `allocated`: the requested value is already in use;
 * - `outOfRange`: the requested value lies outside the allocator's range;
 * - `full`: no free value is left;
 * - `invalid`: the requested value could not be parsed at all.
 */
export type AllocationFailure = 'allocated' | 'outOfRange' | 'full' | 'invalid';

/** The message is exactly the allocator's error text in kube-apiserver. */
export class AllocationError extends Error {
  constructor(
    readonly reason: AllocationFailure,
    message: string,
  ) {
    super(message);
    this.name = 'AllocationError';
  }
}

/** The text of the allocators' `ErrFull`. */
export const RANGE_FULL = 'range is full';
