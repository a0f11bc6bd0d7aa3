import { stateNames } from '@breakwater/core';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import {
  AbortCall,
  Adopt,
  Advance,
  AdvanceToOpenEnd,
  AdvanceToTrialDeadline,
  FinishCall,
  ImmediateCall,
  type Manual,
  ManualControl,
  PreAbortedCall,
  Reconfigure,
  type RecordSpec,
  RestoreFresh,
  SlowCall,
  StartCall,
} from './model-commands';
import { createReal } from './model-harness';
import type { ModelOptions, ModelWindowSpec } from './model-options';
import { type CallOptions, ModelWorld } from './model-world';

/**
 * Model-based test: random options and random command sequences run against
 * the real `CircuitBreaker` (public API only) and the `ReferenceBreaker`;
 * after every command the two must agree on the state, the status, every
 * `stateChange` and `recoveryExhausted` event, and what every caller got.
 *
 * Runs: `BREAKWATER_MODEL_RUNS` (default 300); `npm run test:deep` runs
 * 10 000. A failure prints its seed and path: pass them back as
 * `fc.assert(…, { seed, path })` to replay it.
 */

const runs = Number(process.env.BREAKWATER_MODEL_RUNS ?? 300);
const maxCommands = 80;

/** Drops the keys an optional arbitrary left undefined, so options read as given. */
function defined<T extends object>(options: T): T {
  return Object.fromEntries(
    Object.entries(options).filter(([, value]) => value !== undefined),
  ) as T;
}

/** `arbitrary` or undefined, the latter one time in `freq`. */
const maybe = <T>(arbitrary: fc.Arbitrary<T>, freq = 2) =>
  fc.option(arbitrary, { nil: undefined, freq });

const windowSpec: fc.Arbitrary<ModelWindowSpec> = fc.oneof(
  fc.record({ type: fc.constant('count' as const), size: fc.integer({ min: 1, max: 8 }) }),
  // Sizes that are not multiples of 20 give fractional bucket widths.
  fc.record({ type: fc.constant('time' as const), size: fc.integer({ min: 20, max: 8_000 }) }),
);

const rate = fc.constantFrom(0.2, 0.25, 1 / 3, 0.5, 0.6, 2 / 3, 0.75, 1);

/** Recovery options every run sets, in ranges a run of 80 commands goes through many times. */
const recovery = {
  successThreshold: fc.integer({ min: 1, max: 3 }),
  halfOpenMaxCalls: fc.integer({ min: 1, max: 3 }),
  resetTimeout: fc.integer({ min: 100, max: 5_000 }),
  backoffMultiplier: fc.integer({ min: 1, max: 3 }),
  /** maxResetTimeout = resetTimeout × (1 + share / 100): up to ×10, and it shrinks to resetTimeout. */
  ceilingShare: fc.integer({ min: 0, max: 900 }),
  maxRecoveryAttempts: fc.integer({ min: 1, max: 4 }),
  minHealthyPeriod: fc.integer({ min: 0, max: 10_000 }),
  timeout: maybe(fc.integer({ min: 50, max: 4_000 })),
  /** trialTimeout = timeout + extra (never below it, as the docs require), or unset. */
  trialExtra: maybe(fc.integer({ min: 0, max: 3_000 }), 4),
  latencySampling: maybe(fc.constantFrom(1, 3)),
};

/**
 * Either profile: the count rule (consecutive or in `monitoringWindow`)
 * with any window, or the rate rules over a small window with a count rule
 * that rarely fires first.
 */
const options: fc.Arbitrary<ModelOptions> = fc
  .record({
    ...recovery,
    rateRules: fc.boolean(),
    failureThreshold: fc.integer({ min: 1, max: 5 }),
    rateFailureThreshold: fc.integer({ min: 3, max: 12 }),
    monitoringWindow: maybe(fc.integer({ min: 1_000, max: 20_000 })),
    slidingWindow: windowSpec,
    /** minimumCalls as a share of a count window (1 + (size − 1) × share / 100); 1..6 for a time window. */
    minimumShare: fc.integer({ min: 0, max: 100 }),
    failureRateThreshold: maybe(rate),
    slowCallRateThreshold: maybe(rate),
    slowCallDuration: fc.integer({ min: 0, max: 3_000 }),
  })
  .map(({ ceilingShare, trialExtra, rateRules, rateFailureThreshold, minimumShare, ...rest }) => {
    const window = rest.slidingWindow;
    const minimumCalls =
      window.type === 'count'
        ? 1 + Math.floor(((window.size - 1) * minimumShare) / 100)
        : 1 + Math.floor((5 * minimumShare) / 100);
    const common = {
      successThreshold: rest.successThreshold,
      halfOpenMaxCalls: rest.halfOpenMaxCalls,
      resetTimeout: rest.resetTimeout,
      backoffMultiplier: rest.backoffMultiplier,
      maxResetTimeout: Math.round(rest.resetTimeout * (1 + ceilingShare / 100)),
      maxRecoveryAttempts: rest.maxRecoveryAttempts,
      minHealthyPeriod: rest.minHealthyPeriod,
      timeout: rest.timeout,
      trialTimeout: trialExtra === undefined ? undefined : (rest.timeout ?? 50) + trialExtra,
      latencySampling: rest.latencySampling,
    };
    if (!rateRules) {
      return defined({
        ...common,
        failureThreshold: rest.failureThreshold,
        monitoringWindow: rest.monitoringWindow,
      });
    }
    return defined({
      ...common,
      failureThreshold: rateFailureThreshold,
      slidingWindow: window,
      minimumCalls,
      failureRateThreshold: rest.failureRateThreshold ?? 0.5,
      slowCallRateThreshold: rest.slowCallRateThreshold,
      slowCallDuration: rest.slowCallDuration,
    });
  });

