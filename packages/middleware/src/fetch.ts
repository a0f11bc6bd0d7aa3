import { isCircuitOpenError } from '@breakwater/core';
import { type BreakerRef, breakerSource } from './breaker-ref';
import { FailureStatusError } from './failure-status-error';
import {
  type MiddlewareOptions,
  openResponseFor,
  resolveMiddlewareOptions,
} from './middleware-options';

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

/**
 * Wraps a fetch handler in a breaker: `withCircuitBreaker(breaker, app.fetch)`.
 * Extra arguments (Hono's env and execution context) are passed through.
 *
 * While the circuit is open it answers 503 with `Retry-After` and the seed
 * 001 body without calling `handler`. Otherwise a response for which
 * `isFailureStatus(status)` (default >= 500) counts as a failure and is still
 * returned as is; an error thrown by `handler` counts and is rethrown.
 */
export function withCircuitBreaker<A extends unknown[]>(
  ref: BreakerRef,
  handler: FetchHandler<A>,
  options?: MiddlewareOptions,
): (request: Request, ...rest: A) => Promise<Response> {
  if (typeof handler !== 'function') throw new TypeError('withCircuitBreaker needs a handler');
  const getBreaker = breakerSource(ref);
  const resolved = resolveMiddlewareOptions(options);
  const { isFailureStatus } = resolved;
  return async (request, ...rest) => {
    let admitted = false;
    const breaker = getBreaker();
    try {
      return await breaker.execute(async () => {
        admitted = true;
        const response = await handler(request, ...rest);
        if (isFailureStatus(response.status)) throw new FailedResponse(response);
        return response;
      });
    } catch (error) {
      if (error instanceof FailedResponse) return error.response;
      if (!admitted && isCircuitOpenError(error)) {
        const open = openResponseFor(breaker, error, resolved);
        return new Response(open.body, { status: open.status, headers: open.headers });
      }
      throw error;
    }
  };
}
