import { BreakwaterError, hasErrorCode, nameErrorClass } from './breakwater-error';
import { errorCodes } from './error-codes';

/** A rate limiter had no token left, so the call was not run. */
export class RateLimitedError extends BreakwaterError {
  /** Milliseconds until the next token is available. */
  readonly retryAfter: number;

  constructor(retryAfter: number) {
    super(
      errorCodes.rateLimited,
      `Rate limit exceeded; next call allowed in ${Math.ceil(retryAfter)} ms`,
    );
    this.retryAfter = retryAfter;
  }
}
nameErrorClass(RateLimitedError, 'RateLimitedError');

/** True when `value` is a {@link RateLimitedError}, from any copy of the package. */
export function isRateLimitedError(value: unknown): value is RateLimitedError {
  return hasErrorCode(value, errorCodes.rateLimited);
}
