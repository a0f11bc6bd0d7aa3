import { defineError, errorCodes } from '@breakwater/core';

/**
 * What the breaker records when a guarded route answers with a failure
 * status (see `isFailureStatus`): a breaker's `isFailure` can recognise it
 * with {@link isFailureStatusError}. Never thrown to the HTTP client, which
 * gets the route's own response.
 */
export const FailureStatusError = defineError(
  errorCodes.failureStatus,
  'FailureStatusError',
  (status: number) => ({
    message: `The route answered with failure status ${status}`,
    /** The response status that counted as a failure. */
    status,
  }),
);
export type FailureStatusError = InstanceType<typeof FailureStatusError>;

/** True when `value` is a {@link FailureStatusError}, from any copy of the package. */
export const isFailureStatusError = FailureStatusError.is;
