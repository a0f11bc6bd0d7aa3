/**
 * What the breaker records when a guarded route answers with a failure
 * status (see `isFailureStatus`): a breaker's `isFailure` can recognise it
 * with {@link isFailureStatusError}. Never thrown to the HTTP client.
 */
export class FailureStatusError extends Error {
  /** The response status that counted as a failure. */
  readonly status: number;

  constructor(status: number) {
    super(`The route answered with failure status ${status}`);
    this.status = status;
  }
}
Object.defineProperty(FailureStatusError.prototype, 'name', {
  value: 'FailureStatusError',
  writable: true,
  configurable: true,
});

/** True when `value` is a {@link FailureStatusError}. */
export function isFailureStatusError(value: unknown): value is FailureStatusError {
  return value instanceof FailureStatusError;
}
