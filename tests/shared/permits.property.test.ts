import { Registry } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { RedisStore } from '@breakwater/redis';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import {
  deleteKeysWithPrefix,
  describeWithRedis,
  redisUrl,
  uniqueKeyPrefix,
} from '../support/redis';

/**
 * Property: however trial attempts, trial ends, flushes, trips and elapsed
 * open periods interleave across the instances of a fleet, no more than
 * `halfOpenMaxCalls` half-open trials run at once fleet-wide.
 *
 * The instances are in-process registries, each with its own RedisStore (two
 * connections of its own) on the test Redis, sharing one FakeClock so that
 * open periods end on command; the multi-process tests are in
 * shared-fleet.test.ts. Leases are far longer than any run, as trials must
 * be: a lease that lapses under a running trial frees its permit by design.
 */

const service = 'market-data';
const resetTimeout = 1_000;

type Step =
  | { readonly kind: 'attempt'; readonly at: number }
  | { readonly kind: 'flush'; readonly at: number }
  | { readonly kind: 'finish'; readonly pick: number; readonly outcome: 'success' | 'failure' }
  /** A call that fails at once: trips a closed breaker, fails a trial it is admitted as. */
  | { readonly kind: 'trip'; readonly at: number }
  /** Every open period ends. */
  | { readonly kind: 'elapse' };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('attempt' as const), at: fc.nat(3) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('flush' as const), at: fc.nat(3) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('finish' as const),
      pick: fc.nat(),
      outcome: fc.constantFrom('success' as const, 'failure' as const),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('trip' as const), at: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'elapse' as const }) },
);

const scenario = fc.record({
  halfOpenMaxCalls: fc.integer({ min: 1, max: 3 }),
  successThreshold: fc.integer({ min: 1, max: 3 }),
  instances: fc.integer({ min: 2, max: 4 }),
  steps: fc.array(step, { minLength: 10, maxLength: 60 }),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

/** Always run first: every instance asks for a permit, then tries again, so one is left out. */
const saturating: Scenario = {
  halfOpenMaxCalls: 2,
  successThreshold: 3,
  instances: 3,
  steps: [0, 1, 2, 0, 1, 2]
    .map((at, i) => ({ kind: i < 3 ? 'attempt' : 'flush', at }) as Step)
    .concat([0, 1, 2].map((at) => ({ kind: 'attempt', at }))),
};

/** A call whose function is still pending. */
interface Running {
  settle(outcome: 'success' | 'failure'): void;
}

/** Trials running at once across the fleet, and the most seen. */
interface Trials {
  running: number;
  peak: number;
}

describeWithRedis('fleet-wide half-open trial permits', () => {
  it('never run more than halfOpenMaxCalls trials at once across the fleet', {
    timeout: 60_000,
  }, async () => {
    const peaks: number[] = [];
    await fc.assert(
      fc.asyncProperty(scenario, async (given) => {
        const peak = await runScenario(given);
        peaks.push(peak);
        expect(peak).toBeLessThanOrEqual(given.halfOpenMaxCalls);
      }),
      { numRuns: 25, examples: [[saturating]] },
    );
    // Not vacuous: the saturating example ran as many trials at once as it may.
    expect(peaks[0]).toBe(saturating.halfOpenMaxCalls);
    console.info(`most trials at once, per run: ${peaks.join(' ')}`);
  });
});

/** Runs one interleaving on a fresh fleet; resolves with the most trials that ran at once. */
async function runScenario(given: Scenario): Promise<number> {
  const clock = new FakeClock(Date.now());
  const keyPrefix = uniqueKeyPrefix('permits-property');
  const registries: Registry[] = [];
  const running: Running[] = [];
  const trials: Trials = { running: 0, peak: 0 };
  try {
    for (let i = 0; i < given.instances; i++) {
      const store = await RedisStore.connect({
        url: redisUrl,
        keyPrefix,
        flushInterval: 60_000,
        permitLease: 3_600_000,
      });
      const options = {
        failureThreshold: 1,
        resetTimeout,
        maxResetTimeout: resetTimeout,
        successThreshold: given.successThreshold,
        halfOpenMaxCalls: given.halfOpenMaxCalls,
      };
      registries.push(
        await Registry.open({ store, shared: true, services: { [service]: options }, clock }),
      );
    }
    const instance = (at: number) => registries[at % registries.length] as Registry;
    await tripEverywhere(registries, trials);
    clock.advance(resetTimeout);
    for (const next of given.steps) {
      switch (next.kind) {
        case 'attempt': {
          const call = start(instance(next.at), trials);
          if (call !== undefined) running.push(call);
          break;
        }
        case 'flush':
          await instance(next.at).flush();
          break;
        case 'finish': {
          const [call] = running.splice(next.pick % Math.max(1, running.length), 1);
          call?.settle(next.outcome);
          break;
        }
        case 'trip':
          start(instance(next.at), trials)?.settle('failure');
          break;
        case 'elapse':
          clock.advance(resetTimeout);
          break;
      }
      // Lets replies and fleet messages that have arrived be taken up between steps.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return trials.peak;
  } finally {
    for (const call of running.splice(0)) call.settle('success');
    await Promise.all(registries.map((registry) => registry.close()));
    await deleteKeysWithPrefix(keyPrefix);
  }
}

/**
 * Starts one call on `registry`'s breaker that stays pending until settled;
 * counts it among the fleet's trials when it was admitted in half-open.
 * Returns it, or undefined when it was rejected.
 */
function start(registry: Registry, trials: Trials): Running | undefined {
  const breaker = registry.breaker(service);
  let call: Running | undefined;
  breaker
    .execute(
      () =>
        new Promise((resolve, reject) => {
          const trial = breaker.state === 'half-open';
          if (trial) trials.peak = Math.max(trials.peak, ++trials.running);
          call = {
            settle: (outcome) => {
              if (trial) trials.running--;
              if (outcome === 'success') resolve('ok');
              else reject(new Error('down'));
            },
          };
        }),
    )
    .catch(() => undefined);
  return call;
}

/** Opens the shared breaker through the first instance; resolves once every instance has it open. */
async function tripEverywhere(registries: readonly Registry[], trials: Trials): Promise<void> {
  const [first, ...others] = registries;
  if (first === undefined) return;
  const seen = others.map(
    (registry) =>
      new Promise<void>((resolve) => {
        const stop = registry.on('stateChange', (event) => {
          if (event.to !== 'open') return;
          stop();
          resolve();
        });
      }),
  );
  start(first, trials)?.settle('failure');
  await Promise.all(seen);
}
