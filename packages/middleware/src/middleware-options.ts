import { type CircuitBreaker, type CircuitOpenError, ConfigError } from '@breakwater/core';
import { type OpenResponse, openResponse } from './open-response';

/** Options shared by every adapter. */
export interface MiddlewareOptions {
  /**
   * Whether a response status counts as a failure of the guarded service.
   * Default: `status >= 500`. A thrown error always counts (subject to the
   * breaker's own `isFailure` and `ignoredErrors`).
   */
  readonly isFailureStatus?: (status: number) => boolean;
  /**
   * The `Retry-After` (ms, sent in whole seconds) answered while the breaker
   * is forced open, which has no retry time of its own. Default: the
   * breaker's `resetTimeout`, the period an automatic open would last.
   */
  readonly forcedOpenRetryAfter?: number;
}

export interface ResolvedMiddlewareOptions {
  readonly isFailureStatus: (status: number) => boolean;
  /** Undefined: the breaker's `resetTimeout`. */
  readonly forcedOpenRetryAfter: number | undefined;
}

/** The default {@link MiddlewareOptions.isFailureStatus}: server errors. */
export function isServerErrorStatus(status: number): boolean {
  return status >= 500;
}

/** Validates the options once, when the middleware is built. */
export function resolveMiddlewareOptions(options?: MiddlewareOptions): ResolvedMiddlewareOptions {
  if (options === undefined) return defaults;
  if (typeof options !== 'object' || options === null) {
    throw new ConfigError('options', options, 'an object of middleware options');
  }
  const { isFailureStatus = isServerErrorStatus, forcedOpenRetryAfter } = options;
  if (typeof isFailureStatus !== 'function') {
    throw new ConfigError('isFailureStatus', isFailureStatus, 'a function (status) => boolean');
  }
  if (
    forcedOpenRetryAfter !== undefined &&
    !(Number.isFinite(forcedOpenRetryAfter) && forcedOpenRetryAfter >= 0)
  ) {
    throw new ConfigError('forcedOpenRetryAfter', forcedOpenRetryAfter, 'a duration in ms >= 0');
  }
  return Object.freeze({ isFailureStatus, forcedOpenRetryAfter });
}

const defaults: ResolvedMiddlewareOptions = Object.freeze({
  isFailureStatus: isServerErrorStatus,
  forcedOpenRetryAfter: undefined,
});

/** The 503 for `error` from `breaker`, with the forced-open hint these options give. */
export function openResponseFor(
  breaker: CircuitBreaker,
  error: CircuitOpenError,
  options: ResolvedMiddlewareOptions,
): OpenResponse {
  return openResponse(error, options.forcedOpenRetryAfter ?? breaker.options.resetTimeout);
}
