import { ConfigError, isCircuitOpenError } from '@breakwater/core';
import { type BreakerRef, breakerSource } from './breaker-ref';
import { FailureStatusError } from './failure-status-error';
import {
  type MiddlewareOptions,
  openResponseFor,
  resolveMiddlewareOptions,
} from './middleware-options';

import { type OpenResponse, openResponse } from './open-response';

export type { BreakerRef } from './breaker-ref';
export type { MiddlewareOptions } from './middleware-options';

/** A fetch-style handler: Hono's `app.fetch`, Deno/Bun/Workers handlers, or any `(request) => Response`. */
export type FetchHandler<A extends unknown[] = []> = (
  request: Request,
  ...rest: A
) => Response | Promise<Response>;

/** A failure status with its response, so the response still reaches the client. */
class FailedResponse extends FailureStatusError {
  readonly response: Response;

  constructor(response: Response) {
    super(response.status);
    this.response = response;
  }
}

// The 503s this adapter answered for an open circuit, so that a guard around
// another one (nested handlers) does not count them as its own failures.
const openResponses = new WeakSet<Response>();

/**
 * Wraps a fetch handler in a breaker: `withCircuitBreaker(breaker, app.fetch)`.
 * Extra arguments (Hono's env and execution context) are passed through.
 *
 * While the circuit is open it answers 503 with `Retry-After` and the
 * `CircuitBreakerOpen` body without calling `handler`. Otherwise a response
 * for which `isFailureStatus(status)` (default >= 500) counts as a failure
 * and is still returned as is; an error thrown by `handler` counts and is
 * rethrown. A `CircuitOpenError` thrown by `handler` comes from a breaker it
 * called (a step of a composite route): it is answered with that breaker's
 * 503, and counts as neither success nor failure of `ref`'s breaker.
 */
export function withCircuitBreaker<A extends unknown[]>(
  ref: BreakerRef,
  handler: FetchHandler<A>,
  options?: MiddlewareOptions,
): (request: Request, ...rest: A) => Promise<Response> {
  if (typeof handler !== 'function') throw new ConfigError('handler', handler, 'a function');
  const getBreaker = breakerSource(ref);
  const resolved = resolveMiddlewareOptions(options);
  const { isFailureStatus } = resolved;
  return async (request, ...rest) => {
    const breaker = getBreaker();
    // Aborting the call's signal settles it as neither success nor failure.
    const ignore = new AbortController();
    try {
      return await breaker.execute(
        async () => {
          let response: Response;
          try {
            response = await handler(request, ...rest);
          } catch (error) {
            if (isCircuitOpenError(error)) ignore.abort(error);
            throw error;
          }
          if (openResponses.has(response)) ignore.abort(response);
          else if (isFailureStatus(response.status)) throw new FailedResponse(response);
          return response;
        },
        { signal: ignore.signal },
      );
    } catch (error) {
      if (error instanceof FailedResponse) return error.response;
      if (error instanceof Response && openResponses.has(error)) return error; // a nested guard's 503
      // This breaker's own rejection, or one the handler let escape.
      if (isCircuitOpenError(error)) return toResponse(openResponseFor(breaker, error, resolved));
      throw error;
    }
  };
}

/**
 * The 503 `Response` for a `CircuitOpenError` (`Retry-After` and the
 * `CircuitBreakerOpen` body naming its breaker), or undefined for any other
 * error. For an app that answers errors itself before they reach
 * {@link withCircuitBreaker}, such as Hono's
 * `app.onError((error, c) => circuitOpenResponse(error) ?? c.text('Internal Server Error', 500))`;
 * a guard around the app counts such a 503 as neither success nor failure.
 * `forcedOpenRetryAfter` (ms, default 30 000) is the `Retry-After` for a
 * forced-open breaker, which has no retry time of its own.
 */
export function circuitOpenResponse(
  error: unknown,
  options?: Pick<MiddlewareOptions, 'forcedOpenRetryAfter'>,
): Response | undefined {
  if (!isCircuitOpenError(error)) return undefined;
  const { forcedOpenRetryAfter } = resolveMiddlewareOptions(options);
  return toResponse(openResponse(error, forcedOpenRetryAfter));
}

function toResponse(open: OpenResponse): Response {
  const response = new Response(open.body, { status: open.status, headers: open.headers });
  openResponses.add(response);
  return response;
}
