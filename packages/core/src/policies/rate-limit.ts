import type { Operation } from '../breaker/circuit-breaker';
import { type Clock, systemClock } from '../clock/clock';
import { ConfigError } from '../errors/config-error';
import { RateLimitedError } from '../errors/rate-limited-error';
import { clockOption, durationOption, numberOption, optionsObject } from '../options/option-checks';
import { admitCall, invoke, type Policy, type PolicyExecuteOptions } from './policy';

/** Options of {@link rateLimit}. */
export interface RateLimitOptions {
  /** Tokens added per `interval` (> 0; need not be an integer). Required. */
  readonly rate: number;
  /** The period `rate` is counted over (ms, > 0). Default 1 000. */
  readonly interval?: number;
  /** Capacity of the bucket: calls allowed back to back after a quiet spell (>= 1). Default `rate` (at least 1). */
  readonly burst?: number;
  /** Where time comes from (only `monotonic()` is read). Default: the system clock. */
  readonly clock?: Clock;
}

/** {@link RateLimitOptions} with defaults applied. */
export interface ResolvedRateLimitOptions {
  readonly rate: number;
  readonly interval: number;
  readonly burst: number;
  readonly clock: Clock;
}

const knownOptions = ['rate', 'interval', 'burst', 'clock'] as const;

/**
 * Absorbs floating-point drift in the refill sum, so a bucket refilled for
 * exactly one token's worth of time does not read 0.9999999999.
 */
const epsilon = 1e-9;

/**
 * A token bucket: it starts full with `burst` tokens and refills continuously
 * at `rate` tokens per `interval` ms, never above `burst`. Each call takes
 * one token, or is rejected at once, without running, with a
 * {@link RateLimitedError} whose `retryAfter` is the ms until the next token
 * (which `retry` does not retry: it is load shedding).
 *
 * The refill is computed from `clock.monotonic()` when a call arrives, so
 * the limiter owns no timer.
 */
export class RateLimitPolicy implements Policy {
  readonly #options: ResolvedRateLimitOptions;
  /** Tokens per millisecond. */
  readonly #refillRate: number;
  #tokens: number;
  #refilledAt: number;

  constructor(options: RateLimitOptions) {
    this.#options = resolveRateLimitOptions(options);
    this.#refillRate = this.#options.rate / this.#options.interval;
    this.#tokens = this.#options.burst;
    this.#refilledAt = this.#options.clock.monotonic();
  }

  /** The options in force, defaults applied. */
  get options(): ResolvedRateLimitOptions {
    return this.#options;
  }

  /** Tokens in the bucket now (fractional while refilling). */
  get tokens(): number {
    this.#refill();
    return this.#tokens;
  }

  execute<T>(fn: Operation<T>, options?: PolicyExecuteOptions): Promise<T> {
    const signal = admitCall('a rate limiter', fn, options);
    if (signal instanceof Promise) return signal;
    this.#refill();
    if (this.#tokens + epsilon < 1) {
      const retryAfter = (1 - this.#tokens) / this.#refillRate;
      return Promise.reject(new RateLimitedError(retryAfter));
    }
    this.#tokens = Math.max(0, this.#tokens - 1);
    return invoke(fn, signal);
  }

  #refill(): void {
    const now = this.#options.clock.monotonic();
    const elapsed = now - this.#refilledAt;
    if (elapsed <= 0) return;
    this.#refilledAt = now;
    this.#tokens = Math.min(this.#options.burst, this.#tokens + elapsed * this.#refillRate);
  }
}

/**
 * A policy that admits `rate` calls per `interval` ms (default 1 000) with
 * bursts of up to `burst` (default `rate`) and rejects the rest with a
 * {@link RateLimitedError}.
 */
export function rateLimit(options: RateLimitOptions): RateLimitPolicy {
  return new RateLimitPolicy(options);
}

function resolveRateLimitOptions(given: RateLimitOptions): ResolvedRateLimitOptions {
  const options = optionsObject(given, knownOptions);
  if (options.rate === undefined) {
    throw new ConfigError('rate', undefined, 'a finite number > 0 (it has no default)');
  }
  const rate = numberOption(options, 'rate', 0, 0, true);
  return Object.freeze({
    rate,
    interval: durationOption(options, 'interval', 1_000, 0, true),
    burst: numberOption(options, 'burst', Math.max(1, rate), 1),
    clock: clockOption(options, systemClock),
  });
}
