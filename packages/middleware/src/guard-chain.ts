import type { CircuitBreaker, CircuitOpenError } from '@breakwater/core';
import type { ResponseOutcome } from './guard-response';
import { openResponseFor, type ResolvedMiddlewareOptions } from './middleware-options';
import { type OpenResponse, openResponse } from './open-response';

/** One guard that admitted a request: how to report its outcome, and what its 503 would say. */
export interface GuardLink {
  readonly outcome: ResponseOutcome;
  readonly breaker: CircuitBreaker;
  readonly options: ResolvedMiddlewareOptions;
}

// Keyed by the object a framework keeps for the whole request (express: the
// response; fastify: the request), so guards that do not know of each other
// (app-wide and per route, a plugin and route hooks) still find each other.
const chains = new WeakMap<object, GuardLink[]>();

/** Records that the request identified by `key` was admitted by a guard. */
export function joinGuardChain(key: object, link: GuardLink): void {
  const chain = chains.get(key);
  if (chain === undefined) chains.set(key, [link]);
  else chain.push(link);
}

/**
 * Another breaker's open circuit answers this request: every guard it passed
 * counts it as neither success nor failure (a known outage elsewhere says
 * nothing about their own service). Returns the innermost guard, if any.
 */
export function ignoreGuardChain(key: object): GuardLink | undefined {
  const chain = chains.get(key);
  if (chain === undefined) return undefined;
  for (const link of chain) link.outcome.ignored();
  return chain.at(-1);
}

/**
 * The 503 for a `CircuitOpenError` that a handler let escape (an inner
 * breaker), after ignoring it for every guard of the request. A forced-open
 * breaker has no retry time, so the hint is the innermost guard's (its
 * `forcedOpenRetryAfter`, else its breaker's `resetTimeout`), or
 * `forcedOpenRetryAfter` (default 30 s) when no guard admitted the request.
 */
export function answerInnerOpen(
  key: object,
  error: CircuitOpenError,
  forcedOpenRetryAfter?: number,
): OpenResponse {
  const innermost = ignoreGuardChain(key);
  if (innermost !== undefined) return openResponseFor(innermost.breaker, error, innermost.options);
  return openResponse(error, forcedOpenRetryAfter);
}
