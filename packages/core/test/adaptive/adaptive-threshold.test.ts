import {
  CircuitBreaker,
  type CircuitBreakerOptions,
  checkPersistableOptions,
  defaultAdaptiveOptions,
  type StateChangeEvent,
} from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { describe, expect, it } from 'vitest';
import { adaptiveTripRate } from '../../src/breaker/adaptive-threshold';
import { expectConfigError } from '../support/config-errors';
import { mulberry32 } from '../support/seeded-random';

const failure = new Error('dependency failed');
const succeed = (): Promise<string> => Promise.resolve('ok');
const fail = (): Promise<never> => Promise.reject(failure);

/** Call `index` fails when this returns true. */
type Pattern = (index: number) => boolean;
/** One call in `n` fails (the last of every n), so every 100-call window holds exactly 100 / n failures. */
const oneIn =
  (n: number): Pattern =>
  (index) =>
    index % n === n - 1;
const always: Pattern = () => true;
const never: Pattern = () => false;

interface Harness {
  readonly breaker: CircuitBreaker;
  readonly clock: FakeClock;
  readonly trips: StateChangeEvent[];
  /** Makes `calls` calls, 10 ms apart. */
  run(calls: number, pattern: Pattern): Promise<void>;
  /** Failing calls, one at a time, until the circuit opens (at most `limit`): how many it took. */
  failUntilOpen(limit?: number): Promise<number>;
}

function harness(options: CircuitBreakerOptions): Harness {
  const clock = new FakeClock();
  const breaker = new CircuitBreaker('svc', { ...options, clock });
  const trips: StateChangeEvent[] = [];
  breaker.on('stateChange', (event) => {
    if (event.to === 'open') trips.push(event);
  });
  const call = async (fails: boolean): Promise<void> => {
    clock.advance(10);
    await breaker.execute(fails ? fail : succeed).catch(() => {});
  };
  return {
    breaker,
    clock,
    trips,
    async run(calls, pattern) {
      for (let index = 0; index < calls; index++) await call(pattern(index));
    },
    async failUntilOpen(limit = 1_000) {
      let calls = 0;
      while (breaker.state === 'closed' && calls < limit) {
        calls++;
        await call(true);
      }
      return calls;
    },
  };
}

/**
 * Failing calls needed to open a full 100-call window that held `held`
 * failures (none of them among the oldest calls evicted meanwhile), at trip
 * rate `rate`: the smallest x with (held + x) / 100 >= rate.
 */
function failuresToReach(rate: number, held: number, size = 100): number {
  let extra = 0;
  while ((held + extra) / size < rate) extra++;
  return extra;
}

const learned = (mean: number) => ({ mean, variance: 0, windows: 10 });

describe('adaptive threshold: the decision (pure)', () => {
  it('is maxFailureRate until warmupWindows windows are learned', () => {
    const warming = { mean: 0.01, variance: 0, windows: 9 };
    expect(adaptiveTripRate(defaultAdaptiveOptions, warming, 100)).toBe(0.5);
  });

  it('is mean + deviations × spread + the small-count margin once learned', () => {
    const spread = Math.sqrt((0.02 * 0.98) / 100);
    expect(adaptiveTripRate(defaultAdaptiveOptions, learned(0.02), 100)).toBeCloseTo(
      0.02 + 5 * spread + 24 / 600,
      12,
    );
    // A learned spread wider than chance alone is used as is.
    const noisy = { mean: 0.05, variance: 0.03 ** 2, windows: 50 };
    expect(adaptiveTripRate(defaultAdaptiveOptions, noisy, 100)).toBeCloseTo(
      0.05 + 5 * 0.03 + 24 / 600,
      12,
    );
  });

  it('always lies between minFailureRate and maxFailureRate, whatever was learned', () => {
    const random = mulberry32(42);
    for (let draw = 0; draw < 2_000; draw++) {
      const maxFailureRate = 0.05 + 0.95 * random();
      const settings = {
        ...defaultAdaptiveOptions,
        maxFailureRate,
        minFailureRate: maxFailureRate * random(),
        deviations: 1 + 9 * random(),
      };
      const baseline = { mean: random(), variance: random() * 0.25, windows: 10 };
      const rate = adaptiveTripRate(settings, baseline, 1 + Math.floor(random() * 1_000));
      expect(rate).toBeLessThanOrEqual(settings.maxFailureRate);
      expect(rate).toBeGreaterThanOrEqual(settings.minFailureRate);
    }
  });
});

