import { CircuitBreaker, type CircuitBreakerOptions } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { mulberry32 } from './seeded-random';

/**
 * A dependency whose calls fail at random around a mean rate, noisily: the
 * background rate moves every `swingEvery` ms, and now and then a short
 * burst of failures comes (a connection reset, a GC pause), the way real
 * error rates cluster.
 */
export interface DependencyModel {
  readonly label: string;
  /** Mean failure rate over a long run (fraction). */
  readonly rate: number;
  /** The background rate is multiplied by a factor drawn in [1 − swing, 1 + swing]… */
  readonly swing: number;
  /** …drawn afresh every this many ms. */
  readonly swingEvery: number;
  /** Chance that a call starts a burst. */
  readonly burstChance: number;
  /** Mean length of a burst, calls: each lasts 1 to 2 × burstLength − 1 calls, uniformly. */
  readonly burstLength: number;
  /** Chance that a call inside a burst fails. */
  readonly burstRate: number;
}

/** 5% on average: ±50% every 10 s, and once in ~500 calls a burst of 1–9 calls failing at 50%. */
export const noisyFivePercent: DependencyModel = Object.freeze({
  label: 'noisy 5%',
  rate: 0.05,
  swing: 0.5,
  swingEvery: 10_000,
  burstChance: 1 / 500,
  burstLength: 5,
  burstRate: 0.5,
});

/** 0.1% on average: ±50% every 10 s, and once in ~20 000 calls a burst of 1–9 calls failing at 50%. */
export const quietTenthPercent: DependencyModel = Object.freeze({
  label: '0.1%',
  rate: 0.001,
  swing: 0.5,
  swingEvery: 10_000,
  burstChance: 1 / 20_000,
  burstLength: 5,
  burstRate: 0.5,
});

/** Draws the outcome of each call of a {@link DependencyModel}. */
export class SimulatedDependency {
  readonly #model: DependencyModel;
  readonly #random: () => number;
  /** Background failure chance before the swing, so that the long-run mean is `rate`. */
  readonly #background: number;
  #level = 1;
  #levelPeriod = -1;
  /** Calls left in the current burst. */
  #burstLeft = 0;

  constructor(model: DependencyModel, seed: number) {
    this.#model = model;
    this.#random = mulberry32(seed);
    const burstShare =
      (model.burstChance * model.burstLength) / (1 + model.burstChance * model.burstLength);
    this.#background = (model.rate - burstShare * model.burstRate) / (1 - burstShare);
  }

  /** Whether the call made at monotonic time `now` (ms) fails. */
  fails(now: number): boolean {
    const model = this.#model;
    const random = this.#random;
    const period = Math.floor(now / model.swingEvery);
    if (period !== this.#levelPeriod) {
      this.#levelPeriod = period;
      this.#level = 1 - model.swing + 2 * model.swing * random();
    }
    if (this.#burstLeft === 0 && random() < model.burstChance) {
      this.#burstLeft = 1 + Math.floor(random() * (2 * model.burstLength - 1));
    }
    if (this.#burstLeft > 0) {
      this.#burstLeft--;
      return random() < model.burstRate;
    }
    return random() < this.#background * this.#level;
  }
}

export interface SimulationPlan {
  readonly seed: number;
  /** Calls per simulated second, one every 1000 / callsPerSecond ms. */
  readonly callsPerSecond: number;
  /** Simulated hours of normal traffic over which false trips are counted. */
  readonly hours: number;
  /** Outages simulated, each after the breaker has been closed a while. */
  readonly outages: number;
  /** Failure rate during an outage (fraction). */
  readonly outageRate: number;
}

/**
 * The plan of the tests and the benchmark's section: 100 calls/s, two
 * simulated hours of normal traffic, then 100 outages at 50% errors.
 */
export const adaptiveSimulationPlan: SimulationPlan = Object.freeze({
  seed: 1,
  callsPerSecond: 100,
  hours: 2,
  outages: 100,
  outageRate: 0.5,
});

export interface SimulationResult {
  /** Closed → open transitions per simulated hour of normal traffic (NaN when `hours` is 0). */
  readonly falseTripsPerHour: number;
  /** Calls that reached the dependency from the start of each outage until the circuit opened. */
  readonly callsToTrip: readonly number[];
  readonly meanCallsToTrip: number;
  readonly medianCallsToTrip: number;
}

/** Longest outage simulated: a breaker still closed after it never trips. */
const maxOutageCalls = 20_000;
/** Normal traffic, closed throughout, before each outage. */
const settleMs = 10_000;

const failure = new Error('dependency failed');
const succeed = (): Promise<string> => Promise.resolve('ok');
const fail = (): Promise<never> => Promise.reject(failure);
const ignore = (): void => {};

/**
 * Drives one breaker (on a FakeClock) through `plan.hours` of normal
 * traffic from `model`, counting its trips, then through `plan.outages`
 * outages at `outageRate`, counting the calls until it opens. Each outage
 * draws from its own seeded stream, so two breakers simulated with the
 * same plan face exactly the same outages.
 */
export async function simulate(
  model: DependencyModel,
  options: CircuitBreakerOptions,
  plan: SimulationPlan,
): Promise<SimulationResult> {
  const clock = new FakeClock();
  const breaker = new CircuitBreaker('simulated', { ...options, clock });
  const dependency = new SimulatedDependency(model, plan.seed);
  const interval = 1000 / plan.callsPerSecond;
  let trips = 0;
  breaker.on('stateChange', (event) => {
    if (event.from === 'closed' && event.to === 'open') trips++;
  });
  const call = async (fails: boolean): Promise<void> => {
    clock.advance(interval);
    await breaker.execute(fails ? fail : succeed).catch(ignore);
  };

  const normalCalls = Math.round(plan.hours * 3_600 * plan.callsPerSecond);
  for (let index = 0; index < normalCalls; index++) await call(dependency.fails(clock.monotonic()));
  const falseTripsPerHour = trips / plan.hours;

  const callsToTrip: number[] = [];
  for (let outage = 0; outage < plan.outages; outage++) {
    // Each outage starts from a closed breaker without backoff (what was
    // learned stays), after settleMs of normal traffic without a trip.
    do {
      breaker.reset();
      const settleUntil = clock.monotonic() + settleMs;
      while (clock.monotonic() < settleUntil) await call(dependency.fails(clock.monotonic()));
    } while (breaker.state !== 'closed');
    const random = mulberry32(plan.seed * 7_919 + outage + 1);
    let calls = 0;
    while (breaker.state === 'closed' && calls < maxOutageCalls) {
      calls++;
      await call(random() < plan.outageRate);
    }
    callsToTrip.push(breaker.state === 'closed' ? Number.POSITIVE_INFINITY : calls);
  }
  return {
    falseTripsPerHour,
    callsToTrip,
    meanCallsToTrip: mean(callsToTrip),
    medianCallsToTrip: median(callsToTrip),
  };
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}
