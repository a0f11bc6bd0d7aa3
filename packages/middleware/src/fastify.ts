import type {
  FastifyPluginCallback,
  FastifyReply,
  FastifyRequest,
  onErrorHookHandler,
  onRequestAbortHookHandler,
  onRequestHookHandler,
  onResponseHookHandler,
} from 'fastify';
import { type BreakerRef, breakerSource } from './breaker-ref';
import { guardResponse, type ResponseOutcome } from './guard-response';
import { type MiddlewareOptions, resolveMiddlewareOptions } from './middleware-options';
import type { OpenResponse } from './open-response';

export type { BreakerRef } from './breaker-ref';
export type { MiddlewareOptions } from './middleware-options';

/** The hooks guarding routes with one breaker; spread them into a route's options. */
export interface CircuitBreakerHooks {
  readonly onRequest: onRequestHookHandler;
  readonly onResponse: onResponseHookHandler;
  readonly onError: onErrorHookHandler;
  readonly onRequestAbort: onRequestAbortHookHandler;
}

/**
 * Fastify hooks guarding routes with a breaker, for one route
 * (`app.get('/quote', { ...circuitBreakerHooks(breaker) }, handler)`).
 *
 * While the circuit is open `onRequest` answers 503 with `Retry-After` and
 * the seed 001 body. Otherwise the outcome is counted when the response is
 * sent: a failure when the handler threw (`onError`) or when
 * `isFailureStatus(status)` (default >= 500). An aborted request counts as
 * neither.
 */
export function circuitBreakerHooks(
  ref: BreakerRef,
  options?: MiddlewareOptions,
): CircuitBreakerHooks {
  const getBreaker = breakerSource(ref);
  const resolved = resolveMiddlewareOptions(options);
  const outcomes = new WeakMap<FastifyRequest, ResponseOutcome>();
  return {
    onRequest(request, reply, done) {
      let breaker: ReturnType<typeof getBreaker>;
      try {
        breaker = getBreaker(); // a closed registry throws
      } catch (error) {
        done(error as Error);
        return;
      }
      guardResponse(breaker, resolved, {
        admitted(outcome) {
          outcomes.set(request, outcome);
          done();
        },
        // Replying without calling `done` stops the hook chain.
        rejected: (open) => sendOpen(reply, open),
      });
    },
    onError(request, _reply, error, done) {
      outcomes.get(request)?.failed(error);
      done();
    },
    onResponse(request, reply, done) {
      outcomes.get(request)?.finished(reply.statusCode);
      done();
    },
    onRequestAbort(request, done) {
      outcomes.get(request)?.abandoned();
      done();
    },
  };
}

/** Options of {@link circuitBreakerPlugin}: the breaker, and the shared middleware options. */
export interface CircuitBreakerPluginOptions extends MiddlewareOptions {
  readonly breaker: BreakerRef;
}

/**
 * A plugin guarding every route of the scope it is registered in (it is not
 * encapsulated, like plugins wrapped with `fastify-plugin`):
 * `app.register(circuitBreakerPlugin, { breaker: { registry, service: 'market-data' } })`.
 */
export const circuitBreakerPlugin: FastifyPluginCallback<CircuitBreakerPluginOptions> =
  Object.assign(
    (
      app: Parameters<FastifyPluginCallback<CircuitBreakerPluginOptions>>[0],
      options: CircuitBreakerPluginOptions,
      done: (error?: Error) => void,
    ): void => {
      const { breaker, ...rest } = options;
      const hooks = circuitBreakerHooks(breaker, rest);
      app.addHook('onRequest', hooks.onRequest);
      app.addHook('onError', hooks.onError);
      app.addHook('onResponse', hooks.onResponse);
      app.addHook('onRequestAbort', hooks.onRequestAbort);
      done();
    },
    { [Symbol.for('skip-override')]: true },
  );

function sendOpen(reply: FastifyReply, open: OpenResponse): void {
  reply.code(open.status).headers(open.headers).send(open.body);
}
