import {
  type BreakerStatus,
  CircuitBreaker,
  type CircuitBreakerOptions,
  isCircuitOpenError,
} from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Deferred, deferred } from '../support/calls';
import {
  type ModelCall,
  type ModelOptions,
  type ModelStatus,
  type ModelTransition,
  ReferenceBreaker,
} from './reference-model';

/**
 * Model-based test: random options and random command sequences run against
 * the real `CircuitBreaker` (public API only) and the `ReferenceBreaker`;
 * after every command the two must agree on the state, the status counters
 * and every `stateChange` event.
 */

/** The fast-check model: the reference breaker and its calls still in flight. */
interface Model {
  readonly breaker: ReferenceBreaker;
  readonly pending: ModelCall[];
}

/** The system under test, a FakeClock and the deferred results of calls in flight. */
interface Real {
  readonly clock: FakeClock;
  readonly breaker: CircuitBreaker;
  readonly transitions: ModelTransition[];
  readonly pending: Deferred<string>[];
}

type Command = fc.AsyncCommand<Model, Real>;

function setup(options: ModelOptions): { model: Model; real: Real } {
  const clock = new FakeClock();
  const breaker = new CircuitBreaker('model', {
    ...options,
    clock,
  } satisfies CircuitBreakerOptions);
  const transitions: ModelTransition[] = [];
  breaker.on('stateChange', ({ from, to, reason }) => transitions.push({ from, to, reason }));
  return {
    model: { breaker: new ReferenceBreaker(options), pending: [] },
    real: { clock, breaker, transitions, pending: [] },
  };
}

function observed(status: BreakerStatus): ModelStatus {
  return {
    state: status.state,
    failures: status.failureCount,
    successes: status.successes,
    recoveryAttempts: status.recoveryAttempts,
    failedRecoveries: status.failedRecoveries,
    recoveryIn: status.recoveryIn,
    totalSuccesses: status.totalSuccesses,
    totalFailures: status.totalFailures,
    rejected: status.rejected,
  };
}

/**
 * Lets completions be recorded, then compares. `readStatus: false` skips
 * `status()`, whose read ends a healthy closed period: without such steps
 * the same check at trip time would never be exercised on its own.
 */
async function compare(model: Model, real: Real, readStatus = true): Promise<void> {
  await real.clock.advanceAsync(0);
  expect(real.breaker.state).toBe(model.breaker.state);
  expect(real.transitions).toEqual(model.breaker.transitions);
  if (readStatus) expect(observed(real.breaker.status())).toEqual(model.breaker.status());
}

/** Checks that `fn` ran exactly when the model admitted the call, and rejections are fast. */
async function expectAdmission(
  call: ModelCall | undefined,
  ran: boolean,
  outcome: Promise<unknown>,
): Promise<void> {
  expect(ran ? 'admitted' : 'rejected').toBe(call ? 'admitted' : 'rejected');
  if (!call) expect(isCircuitOpenError(await outcome)).toBe(true);
}

function settled(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => value,
    (error: unknown) => error,
  );
}

class StartCall implements Command {
  check = () => true;
  async run(model: Model, real: Real): Promise<void> {
    const result = deferred<string>();
    let ran = false;
    const outcome = settled(
      real.breaker.execute(() => {
        ran = true;
        return result.promise;
      }),
    );
    const call = model.breaker.start();
    if (call) {
      model.pending.push(call);
      real.pending.push(result);
    }
    await compare(model, real);
    await expectAdmission(call, ran, outcome);
  }
  toString = () => 'start';
}

class FinishCall implements Command {
  constructor(
    readonly index: number,
    readonly ok: boolean,
  ) {}
  check = (model: Readonly<Model>) => model.pending.length > 0;
  async run(model: Model, real: Real): Promise<void> {
    const at = this.index % model.pending.length;
    const [call] = model.pending.splice(at, 1);
    const [result] = real.pending.splice(at, 1);
    if (!call || !result) throw new Error('pending calls out of step');
    if (this.ok) {
      result.resolve('ok');
      model.breaker.succeed(call);
    } else {
      result.reject(new Error('pending failure'));
      model.breaker.fail(call);
    }
    await compare(model, real);
  }
  toString = () => `${this.ok ? 'succeed' : 'fail'}(pending ${this.index})`;
}

class ImmediateCall implements Command {
  constructor(readonly ok: boolean) {}
  check = () => true;
  async run(model: Model, real: Real): Promise<void> {
    let ran = false;
    const outcome = settled(
      real.breaker.execute(() => {
        ran = true;
        if (this.ok) return 'ok';
        throw new Error('immediate failure');
      }),
    );
    const call = model.breaker.start();
    if (call) {
      if (this.ok) model.breaker.succeed(call);
      else model.breaker.fail(call);
    }
    await compare(model, real);
    await expectAdmission(call, ran, outcome);
  }
  toString = () => (this.ok ? 'immediateSuccess' : 'immediateFailure');
}

