import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { type BreakerRef, breakerSource } from './breaker-ref';
import { guardResponse } from './guard-response';
import { type MiddlewareOptions, resolveMiddlewareOptions } from './middleware-options';

export type { BreakerRef } from './breaker-ref';
export type { MiddlewareOptions } from './middleware-options';

/**
 * Express middleware guarding the routes after it with a breaker: per route
 * (`app.get('/quote', circuitBreaker(breaker), handler)`) or app-wide
 * (`app.use(circuitBreaker({ registry, service: 'market-data' }))`).
 *
 * While the circuit is open it answers 503 with `Retry-After` and the seed
 * 001 body. Otherwise the request goes on, and its outcome is counted when
 * the response finishes: a failure when `isFailureStatus(status)` (default
 * >= 500; an error passed to `next` ends in such a status unless an error
 * handler says otherwise). A client that disconnects first counts as neither.
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
        response.status(open.status).set(open.headers).send(open.body);
      },
    });
  };
}