/**
 * A few options changed at once; `undefined` turns an optional one off. Some
 * merges break a cross-option rule (`minimumCalls` above a count window,
 * `maxResetTimeout` below `resetTimeout`, `trialTimeout` below `timeout`):
 * `reconfigure` must then throw and change nothing.
 */
const changeValues = {
  failureThreshold: fc.integer({ min: 1, max: 8 }),
  successThreshold: fc.integer({ min: 1, max: 3 }),
  halfOpenMaxCalls: fc.integer({ min: 1, max: 3 }),
  resetTimeout: fc.integer({ min: 100, max: 5_000 }),
  backoffMultiplier: fc.integer({ min: 1, max: 3 }),
  maxResetTimeout: fc.integer({ min: 100, max: 30_000 }),
  trialTimeout: maybe(fc.integer({ min: 100, max: 8_000 })),
  maxRecoveryAttempts: fc.integer({ min: 1, max: 4 }),
  minHealthyPeriod: fc.integer({ min: 0, max: 10_000 }),
  monitoringWindow: maybe(fc.integer({ min: 1_000, max: 20_000 })),
  slidingWindow: windowSpec,
  minimumCalls: fc.integer({ min: 1, max: 4 }),
  failureRateThreshold: maybe(rate),
  slowCallRateThreshold: maybe(rate),
  slowCallDuration: fc.integer({ min: 0, max: 3_000 }),
  timeout: maybe(fc.integer({ min: 50, max: 4_000 })),
  latencySampling: fc.constantFrom(1, 3, 64),
};

const changes: fc.Arbitrary<ModelOptions> = fc
  .tuple(
    fc.record(changeValues),
    fc.subarray(Object.keys(changeValues) as (keyof typeof changeValues)[], {
      minLength: 1,
      maxLength: 4,
    }),
  )
  .map(
    ([values, keys]) => Object.fromEntries(keys.map((key) => [key, values[key]])) as ModelOptions,
  );

const callOptions: fc.Arbitrary<CallOptions> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ signal: false }) },
  {
    weight: 2,
    arbitrary: fc
      .record({ timeout: maybe(fc.integer({ min: 1, max: 4_000 })), signal: fc.boolean() })
      .map((drawn) => defined(drawn)),
  },
);

const recordSpec: fc.Arbitrary<RecordSpec> = fc
  .record({
    state: fc.constantFrom(...stateNames),
    sinceAgo: fc.integer({ min: -2_000, max: 30_000 }),
    openIn: fc.integer({ min: -3_000, max: 20_000 }),
    recoveryAttempts: fc.nat(6),
    failedRecoveries: fc.nat(6),
    malformed: fc.oneof(
      { weight: 12, arbitrary: fc.constant(undefined) },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          'record.state' as const,
          'record.failedRecoveries' as const,
          'record.openUntil' as const,
        ),
      },
    ),
  })
  .map((drawn) => defined(drawn));

const commands = fc.commands(
  [
    fc.oneof(
      { weight: 3, arbitrary: callOptions.map((call) => new StartCall(call)) },
      {
        weight: 5,
        arbitrary: fc.tuple(fc.nat(7), fc.boolean()).map(([pick, ok]) => new FinishCall(pick, ok)),
      },
      {
        weight: 5,
        arbitrary: fc
          .tuple(fc.boolean(), callOptions)
          .map(([ok, call]) => new ImmediateCall(ok, call)),
      },
      {
        weight: 2,
        arbitrary: fc
          .tuple(fc.integer({ min: 0, max: 5_000 }), fc.boolean(), callOptions)
          .map(([ms, ok, call]) => new SlowCall(ms, ok, call)),
      },
      { weight: 2, arbitrary: fc.nat(7).map((pick) => new AbortCall(pick)) },
      {
        weight: 4,
        arbitrary: fc
          .tuple(fc.integer({ min: 0, max: 6_000 }), fc.boolean())
          .map(([ms, readStatus]) => new Advance(ms, readStatus)),
      },
      { weight: 2, arbitrary: fc.boolean().map((early) => new AdvanceToOpenEnd(early)) },
      {
        weight: 2,
        arbitrary: fc
          .tuple(fc.boolean(), fc.boolean())
          .map(([early, readStatus]) => new AdvanceToTrialDeadline(early, readStatus)),
      },
      {
        weight: 1,
        arbitrary: fc
          .constantFrom<Manual>('forceOpen', 'disable', 'release', 'reset')
          .map((action) => new ManualControl(action)),
      },
      { weight: 1, arbitrary: changes.map((drawn) => new Reconfigure(drawn)) },
      {
        weight: 1,
        arbitrary: fc.oneof(
          fc.constant(new RestoreFresh()),
          recordSpec.map((spec) => new Adopt(spec)),
          fc.constant(new PreAbortedCall()),
        ),
      },
    ),
  ],
  { maxCommands, size: 'max' },
);

describe('CircuitBreaker against the reference model', () => {
  it(`agrees on state, status, events and every caller's outcome (${runs} runs of up to ${maxCommands} commands)`, async () => {
    await fc.assert(
      fc.asyncProperty(options, commands, (drawn, sequence) =>
        fc.asyncModelRun(
          () => ({ model: new ModelWorld(drawn), real: createReal(drawn) }),
          sequence,
        ),
      ),
      { numRuns: runs },
    );
  }, 600_000);
});