describe('adaptive threshold on a breaker', () => {
  it('opens only at maxFailureRate while it warms up', async () => {
    const { breaker, run, failUntilOpen, trips } = harness({ adaptive: {} });
    await run(300, (index) => index % 5 >= 3); // 40% failures, in pairs
    expect(breaker.state).toBe('closed');
    // The window holds 40 failures in 100 calls; each failing call adds one and evicts a 40% mix.
    expect(await failUntilOpen()).toBeGreaterThan(10);
    expect(trips).toMatchObject([{ from: 'closed', to: 'open', reason: 'adaptive-failure-rate' }]);
    expect(breaker.status().failureRate).toBeGreaterThanOrEqual(0.5);
  });

  it('learns a quiet baseline and opens as soon as the window rises clearly above it', async () => {
    const { breaker, run, failUntilOpen, trips } = harness({ adaptive: {} });
    await run(1_000, oneIn(50)); // ten windows of exactly 2%
    expect(breaker.state).toBe('closed');
    const rate = adaptiveTripRate(defaultAdaptiveOptions, learned(0.02), 100);
    expect(await failUntilOpen()).toBe(failuresToReach(rate, 2));
    expect(trips).toMatchObject([{ reason: 'adaptive-failure-rate' }]);
    expect(breaker.status().failureRate).toBeLessThan(0.5);
  });

  it('learns what is normal: a 30% window opens a 2% dependency but not a 20% one', async () => {
    const quiet = harness({ adaptive: {} });
    const noisy = harness({ adaptive: {} });
    await quiet.run(1_000, oneIn(50));
    await noisy.run(1_000, oneIn(5));
    const thirtyPercent: Pattern = (index) => index % 10 < 3;
    await quiet.run(200, thirtyPercent);
    await noisy.run(200, thirtyPercent);
    expect(quiet.trips).toMatchObject([{ reason: 'adaptive-failure-rate' }]);
    expect(noisy.breaker.state).toBe('closed');
  });

  it('never opens below minFailureRate, even on a dependency that never failed', async () => {
    const { breaker, run, failUntilOpen } = harness({ adaptive: {} });
    await run(1_000, never);
    // Nine failures in a row would open a breaker with failureThreshold 5; here 9% < 10%.
    await run(9, always);
    expect(breaker.state).toBe('closed');
    expect(await failUntilOpen()).toBe(1);
    expect(breaker.status().failureRate).toBe(0.1);

    const higherFloor = harness({ adaptive: { minFailureRate: 0.2 } });
    await higherFloor.run(1_000, never);
    expect(await higherFloor.failUntilOpen()).toBe(20);
  });

  it('always opens at maxFailureRate, however noisy the learned baseline', async () => {
    const { breaker, run, trips } = harness({ adaptive: { maxFailureRate: 0.3 } });
    await run(1_000, oneIn(5)); // learned 20%: the learned threshold would be 0.44
    expect(adaptiveTripRate(defaultAdaptiveOptions, learned(0.2), 100)).toBeGreaterThan(0.4);
    let previousRate = breaker.status().failureRate;
    while (breaker.state === 'closed') {
      previousRate = breaker.status().failureRate;
      await run(1, always);
    }
    expect(trips).toMatchObject([{ reason: 'adaptive-failure-rate' }]);
    expect(previousRate).toBeLessThan(0.3);
    expect(breaker.status().failureRate).toBeGreaterThanOrEqual(0.3);
  });

  it('learns nothing while open, half-open or disabled', async () => {
    // The first window learned after closing must be the first 100 calls made
    // closed: its failures come last, so a window cut short would learn 0%.
    const failsLast: Pattern = (index) => index >= 95;
    const twin = harness({ adaptive: {} });
    await twin.run(1_000, oneIn(50));
    await twin.run(100, failsLast);
    const expected = await twin.failUntilOpen();

    const { breaker, clock, run, failUntilOpen } = harness({ adaptive: {} });
    await run(1_000, oneIn(50));
    await failUntilOpen(); // an outage opens it…
    clock.advance(30_000);
    await run(1, always); // …a trial fails…
    clock.advance(60_000);
    await run(2, never); // …two succeed, and it closes
    expect(breaker.state).toBe('closed');
    breaker.disable();
    await run(3_000, (index) => index % 5 < 3); // 60% failures while disabled
    breaker.release();
    await run(100, failsLast);
    expect(await failUntilOpen()).toBe(expected);
  });

  it('decides in place of failureThreshold, while the other rate rules still apply', async () => {
    const counted = harness({ adaptive: {}, failureThreshold: 3 });
    await counted.run(20, always);
    expect(counted.trips).toMatchObject([{ reason: 'adaptive-failure-rate' }]);
    expect(counted.trips).toHaveLength(1);

    const withRate = harness({ adaptive: {}, failureRateThreshold: 0.2 });
    await withRate.run(10, oneIn(5));
    expect(withRate.trips).toMatchObject([{ reason: 'failure-rate' }]);
  });

  it('learns from a time window, one sample per window length', async () => {
    const { breaker, run, failUntilOpen, trips } = harness({
      adaptive: {},
      slidingWindow: { type: 'time', size: 1_000 },
    });
    await run(2_000, oneIn(50)); // 20 s at 100 calls/s: 20 windows of about 2%
    expect(breaker.state).toBe('closed');
    expect(await failUntilOpen()).toBeLessThan(20);
    expect(trips).toMatchObject([{ reason: 'adaptive-failure-rate' }]);
  });
});

