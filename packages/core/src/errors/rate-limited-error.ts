import { defineError } from './define-error';
import { errorCodes } from './error-codes';

/** A rate limiter had no token left, so the call was not run. */
export const RateLimitedError = defineError(
  errorCodes.rateLimited,
  'RateLimitedError',
  (retryAfter: number) => ({
    message: `Rate limit exceeded; next call allowed in ${Math.ceil(retryAfter)} ms`,
    /** Milliseconds until the next token is available. */
    retryAfter,
  }),
);
export type RateLimitedError = InstanceType<typeof RateLimitedError>;

/** True when `value` is a {@link RateLimitedError}, from any copy of the package. */
export const isRateLimitedError = RateLimitedError.is;
