import { isCircuitOpenError } from '@breakwater/core';
import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import { type BreakerRef, breakerSource } from './breaker-ref';
import { answerInnerOpen, ignoreGuardChain, joinGuardChain } from './guard-chain';
import { guardResponse } from './guard-response';
import { type MiddlewareOptions, resolveMiddlewareOptions } from './middleware-options';
import type { OpenResponse } from './open-response';

export type { BreakerRef } from './breaker-ref';
export type { MiddlewareOptions } from './middleware-options';

/**
 * Express middleware guarding the routes after it with a breaker: per route
 * (`app.get('/quote', circuitBreaker(breaker), handler)`) or app-wide
 * (`app.use(circuitBreaker({ registry, service: 'market-data' }))`).
 *
 * While the circuit is open it answers 503 with `Retry-After` and the
 * `CircuitBreakerOpen` body. Otherwise the request goes on, and its outcome
 * is counted when the response finishes: a failure when
 * `isFailureStatus(status)` (default >= 500; an error passed to `next` ends
 * in such a status unless an error handler says otherwise). A client that
 * disconnects first, and a 503 answered for another breaker's open circuit
 * (see {@link circuitOpenErrorHandler}), count as neither.
 */
export function circuitBreaker(ref: BreakerRef, options?: MiddlewareOptions): RequestHandler {
  const getBreaker = breakerSource(ref);
  const resolved = resolveMiddlewareOptions(options);
  return (_request: Request, response: Response, next: NextFunction): void => {
    let breaker: ReturnType<typeof getBreaker>;
    try {
      breaker = getBreaker(); // a closed registry throws
    } catch (error) {
      next(error);
      return;
    }
    guardResponse(breaker, resolved, {
      admitted(outcome) {
        joinGuardChain(response, { outcome, breaker, options: resolved });
        const onFinish = (): void => outcome.finished(response.statusCode);
        const onClose = (): void => {
          if (response.writableFinished) outcome.finished(response.statusCode);
          else outcome.abandoned();
        };
        response.once('finish', onFinish);
        response.once('close', onClose);
        next();
      },
      rejected(open) {
        if (response.headersSent) return;
        ignoreGuardChain(response); // guards outside this one did not fail either
        send(response, open);
      },
    });
  };
}

/**
 * An express error handler answering a `CircuitOpenError` that a route let
 * escape — a breaker the handler called, e.g. one step of a composite route —
 * with the 503, `Retry-After` and the `CircuitBreakerOpen` body naming that
 * breaker. Every guard the request passed counts it as neither success nor
 * failure. Other errors go on to the next error handler.
 *
 * Express gives middleware no view of an error passed on after it, so
 * register this after your routes and before your own error handlers:
 * `app.use(circuitOpenErrorHandler())`. For a forced-open breaker, which has
 * no retry time, `Retry-After` is the innermost guard's hint, or
 * `forcedOpenRetryAfter` (ms, default 30 000) when no guard admitted the request.
 */
export function circuitOpenErrorHandler(
  options?: Pick<MiddlewareOptions, 'forcedOpenRetryAfter'>,
): ErrorRequestHandler {
  const { forcedOpenRetryAfter } = resolveMiddlewareOptions(options);
  return (error: unknown, _request: Request, response: Response, next: NextFunction): void => {
    if (!isCircuitOpenError(error) || response.headersSent) {
      next(error);
      return;
    }
    send(response, answerInnerOpen(response, error, forcedOpenRetryAfter));
  };
}

function send(response: Response, open: OpenResponse): void {
  response.status(open.status).set(open.headers).send(open.body);
}
