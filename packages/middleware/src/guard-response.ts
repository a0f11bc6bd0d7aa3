import { type CircuitBreaker, isCircuitOpenError } from '@breakwater/core';
import { FailureStatusError } from './failure-status-error';
import { openResponseFor, type ResolvedMiddlewareOptions } from './middleware-options';
import type { OpenResponse } from './open-response';

/**
 * How a callback-style adapter reports the end of a guarded request. The
 * first report wins; later ones are ignored (a response that finishes after
 * an error was already counted, a 'close' after 'finish').
 */
export interface ResponseOutcome {
  /** The response was sent with `status`: a failure when `isFailureStatus(status)`. */
  finished(status: number): void;
  /** The route failed with `error`: a failure, unless the breaker's `isFailure` says otherwise. */
  failed(error: unknown): void;
  /** The client went away before the response was sent: neither success nor failure. */
  abandoned(): void;
  /**
   * Another breaker's open circuit answered the request (a breaker the route
   * called, or a guard nested inside this one): neither success nor failure,
   * counted in the breaker's `totalIgnored`.
   */
  ignored(): void;
}

export interface GuardHandlers {
  /** The breaker admitted the request: let it through, and report its end to `outcome`. */
  readonly admitted: (outcome: ResponseOutcome) => void;
  /** The breaker rejected the request: send `response` instead of running the route. */
  readonly rejected: (response: OpenResponse) => void;
}

/**
 * Runs one request through `breaker.execute` for frameworks that signal the
 * end of a response with events or hooks (express, fastify): the call lasts
 * from admission until the outcome is reported, so the breaker sees the
 * request's real result and half-open permits are held until it is known.
 */
export function guardResponse(
  breaker: CircuitBreaker,
  options: ResolvedMiddlewareOptions,
  handlers: GuardHandlers,
): void {
  const abandon = new AbortController();
  let admitted = false;
  breaker
    .execute(
      () =>
        new Promise<void>((resolve, reject) => {
          admitted = true;
          let reported = false;
          // Aborting the call's signal settles it as neither success nor failure.
          const ignore = (): void => {
            if (reported) return;
            reported = true;
            abandon.abort();
          };
          handlers.admitted({
            finished(status) {
              if (reported) return;
              reported = true;
              if (options.isFailureStatus(status)) reject(new FailureStatusError(status));
              else resolve();
            },
            failed(error) {
              if (reported) return;
              reported = true;
              reject(error);
            },
            abandoned: ignore,
            ignored: ignore,
          });
        }),
      { signal: abandon.signal },
    )
    .then(undefined, (error: unknown) => {
      // After admission the outcome is the breaker's to count, and the framework's to answer.
      if (!admitted && isCircuitOpenError(error)) {
        handlers.rejected(openResponseFor(breaker, error, options));
      }
    });
}