class Advance implements Command {
  constructor(
    readonly ms: number,
    readonly readStatus: boolean,
  ) {}
  check = () => true;
  async run(model: Model, real: Real): Promise<void> {
    await real.clock.advanceAsync(this.ms);
    model.breaker.advance(this.ms);
    await compare(model, real, this.readStatus);
  }
  toString = () => `advance(${this.ms}${this.readStatus ? '' : ', no status read'})`;
}

/** Lands on, or 1 ms before, the end of the open period: the `now < openUntil` edge. */
class AdvanceToOpenEnd implements Command {
  constructor(readonly early: boolean) {}
  check = (model: Readonly<Model>) => model.breaker.state === 'open';
  async run(model: Model, real: Real): Promise<void> {
    const ms = Math.max(0, model.breaker.openUntil - model.breaker.now - (this.early ? 1 : 0));
    await real.clock.advanceAsync(ms);
    model.breaker.advance(ms);
    await compare(model, real);
  }
  toString = () => `advanceTo(openUntil${this.early ? ' - 1' : ''})`;
}

type Manual = 'forceOpen' | 'disable' | 'release' | 'reset';

class ManualControl implements Command {
  constructor(readonly action: Manual) {}
  check = () => true;
  async run(model: Model, real: Real): Promise<void> {
    real.breaker[this.action]();
    model.breaker[this.action]();
    await compare(model, real);
  }
  toString = () => `${this.action}()`;
}

const commands = fc.commands(
  [
    fc.oneof(
      { weight: 3, arbitrary: fc.constant(new StartCall()) },
      {
        weight: 5,
        arbitrary: fc
          .tuple(fc.nat(7), fc.boolean())
          .map(([index, ok]) => new FinishCall(index, ok)),
      },
      { weight: 5, arbitrary: fc.boolean().map((ok) => new ImmediateCall(ok)) },
      {
        weight: 4,
        arbitrary: fc
          .tuple(fc.integer({ min: 0, max: 6_000 }), fc.boolean())
          .map(([ms, readStatus]) => new Advance(ms, readStatus)),
      },
      { weight: 2, arbitrary: fc.boolean().map((early) => new AdvanceToOpenEnd(early)) },
      {
        weight: 1,
        arbitrary: fc
          .constantFrom<Manual>('forceOpen', 'disable', 'release', 'reset')
          .map((action) => new ManualControl(action)),
      },
    ),
  ],
  { maxCommands: 80, size: 'max' },
);

/** Options in the ranges the brief asks for; rate rules off. */
const options: fc.Arbitrary<ModelOptions> = fc
  .record({
    failureThreshold: fc.integer({ min: 1, max: 5 }),
    successThreshold: fc.integer({ min: 1, max: 3 }),
    halfOpenMaxCalls: fc.integer({ min: 1, max: 3 }),
    resetTimeout: fc.integer({ min: 100, max: 5_000 }),
    backoffMultiplier: fc.integer({ min: 1, max: 3 }),
    /** maxResetTimeout = resetTimeout × (1 + share / 100): up to ×10, and it shrinks to resetTimeout. */
    ceilingShare: fc.integer({ min: 0, max: 900 }),
    maxRecoveryAttempts: fc.integer({ min: 1, max: 4 }),
    minHealthyPeriod: fc.integer({ min: 0, max: 10_000 }),
    monitoringWindow: fc.option(fc.integer({ min: 1_000, max: 20_000 }), { nil: undefined }),
  })
  .map(({ ceilingShare, monitoringWindow, ...rest }) => ({
    ...rest,
    maxResetTimeout: Math.round(rest.resetTimeout * (1 + ceilingShare / 100)),
    ...(monitoringWindow === undefined ? {} : { monitoringWindow }),
  }));

/** The failure-rate rule over a small count window, with a count rule that rarely fires first. */
const rateOptions: fc.Arbitrary<ModelOptions> = fc
  .record({
    base: options,
    failureThreshold: fc.integer({ min: 3, max: 12 }),
    failureRateThreshold: fc.constantFrom(0.2, 0.25, 1 / 3, 0.5, 0.6, 2 / 3, 0.75, 1),
    size: fc.integer({ min: 1, max: 8 }),
    minimumShare: fc.integer({ min: 0, max: 100 }),
  })
  .map(({ base, failureThreshold, failureRateThreshold, size, minimumShare }) => {
    const { monitoringWindow: _unused, ...withoutWindow } = base;
    return {
      ...withoutWindow,
      failureThreshold,
      failureRateThreshold,
      slidingWindow: { type: 'count' as const, size },
      minimumCalls: 1 + Math.floor(((size - 1) * minimumShare) / 100),
    };
  });

function agreesWithModel(arbitrary: fc.Arbitrary<ModelOptions>) {
  return fc.asyncProperty(arbitrary, commands, (drawn, sequence) =>
    fc.asyncModelRun(() => setup(drawn), sequence),
  );
}

describe('CircuitBreaker against the reference model', () => {
  it('agrees on state, counters and transitions for any options and calls', async () => {
    await fc.assert(agreesWithModel(options), { numRuns: 500 });
  });

  it('agrees when the failure-rate rule over a count window is on', async () => {
    await fc.assert(agreesWithModel(rateOptions), { numRuns: 100 });
  });
});
