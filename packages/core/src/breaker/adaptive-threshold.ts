import type { Clock } from '../clock/clock';
import type { OutcomeWindow } from '../window/outcome-window';
import type { ResolvedAdaptiveOptions } from './adaptive-options';
import type { ResolvedOptions } from './breaker-options';
import type { TripReason } from './circuit-state';
import { findRateTripReason } from './trip-rules';

/** What the breaker has learned of the dependency's normal failure rate. */
export interface Baseline {
  /** Exponentially weighted mean of the failure rates of full windows (fraction). */
  readonly mean: number;
  /** Exponentially weighted variance of those rates. */
  readonly variance: number;
  /** Full windows learned so far. */
  readonly windows: number;
}

/**
 * The failure rate at or above which a closed window of `calls` calls
 * opens the circuit — a pure function of the settings and the baseline.
 *
 * Until `warmupWindows` windows are learned: `maxFailureRate`. Then
 * mean + k·σ + (k² − 1)/(6·calls), kept within [minFailureRate,
 * maxFailureRate], where k is `deviations` and σ the larger of the learned
 * spread and the binomial spread of `calls` calls at the mean rate. The
 * last term is the skew correction of a small count (Cornish–Fisher for a
 * Poisson count): with few failures expected, chance runs high more often
 * than a bell curve says, and the rule would otherwise trip on them.
 */
export function adaptiveTripRate(
  settings: ResolvedAdaptiveOptions,
  baseline: Baseline,
  calls: number,
): number {
  const { maxFailureRate, minFailureRate, deviations: k } = settings;
  if (baseline.windows < settings.warmupWindows || calls <= 0) return maxFailureRate;
  const { mean } = baseline;
  const spread = Math.sqrt(Math.max(baseline.variance, (mean * (1 - mean)) / calls));
  const learned = mean + k * spread + (k * k - 1) / (6 * calls);
  return Math.min(maxFailureRate, Math.max(minFailureRate, learned));
}

/**
 * A breaker's adaptive threshold: learns the failure rate of each full
 * window while the circuit is closed, and judges the window after every
 * closed-state call. Knows nothing of states: the breaker calls
 * {@link judge} only for calls made while closed, and {@link restart}
 * whenever it empties the window (closing, reset, a new window), so
 * open, half-open and disabled periods teach it nothing.
 */
export class AdaptiveThreshold implements Baseline {
  mean = 0;
  variance = 0;
  windows = 0;
  #settings: ResolvedAdaptiveOptions;
  readonly #clock: Clock;
  /** Calls and start (monotonic ms) of the window being learned. */
  #blockCalls = 0;
  #blockStart: number;
  /** The trip rate for a window of `#rateCalls` calls, kept until either changes. */
  #rateCalls = -1;
  #rate = 1;

  constructor(settings: ResolvedAdaptiveOptions, clock: Clock) {
    this.#settings = settings;
    this.#clock = clock;
    this.#blockStart = clock.monotonic();
  }

  get settings(): ResolvedAdaptiveOptions {
    return this.#settings;
  }

  /**
   * After a closed-state call was recorded in `window` (at monotonic `now`,
   * or -1 when the breaker did not read the clock): the reason to open, if
   * any — this rule first, then the static rate rules. A window that opens
   * the circuit is not learned.
   */
  judge(options: ResolvedOptions, window: OutcomeWindow, now: number): TripReason | undefined {
    const { calls } = window;
    if (calls >= options.minimumCalls) {
      if (calls !== this.#rateCalls) {
        this.#rate = adaptiveTripRate(this.#settings, this, calls);
        this.#rateCalls = calls;
      }
      if (window.failures / calls >= this.#rate) return 'adaptive-failure-rate';
    }
    const reason = findRateTripReason(options, window);
    if (reason === undefined) this.#count(options, window, now);
    return reason;
  }

  /** Starts a new window to learn (the breaker emptied its window); the baseline stays. */
  restart(): void {
    this.#blockCalls = 0;
    this.#blockStart = this.#clock.monotonic();
  }

  /** Takes new settings, keeping what was learned. */
  reconfigure(settings: ResolvedAdaptiveOptions): void {
    this.#settings = settings;
    this.#rateCalls = -1;
  }

  /** Counts one call toward the window being learned; learns it once it is full. */
  #count(options: ResolvedOptions, window: OutcomeWindow, now: number): void {
    const { type, size } = options.slidingWindow;
    if (type === 'count') {
      if (++this.#blockCalls < size) return;
    } else if (now - this.#blockStart < size) return;
    const end = now >= 0 ? now : this.#clock.monotonic();
    // A window thinner than minimumCalls (after an idle gap) says too little to learn from.
    if (window.calls >= options.minimumCalls) {
      this.#learn(window.failures / window.calls, end - this.#blockStart);
    }
    this.#blockCalls = 0;
    this.#blockStart = end;
  }

  /**
   * Exponentially weighted mean and variance (West's update). The weight
   * follows the closed time the window took, so the baseline forgets at
   * the same pace whatever the traffic; the first windows are averaged
   * plainly (weight 1/n), so the first one does not dominate.
   */
  #learn(rate: number, elapsed: number): void {
    this.windows++;
    const decay = 1 - 2 ** (-elapsed / this.#settings.halfLife);
    const weight = Math.max(decay, 1 / this.windows);
    const difference = rate - this.mean;
    const increment = weight * difference;
    this.mean += increment;
    this.variance = (1 - weight) * (this.variance + difference * increment);
    this.#rateCalls = -1;
  }
}

/**
 * The adaptive threshold for `next` options: none when `adaptive` is off,
 * a new one when it has just been set, else `current` with the new
 * settings — what it learned is kept, and it starts a new window to learn
 * when the sliding window was replaced (which empties it).
 */
export function adaptiveThresholdFor(
  current: AdaptiveThreshold | undefined,
  next: ResolvedOptions,
  previous?: ResolvedOptions,
): AdaptiveThreshold | undefined {
  const settings = next.adaptive;
  if (settings === undefined) return undefined;
  if (current === undefined) return new AdaptiveThreshold(settings, next.clock);
  current.reconfigure(settings);
  const before = previous?.slidingWindow;
  if (before?.type !== next.slidingWindow.type || before.size !== next.slidingWindow.size) {
    current.restart();
  }
  return current;
}