describe('adaptive threshold and reconfigure', () => {
  it('keeps the learned baseline when its settings change', async () => {
    const { breaker, run, failUntilOpen } = harness({ adaptive: {} });
    await run(1_000, oneIn(50));
    breaker.reconfigure({ adaptive: { deviations: 6 } });
    const settings = { ...defaultAdaptiveOptions, deviations: 6 };
    const rate = adaptiveTripRate(settings, learned(0.02), 100);
    expect(await failUntilOpen()).toBe(failuresToReach(rate, 2));
  });

  it('keeps the baseline across a new sliding window, which starts empty', async () => {
    const { breaker, run, failUntilOpen } = harness({ adaptive: {} });
    await run(1_000, oneIn(50));
    breaker.reconfigure({ slidingWindow: { type: 'count', size: 50 } });
    expect(breaker.status().windowCalls).toBe(0);
    await run(50, oneIn(50)); // one full window of the new size: 1 failure in 50
    const rate = adaptiveTripRate(defaultAdaptiveOptions, { ...learned(0.02), windows: 11 }, 50);
    expect(await failUntilOpen()).toBe(failuresToReach(rate, 1, 50));
  });

  it('hands back to failureThreshold when removed, and warms up again when set anew', async () => {
    const { breaker, run, trips } = harness({ adaptive: {} });
    await run(1_000, never);
    breaker.reconfigure({ adaptive: undefined });
    expect(breaker.options.adaptive).toBeUndefined();
    await run(5, always);
    expect(trips).toMatchObject([{ reason: 'consecutive-failures' }]);

    breaker.reset();
    breaker.reconfigure({ adaptive: {} });
    await run(100, never);
    await run(49, always); // warming up again: 49% < maxFailureRate
    expect(breaker.state).toBe('closed');
  });
});

describe('adaptive options', () => {
  const bad: Array<[string, unknown]> = [
    ['adaptive', 5],
    ['adaptive', null],
    ['adaptive', [0.5]],
    ['adaptive.maxFailureRate', { maxFailureRate: 0 }],
    ['adaptive.maxFailureRate', { maxFailureRate: 50 }],
    ['adaptive.minFailureRate', { minFailureRate: 0.6 }],
    ['adaptive.minFailureRate', { maxFailureRate: 0.2, minFailureRate: 0.3 }],
    ['adaptive.deviations', { deviations: 0.5 }],
    ['adaptive.deviations', { deviations: 'five' }],
    ['adaptive.halfLife', { halfLife: 0 }],
    ['adaptive.halfLife', { halfLife: Number.POSITIVE_INFINITY }],
    ['adaptive.warmupWindows', { warmupWindows: 0 }],
    ['adaptive.warmupWindows', { warmupWindows: 2.5 }],
    ['adaptive.deviation', { deviation: 3 }],
  ];

  it.each(bad)('rejects a bad %s, naming the option path and the value', (option, adaptive) => {
    const build = () => new CircuitBreaker('svc', { adaptive } as unknown as CircuitBreakerOptions);
    const value =
      typeof adaptive === 'object' && adaptive !== null && !Array.isArray(adaptive)
        ? Object.values(adaptive).at(-1)
        : adaptive;
    expectConfigError(build, option, value);
  });

  it('applies the documented defaults and freezes them', () => {
    const { adaptive } = new CircuitBreaker('svc', { adaptive: {} }).options;
    expect(adaptive).toEqual({
      maxFailureRate: 0.5,
      minFailureRate: 0.1,
      deviations: 5,
      halfLife: 600_000,
      warmupWindows: 10,
    });
    expect(Object.isFrozen(adaptive)).toBe(true);
    expect(new CircuitBreaker('svc').options.adaptive).toBeUndefined();
    // A ceiling below the default floor brings the floor down with it.
    const low = new CircuitBreaker('svc', { adaptive: { maxFailureRate: 0.05 } }).options;
    expect(low.adaptive?.minFailureRate).toBe(0.05);
  });

  it('is plain data a registry can store and change', () => {
    expect(checkPersistableOptions({ adaptive: { deviations: 4 } })).toEqual({
      adaptive: { deviations: 4 },
    });
    expectConfigError(
      () => checkPersistableOptions({ adaptive: { halfLife: -1 } }, 'services.api'),
      'services.api.adaptive.halfLife',
      -1,
    );
  });
});
