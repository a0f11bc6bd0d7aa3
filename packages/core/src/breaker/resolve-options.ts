import { systemClock } from '../clock/clock';
import { ConfigError } from '../errors/config-error';
import {
  booleanOption,
  clockOption,
  durationOption,
  fractionOption,
  functionOption,
  integerOption,
  maxDuration,
  multiplierOption,
  optionsObject,
} from '../options/option-checks';
import { resolveAdaptiveOptions } from './adaptive-options';
import {
  breakerOptionNames,
  type CircuitBreakerOptions,
  defaultOptions,
  type ErrorClass,
  type ResolvedOptions,
  type SlidingWindowOptions,
} from './breaker-options';
import { OptionsCache } from './options-cache';
import type { TrialPermits } from './trial-permits';

/** Largest count window: one byte per call. */
const maxCountWindow = 100_000;

let defaultsResolved: ResolvedOptions | undefined;

/**
 * Applies defaults and validates every option once, so the call path never
 * checks them again. Throws a {@link ConfigError} naming the first bad option.
 */
export function resolveOptions(options: CircuitBreakerOptions | undefined): ResolvedOptions {
  if (options === undefined) {
    defaultsResolved ??= resolve({});
    return defaultsResolved;
  }
  return shared.resolve(options, resolve);
}

const shared = new OptionsCache<ResolvedOptions>();

function resolve(given: CircuitBreakerOptions): ResolvedOptions {
  const options = optionsObject(given, breakerOptionNames);
  const resetTimeout = durationOption(options, 'resetTimeout', defaultOptions.resetTimeout, 1);
  const timeout = optionalDuration(options, 'timeout');
  // A trial is never given up before its own call timeout could end it.
  const trialTimeout = durationOption(
    options,
    'trialTimeout',
    Math.max(defaultOptions.trialTimeout, timeout ?? 0),
    timeout ?? 1,
  );
  const slidingWindow = window(options.slidingWindow);
  const minimumCalls = integerOption(options, 'minimumCalls', defaultOptions.minimumCalls, 1);
  if (slidingWindow.type === 'count' && minimumCalls > slidingWindow.size) {
    throw new ConfigError(
      'minimumCalls',
      minimumCalls,
      `at most slidingWindow.size (${slidingWindow.size}), or the rate rules could never be evaluated`,
    );
  }
  return Object.freeze({
    failureThreshold: integerOption(
      options,
      'failureThreshold',
      defaultOptions.failureThreshold,
      1,
    ),
    monitoringWindow: optionalDuration(options, 'monitoringWindow'),
    resetTimeout,
    successThreshold: integerOption(
      options,
      'successThreshold',
      defaultOptions.successThreshold,
      1,
    ),
    halfOpenMaxCalls: integerOption(
      options,
      'halfOpenMaxCalls',
      defaultOptions.halfOpenMaxCalls,
      1,
    ),
    backoffMultiplier: multiplierOption(
      options,
      'backoffMultiplier',
      defaultOptions.backoffMultiplier,
      1,
    ),
    maxResetTimeout: durationOption(
      options,
      'maxResetTimeout',
      Math.max(defaultOptions.maxResetTimeout, resetTimeout),
      resetTimeout,
    ),
    trialTimeout,
    maxRecoveryAttempts: integerOption(
      options,
      'maxRecoveryAttempts',
      defaultOptions.maxRecoveryAttempts,
      1,
    ),
    minHealthyPeriod: durationOption(
      options,
      'minHealthyPeriod',
      defaultOptions.minHealthyPeriod,
      0,
    ),
    slidingWindow,
    minimumCalls,
    failureRateThreshold: fractionOption(options, 'failureRateThreshold'),
    slowCallRateThreshold: fractionOption(options, 'slowCallRateThreshold'),
    adaptive: resolveAdaptiveOptions(options.adaptive),
    slowCallDuration: durationOption(
      options,
      'slowCallDuration',
      defaultOptions.slowCallDuration,
      0,
    ),
    timeout,
    isFailure: functionOption<(error: unknown) => boolean>(options, 'isFailure'),
    ignoredErrors: errorClasses(options.ignoredErrors),
    isResultFailure: functionOption<(result: unknown) => boolean>(options, 'isResultFailure'),
    latencySampling: integerOption(options, 'latencySampling', defaultOptions.latencySampling, 1),
    captureStackTrace: booleanOption(options, 'captureStackTrace', false),
    clock: clockOption(options, systemClock),
    trialPermits: trialPermitsOption(options.trialPermits),
  });
}

function optionalDuration(
  options: Readonly<Record<string, unknown>>,
  key: string,
): number | undefined {
  return options[key] === undefined ? undefined : durationOption(options, key, 0, 1);
}

function window(given: unknown): SlidingWindowOptions {
  if (given === undefined) return defaultOptions.slidingWindow;
  if (typeof given !== 'object' || given === null) {
    throw new ConfigError('slidingWindow', given, "an object { type: 'count' | 'time', size }");
  }
  for (const [key, value] of Object.entries(given)) {
    if (key !== 'type' && key !== 'size')
      throw new ConfigError(`slidingWindow.${key}`, value, 'no such option');
  }
  const { type, size } = given as { type?: unknown; size?: unknown };
  if (type !== 'count' && type !== 'time') {
    throw new ConfigError('slidingWindow.type', type, "'count' or 'time'");
  }
  if (
    type === 'count' &&
    !(Number.isSafeInteger(size) && (size as number) >= 1 && (size as number) <= maxCountWindow)
  ) {
    throw new ConfigError(
      'slidingWindow.size',
      size,
      `a number of calls, an integer from 1 to ${maxCountWindow}`,
    );
  }
  if (
    type === 'time' &&
    !(typeof size === 'number' && Number.isFinite(size) && size >= 20 && size <= maxDuration)
  ) {
    throw new ConfigError(
      'slidingWindow.size',
      size,
      `a duration in milliseconds from 20 to ${maxDuration}`,
    );
  }
  return Object.freeze({ type, size: size as number });
}

function errorClasses(given: unknown): readonly ErrorClass[] {
  if (given === undefined) return [];
  if (!Array.isArray(given))
    throw new ConfigError('ignoredErrors', given, 'an array of error classes');
  given.forEach((entry: unknown, index) => {
    if (typeof entry !== 'function') {
      throw new ConfigError(`ignoredErrors[${index}]`, entry, 'an error class (a constructor)');
    }
  });
  return Object.freeze([...(given as ErrorClass[])]);
}

function trialPermitsOption(given: unknown): TrialPermits | undefined {
  if (given === undefined) return undefined;
  const permits = given as Partial<TrialPermits> | null;
  if (
    typeof permits !== 'object' ||
    permits === null ||
    typeof permits.tryAcquire !== 'function' ||
    typeof permits.release !== 'function'
  ) {
    throw new ConfigError(
      'trialPermits',
      given,
      'an object with tryAcquire() and release(outcome)',
    );
  }
  return permits as TrialPermits;
}
