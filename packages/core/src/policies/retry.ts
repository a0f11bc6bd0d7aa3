import { watchAbort } from '../breaker/abort-watch';
import type { Operation } from '../breaker/circuit-breaker';
import { type Clock, systemClock } from '../clock/clock';
import { isBulkheadFullError } from '../errors/bulkhead-full-error';
import { isCircuitOpenError } from '../errors/circuit-open-error';
import { isRateLimitedError } from '../errors/rate-limited-error';
import {
  choiceOption,
  clockOption,
  durationOption,
  functionOption,
  integerOption,
  multiplierOption,
  optionsObject,
} from '../options/option-checks';
import {
  callerSignal,
  checkOperation,
  invokeUntilAborted,
  type Policy,
  type PolicyExecuteOptions,
} from './policy';

/** Options of {@link retry}. Every duration is in milliseconds. */
export interface RetryOptions {
  /** Attempts in total, the first one included (1 = never retry). Integer >= 1. Default 3. */
  readonly maxAttempts?: number;
  /** Backoff before the first retry, before jitter (ms, >= 0). Default 100. */
  readonly initialDelay?: number;
  /** Cap of the backoff, before jitter (ms, >= `initialDelay`). Default 10 000, or `initialDelay` if that is longer. */
  readonly maxDelay?: number;
  /** Each retry multiplies the backoff by this (1 to 100; 1 = constant backoff). Default 2. */
  readonly multiplier?: number;
  /**
   * `'full'`: wait a random time between 0 and the backoff, so clients that
   * failed together do not retry together. `'none'`: wait exactly the backoff.
   * Default `'full'`.
   */
  readonly jitter?: 'full' | 'none';
  /**
   * Decides whether an error is worth another attempt; `attempt` is the
   * 1-based number of the attempt that just failed. Not asked once attempts
   * are exhausted, nor for the errors that are never retried. A predicate
   * that throws counts as `false`. Default: retry every other error.
   */
  readonly shouldRetry?: (error: unknown, attempt: number) => boolean;
  /** Where the backoff timers come from. Default: the system clock. */
  readonly clock?: Clock;
  /** Source of jitter, returning a number in [0, 1). Default `Math.random`. */
  readonly random?: () => number;
}

/** {@link RetryOptions} with defaults applied. */
export interface ResolvedRetryOptions {
  readonly maxAttempts: number;
  readonly initialDelay: number;
  readonly maxDelay: number;
  readonly multiplier: number;
  readonly jitter: 'full' | 'none';
  readonly shouldRetry: ((error: unknown, attempt: number) => boolean) | undefined;
  readonly clock: Clock;
  readonly random: () => number;
}

const knownOptions = [
  'maxAttempts',
  'initialDelay',
  'maxDelay',
  'multiplier',
  'jitter',
  'shouldRetry',
  'clock',
  'random',
] as const;

/**
 * Runs an operation again after it fails, waiting an exponential backoff
 * (`initialDelay × multiplier^(retry − 1)`, capped at `maxDelay`, with full
 * jitter by default) between attempts.
 *
 * Never retried, and rethrown at once:
 * - `CircuitOpenError`: a known outage, not a fresh failure; trying again
 *   only adds load to a dependency the breaker is shielding;
 * - `BulkheadFullError` and `RateLimitedError`: local load shedding; a retry
 *   would add to the very load being shed.
 *
 * The caller's signal is passed to every attempt; aborting it ends the
 * running attempt or the pending backoff at once with `signal.reason`. Once
 * attempts are exhausted, the last error is rethrown unchanged.
 */
export class RetryPolicy implements Policy {
  readonly #options: ResolvedRetryOptions;

  constructor(options?: RetryOptions) {
    this.#options = resolveRetryOptions(options);
  }

  /** The options in force, defaults applied. */
  get options(): ResolvedRetryOptions {
    return this.#options;
  }

  async execute<T>(fn: Operation<T>, options?: PolicyExecuteOptions): Promise<T> {
    checkOperation('a retry policy', fn);
    const signal = callerSignal(options);
    const { maxAttempts, clock } = this.#options;
    for (let attempt = 1; ; attempt++) {
      if (signal.aborted) throw signal.reason;
      try {
        return await invokeUntilAborted(fn, signal);
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        if (attempt >= maxAttempts || !this.#worthRetrying(error, attempt)) throw error;
      }
      const delay = this.#delay(attempt);
      if (delay > 0) await sleep(clock, delay, signal);
    }
  }

  #worthRetrying(error: unknown, attempt: number): boolean {
    if (isCircuitOpenError(error) || isBulkheadFullError(error) || isRateLimitedError(error)) {
      return false;
    }
    const decide = this.#options.shouldRetry;
    if (decide === undefined) return true;
    try {
      return decide(error, attempt) === true;
    } catch {
      return false; // a broken predicate must not hide the operation's own error
    }
  }

  /** Backoff after the failed attempt number `attempt` (so before retry number `attempt`). */
  #delay(attempt: number): number {
    const { initialDelay, maxDelay, multiplier, jitter, random } = this.#options;
    // 0 × Infinity would be NaN once multiplier^n overflows.
    const backoff =
      initialDelay === 0 ? 0 : Math.min(maxDelay, initialDelay * multiplier ** (attempt - 1));
    return jitter === 'full' ? random() * backoff : backoff;
  }
}

/**
 * A policy that retries failed calls with exponential backoff. Defaults: 3
 * attempts, 100 ms initial delay doubling up to 10 s, full jitter. See
 * {@link RetryPolicy} for what is never retried.
 */
export function retry(options?: RetryOptions): RetryPolicy {
  return new RetryPolicy(options);
}

function resolveRetryOptions(given: RetryOptions | undefined): ResolvedRetryOptions {
  const options = optionsObject(given, knownOptions);
  const initialDelay = durationOption(options, 'initialDelay', 100, 0);
  return Object.freeze({
    maxAttempts: integerOption(options, 'maxAttempts', 3, 1),
    initialDelay,
    maxDelay: durationOption(options, 'maxDelay', Math.max(10_000, initialDelay), initialDelay),
    multiplier: multiplierOption(options, 'multiplier', 2, 1),
    jitter: choiceOption(options, 'jitter', 'full', ['full', 'none']),
    shouldRetry: functionOption<ResolvedRetryOptions['shouldRetry']>(options, 'shouldRetry'),
    clock: clockOption(options, systemClock),
    random: functionOption<() => number>(options, 'random') ?? Math.random,
  });
}

/** Waits `ms` on `clock`; an abort clears the timer and rejects with `signal.reason`. */
function sleep(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = clock.setTimeout(() => {
      stopWatching();
      resolve();
    }, ms);
    const stopWatching = watchAbort(signal, () => {
      clock.clearTimeout(timer);
      reject(signal.reason);
    });
  });
}
