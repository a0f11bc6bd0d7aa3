import { isCircuitOpenError } from '@breakwater/core';
import type {
  FastifyPluginCallback,
  FastifyReply,
  FastifyRequest,
  onErrorHookHandler,
  onRequestAbortHookHandler,
  onRequestHookHandler,
  onResponseHookHandler,
  onSendHookHandler,
} from 'fastify';
import { type BreakerRef, breakerSource } from './breaker-ref';
import { answerInnerOpen, ignoreGuardChain, joinGuardChain } from './guard-chain';
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
  readonly onSend: onSendHookHandler;
  readonly onRequestAbort: onRequestAbortHookHandler;
}

// The 503 owed for a CircuitOpenError a handler threw, from `onError` (which
// may not reply) to `onSend` (which may replace the reply): shared by every
// guard, so the first `onSend` answers it whichever guard saw the error.
const pendingOpen = new WeakMap<FastifyRequest, OpenResponse>();

/**
 * Fastify hooks guarding routes with a breaker, for one route
 * (`app.get('/quote', { ...circuitBreakerHooks(breaker) }, handler)`).
 *
 * While the circuit is open `onRequest` answers 503 with `Retry-After` and
 * the `CircuitBreakerOpen` body. Otherwise the outcome is counted when the
 * response is sent: a failure when the handler threw (`onError`) or when
 * `isFailureStatus(status)` (default >= 500). An aborted request counts as
 * neither.
 *
 * A `CircuitOpenError` the handler throws comes from a breaker it called (a
 * step of a composite route): `onSend` answers it with that breaker's 503 in
 * place of what the error handler answered, and it counts as neither
 * success nor failure of this guard's breaker.
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
          joinGuardChain(request, { outcome, breaker, options: resolved });
          done();
        },
        // Replying without calling `done` stops the hook chain.
        rejected(open) {
          ignoreGuardChain(request); // guards outside this one did not fail either
          sendOpen(reply, open);
        },
      });
    },
    onError(request, _reply, error, done) {
      if (isCircuitOpenError(error)) {
        if (!pendingOpen.has(request)) pendingOpen.set(request, answerInnerOpen(request, error));
      } else {
        outcomes.get(request)?.failed(error);
      }
      done();
    },
    onSend(request, reply, payload, done) {
      const open = pendingOpen.get(request);
      if (open === undefined) {
        done(null, payload);
        return;
      }
      pendingOpen.delete(request);
      reply
        .code(open.status)
        .headers({ ...open.headers, 'content-length': String(Buffer.byteLength(open.body)) });
      done(null, open.body);
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
      app.addHook('onSend', hooks.onSend);
      app.addHook('onResponse', hooks.onResponse);
      app.addHook('onRequestAbort', hooks.onRequestAbort);
      done();
    },
    { [Symbol.for('skip-override')]: true },
  );

function sendOpen(reply: FastifyReply, open: OpenResponse): void {
  reply.code(open.status).headers(open.headers).send(open.body);
}
