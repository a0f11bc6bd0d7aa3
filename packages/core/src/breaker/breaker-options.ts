import type { Clock } from '../clock/clock';
import type { AdaptiveOptions, ResolvedAdaptiveOptions } from './adaptive-options';
import type { TrialPermits } from './trial-permits';

/** Which recent calls the rate rules look at. */
export interface SlidingWindowOptions {
  /** `count`: the last `size` calls. `time`: the calls of the last `size` milliseconds. */
  readonly type: 'count' | 'time';
  /** Calls (count) or milliseconds (time). */
  readonly size: number;
}

/** Any class of error, for {@link CircuitBreakerOptions.ignoredErrors}. */
export type ErrorClass = abstract new (...args: never[]) => unknown;

/**
 * Options of a breaker. Every duration is in milliseconds; every rate is a
 * fraction in 0..1. `docs/configuration.md` gives each one's default, unit
 * and the seed that asked for it.
 */
export interface CircuitBreakerOptions {
  /** Failures that open the circuit: consecutive, or inside `monitoringWindow` when set. Default 5. */
  readonly failureThreshold?: number;
  /** When set (ms), `failureThreshold` counts every failure in this window instead of consecutive ones. */
  readonly monitoringWindow?: number;
  /** Open period before the first trial call (ms). Default 30 000. */
  readonly resetTimeout?: number;
  /** Successful trial calls that close a half-open circuit. Default 2. */
  readonly successThreshold?: number;
  /** Trial calls allowed at once in half-open; the rest are rejected. Default 1. */
  readonly halfOpenMaxCalls?: number;
  /** Each failed recovery multiplies the open period by this. Default 2 (1 = no backoff). */
  readonly backoffMultiplier?: number;
  /** Cap of the backed-off open period (ms). Default 300 000, or `resetTimeout` if that is longer. */
  readonly maxResetTimeout?: number;
  /**
   * A half-open trial not settled within this (ms) counts as a failed trial:
   * the circuit reopens with backoff, and the trial's late outcome is
   * ignored. Default 60 000, and never below `timeout`.
   */
  readonly trialTimeout?: number;
  /** Failed recoveries in a row after which `recoveryExhausted` fires (probing goes on). Default 3. */
  readonly maxRecoveryAttempts?: number;
  /** Time closed (ms) after which recovery attempts and backoff start again from zero. Default 120 000. */
  readonly minHealthyPeriod?: number;
  /** The window the rate rules and the status' rates look at. Default `{ type: 'count', size: 100 }`. */
  readonly slidingWindow?: SlidingWindowOptions;
  /** Calls the window must hold before a rate rule is evaluated. Default 10. */
  readonly minimumCalls?: number;
  /** Open when the window's failure rate reaches this fraction. Default: rule off. */
  readonly failureRateThreshold?: number;
  /** Open when the window's slow-call rate reaches this fraction. Default: rule off. */
  readonly slowCallRateThreshold?: number;
  /**
   * Adaptive threshold: learn the normal failure rate and open when the window
   * rises clearly above it (replaces the `failureThreshold` count rule).
   * Default: off. See {@link AdaptiveOptions}.
   */
  readonly adaptive?: AdaptiveOptions;
  /** A call slower than this (ms) is slow. Default 5 000. */
  readonly slowCallDuration?: number;
  /** Default per-call timeout (ms); `execute(fn, { timeout })` overrides it. Default: none. */
  readonly timeout?: number;
  /** Decides whether an error counts as a failure. Default: every error does. */
  readonly isFailure?: (error: unknown) => boolean;
  /** Errors of these classes count as neither success nor failure and are rethrown. */
  readonly ignoredErrors?: readonly ErrorClass[];
  /** Decides whether a resolved value counts as a failure (the value is still returned). */
  readonly isResultFailure?: (result: unknown) => boolean;
  /**
   * Measure the duration of one call in this many (1 = every call). Default 64.
   * Every call is timed anyway when `slowCallRateThreshold` is set.
   */
  readonly latencySampling?: number;
  /** Build `CircuitOpenError`s with a stack trace (costs ~5 µs per rejection). Default false. */
  readonly captureStackTrace?: boolean;
  /** Where time comes from. Default: the system clock. */
  readonly clock?: Clock;
  /**
   * Permits every half-open trial must also take (a shared registry's
   * fleet-wide budget). Default: none, only `halfOpenMaxCalls` applies.
   */
  readonly trialPermits?: TrialPermits;
}

/** Options after defaults and validation: every rule's setting is known. */
export interface ResolvedOptions {
  readonly failureThreshold: number;
  readonly monitoringWindow: number | undefined;
  readonly resetTimeout: number;
  readonly successThreshold: number;
  readonly halfOpenMaxCalls: number;
  readonly backoffMultiplier: number;
  readonly maxResetTimeout: number;
  readonly trialTimeout: number;
  readonly maxRecoveryAttempts: number;
  readonly minHealthyPeriod: number;
  readonly slidingWindow: SlidingWindowOptions;
  readonly minimumCalls: number;
  readonly failureRateThreshold: number | undefined;
  readonly slowCallRateThreshold: number | undefined;
  readonly adaptive: ResolvedAdaptiveOptions | undefined;
  readonly slowCallDuration: number;
  readonly timeout: number | undefined;
  readonly isFailure: ((error: unknown) => boolean) | undefined;
  readonly ignoredErrors: readonly ErrorClass[];
  readonly isResultFailure: ((result: unknown) => boolean) | undefined;
  readonly latencySampling: number;
  readonly captureStackTrace: boolean;
  readonly clock: Clock;
  readonly trialPermits: TrialPermits | undefined;
}

/** Defaults, each from the seed that asked for it (see docs/configuration.md). */
export const defaultOptions = Object.freeze({
  failureThreshold: 5,
  resetTimeout: 30_000,
  successThreshold: 2,
  halfOpenMaxCalls: 1,
  backoffMultiplier: 2,
  maxResetTimeout: 300_000,
  trialTimeout: 60_000,
  maxRecoveryAttempts: 3,
  minHealthyPeriod: 120_000,
  slidingWindow: Object.freeze({ type: 'count', size: 100 } as const),
  minimumCalls: 10,
  slowCallDuration: 5_000,
  latencySampling: 64,
});

/** Options that are plain data: what config files, stores and admins can set. */
export const persistableOptionNames = Object.freeze([
  'failureThreshold',
  'monitoringWindow',
  'resetTimeout',
  'successThreshold',
  'halfOpenMaxCalls',
  'backoffMultiplier',
  'maxResetTimeout',
  'trialTimeout',
  'maxRecoveryAttempts',
  'minHealthyPeriod',
  'slidingWindow',
  'minimumCalls',
  'failureRateThreshold',
  'slowCallRateThreshold',
  'adaptive',
  'slowCallDuration',
  'timeout',
  'latencySampling',
  'captureStackTrace',
] as const satisfies readonly (keyof CircuitBreakerOptions)[]);

/** Every option name a breaker accepts. */
export const breakerOptionNames: readonly (keyof CircuitBreakerOptions)[] = Object.freeze([
  ...persistableOptionNames,
  'isFailure',
  'ignoredErrors',
  'isResultFailure',
  'clock',
  'trialPermits',
]);
