import { ConfigError } from '@breakwater/core';

/** Options shared by every adapter. */
export interface MiddlewareOptions {
  /**
   * Whether a response status counts as a failure of the guarded service.
   * Default: `status >= 500`. A thrown error always counts (subject to the
   * breaker's own `isFailure` and `ignoredErrors`).
   */
  readonly isFailureStatus?: (status: number) => boolean;
}

export interface ResolvedMiddlewareOptions {
  readonly isFailureStatus: (status: number) => boolean;
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
  const { isFailureStatus = isServerErrorStatus } = options;
  if (typeof isFailureStatus !== 'function') {
    throw new ConfigError('isFailureStatus', isFailureStatus, 'a function (status) => boolean');
  }
  return Object.freeze({ isFailureStatus });
}

const defaults: ResolvedMiddlewareOptions = Object.freeze({
  isFailureStatus: isServerErrorStatus,
});
