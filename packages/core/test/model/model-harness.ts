import {
  type BreakerStatus,
  CircuitBreaker,
  type ExecuteOptions,
  isCallTimeoutError,
  isCircuitOpenError,
} from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { expect } from 'vitest';
import type { ModelOptions } from './model-options';
import type { CallOptions, ModelWorld, WorldCall } from './model-world';
import type { ModelEvent, ModelStatus, Rejection } from './reference-model';

/**
 * The real side of a run and the checks made after every command: the state,
 * the status, the events and what every caller got must be what the model
 * says. Public API only.
 */

/** How a real call settled, as its caller saw it. */
type Settlement = { readonly value: unknown } | { readonly error: unknown };

export interface RealCall {
  /** Settles the function's promise (calls whose function stays in flight). */
  finish?: (ok: boolean) => void;
  readonly error: Error;
  readonly controller: AbortController | undefined;
  readonly abortReason: Error;
  settlement: Settlement | undefined;
  /** Its settlement was checked against the model's (it never changes after). */
  checked: boolean;
}

export interface Real {
  readonly clock: FakeClock;
  breaker: CircuitBreaker;
  /** The events of `breaker` (a restore swaps in a fresh breaker and a fresh list). */
  events: ModelEvent[];
  unsubscribe: () => void;
  readonly calls: RealCall[];
}

export function createReal(options: ModelOptions): Real {
  const clock = new FakeClock();
  const real: Real = {
    clock,
    breaker: new CircuitBreaker('model', { ...options, clock }),
    events: [],
    unsubscribe: () => {},
    calls: [],
  };
  listen(real);
  return real;
}

/** Records `real.breaker`'s transitions and recovery alerts into `real.events`. */
export function listen(real: Real): void {
  const events = real.events;
  const stops = [
    real.breaker.on('stateChange', ({ from, to, reason }) =>
      events.push({ type: 'stateChange', from, to, reason }),
    ),
    real.breaker.on('recoveryExhausted', ({ failedRecoveries, failedInARow, nextResetTimeout }) =>
      events.push({ type: 'recoveryExhausted', failedRecoveries, failedInARow, nextResetTimeout }),
    ),
  ];
  real.unsubscribe = () => {
    for (const stop of stops) stop();
  };
}

/**
 * Starts a real call with `fn`; `execute(fn)` without options when the call
 * has none, so the breaker's short path is exercised too. The caller's
 * settlement is recorded as it happens.
 */
export function startReal(
  real: Real,
  options: CallOptions,
  fn: (call: RealCall) => unknown,
): { readonly call: RealCall; readonly ran: () => boolean; readonly outcome: Promise<unknown> } {
  const controller = options.signal ? new AbortController() : undefined;
  const id = real.calls.length;
  const call: RealCall = {
    error: new Error(`call ${id} failed`),
    controller,
    abortReason: new Error(`call ${id} aborted by its caller`),
    settlement: undefined,
    checked: false,
  };
  let ran = false;
  const execute: ExecuteOptions | undefined =
    options.timeout === undefined && controller === undefined
      ? undefined
      : {
          ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
          ...(controller === undefined ? {} : { signal: controller.signal }),
        };
  const work = () => {
    ran = true;
    return fn(call);
  };
  const outcome = real.breaker.execute(work, execute).then(
    (value) => {
      call.settlement = { value };
      return value;
    },
    (error: unknown) => {
      call.settlement = { error };
      return error;
    },
  );
  return { call, ran: () => ran, outcome };
}

/** A call the model rejected must not have run, and must reject with the right `CircuitOpenError`. */
export async function expectRejected(
  rejection: Rejection,
  ran: boolean,
  outcome: Promise<unknown>,
): Promise<void> {
  expect(ran, 'the function of a rejected call ran').toBe(false);
  const error = await outcome;
  expect(isCircuitOpenError(error), `expected a CircuitOpenError, got ${String(error)}`).toBe(true);
  const { state, retryAfter, breaker } = error as {
    state: string;
    retryAfter: number | undefined;
    breaker: string;
  };
  expect({ state, retryAfter, breaker }).toEqual({
    state: rejection.state,
    retryAfter: rejection.retryAfter,
    breaker: 'model',
  });
}

function observed(status: BreakerStatus): ModelStatus {
  return {
    state: status.state,
    failureCount: status.failureCount,
    successes: status.successes,
    recoveryAttempts: status.recoveryAttempts,
    failedRecoveries: status.failedRecoveries,
    currentResetTimeout: status.currentResetTimeout,
    recoveryIn: status.recoveryIn,
    totalAttempts: status.totalAttempts,
    totalSuccesses: status.totalSuccesses,
    totalFailures: status.totalFailures,
    totalIgnored: status.totalIgnored,
    rejected: status.rejected,
    timeouts: status.timeouts,
    halfOpenInFlight: status.halfOpenInFlight,
    timeInCurrentState: status.timeInCurrentState,
    failureRate: status.failureRate,
    slowCallRate: status.slowCallRate,
    windowCalls: status.windowCalls,
    latencySamples: status.latency.samples,
    transitions: status.transitions,
  };
}

/**
 * Lets completions be recorded, then compares. `readStatus: false` skips
 * `status()`, whose read gives up an overdue trial and ends a healthy closed
 * period: without such steps those checks at call time would never be
 * exercised on their own.
 */
export async function compare(world: ModelWorld, real: Real, readStatus = true): Promise<void> {
  await real.clock.advanceAsync(0);
  expect(real.breaker.state).toBe(world.breaker.state);
  if (readStatus) {
    const status = real.breaker.status();
    expect(observed(status)).toEqual(world.breaker.status());
    expect(status.halfOpenInFlight).toBeLessThanOrEqual(world.breaker.permitCeiling);
  }
  expect(real.events).toEqual(world.breaker.events);
  expect(real.calls.length).toBe(world.calls.length);
  world.calls.forEach((started, id) => {
    const call = real.calls[id];
    if (call && !call.checked) checkSettlement(started, call);
  });
}

/** What the caller got is what the model says, and nothing before the model says so. */
function checkSettlement(started: WorldCall, call: RealCall): void {
  const expected = started.outcome;
  const got = call.settlement;
  const label = `call ${started.id}`;
  if (expected === undefined) {
    expect(got, `${label} settled early`).toBeUndefined();
    return;
  }
  expect(got, `${label} has not settled`).toBeDefined();
  switch (expected.kind) {
    case 'value':
      expect(got, label).toEqual({ value: 'ok' });
      break;
    case 'error':
      expect(got, label).toEqual({ error: call.error });
      break;
    case 'aborted':
      expect(got, label).toEqual({ error: call.abortReason });
      break;
    case 'timeout': {
      const error = got && 'error' in got ? got.error : undefined;
      expect(isCallTimeoutError(error), `${label}: ${String(error)}`).toBe(true);
      expect((error as { timeout: number }).timeout).toBe(expected.timeout);
      break;
    }
  }
  call.checked = true;
}
