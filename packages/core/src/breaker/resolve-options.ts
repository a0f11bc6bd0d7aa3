import { type Clock, systemClock } from '../clock/clock';
import { ConfigError } from '../errors/config-error';
import {
  type CircuitBreakerOptions,
  defaultOptions,
  type ErrorClass,
  type ResolvedOptions,
  type SlidingWindowOptions,
} from './breaker-options';

const knownOptions = new Set<string>([
  'failureThreshold',
  'monitoringWindow',
  'resetTimeout',
  'successThreshold',
  'halfOpenMaxCalls',
  'backoffMultiplier',
  'maxResetTimeout',
  'maxRecoveryAttempts',
  'minHealthyPeriod',
  'slidingWindow',
  'minimumCalls',
  'failureRateThreshold',
  'slowCallRateThreshold',
  'slowCallDuration',
  'timeout',
  'isFailure',
  'ignoredErrors',
  'isResultFailure',
  'latencySampling',
  'captureStackTrace',
  'clock',
]);

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
  return resolve(options);
}

function resolve(options: CircuitBreakerOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new ConfigError('options', options, 'an object');
  }
  for (const key of Object.keys(options)) {
    if (!knownOptions.has(key))
      throw new ConfigError(key, (options as Record<string, unknown>)[key], 'no such option');
  }
  const resetTimeout = duration(options, 'resetTimeout', defaultOptions.resetTimeout, 1);
  const slidingWindow = window(options.slidingWindow);
  const minimumCalls = integer(options, 'minimumCalls', defaultOptions.minimumCalls, 1);
  if (slidingWindow.type === 'count' && minimumCalls > slidingWindow.size) {
    throw new ConfigError(
      'minimumCalls',
      minimumCalls,
      `at most slidingWindow.size (${slidingWindow.size}), or the rate rules could never be evaluated`,
    );
  }
  const maxResetTimeout =
    options.maxResetTimeout === undefined
      ? Math.max(defaultOptions.maxResetTimeout, resetTimeout)
      : duration(options, 'maxResetTimeout', 0, resetTimeout);
  return Object.freeze({
    failureThreshold: integer(options, 'failureThreshold', defaultOptions.failureThreshold, 1),
    monitoringWindow: optionalDuration(options, 'monitoringWindow', 1),
    resetTimeout,
    successThreshold: integer(options, 'successThreshold', defaultOptions.successThreshold, 1),
    halfOpenMaxCalls: integer(options, 'halfOpenMaxCalls', defaultOptions.halfOpenMaxCalls, 1),
    backoffMultiplier: number(options, 'backoffMultiplier', defaultOptions.backoffMultiplier, 1),
    maxResetTimeout,
    maxRecoveryAttempts: integer(
      options,
      'maxRecoveryAttempts',
      defaultOptions.maxRecoveryAttempts,
      1,
    ),
    minHealthyPeriod: duration(options, 'minHealthyPeriod', defaultOptions.minHealthyPeriod, 0),
    slidingWindow,
    minimumCalls,
    failureRateThreshold: fraction(options, 'failureRateThreshold'),
    slowCallRateThreshold: fraction(options, 'slowCallRateThreshold'),
    slowCallDuration: duration(options, 'slowCallDuration', defaultOptions.slowCallDuration, 0),
    timeout: optionalDuration(options, 'timeout', 1),
    isFailure: optionalFunction<(error: unknown) => boolean>(options, 'isFailure'),
    ignoredErrors: errorClasses(options.ignoredErrors),
    isResultFailure: optionalFunction<(result: unknown) => boolean>(options, 'isResultFailure'),
    latencySampling: integer(options, 'latencySampling', defaultOptions.latencySampling, 1),
    captureStackTrace: boolean(options, 'captureStackTrace', false),
    clock: clock(options.clock),
  });
}

type Key = keyof CircuitBreakerOptions;

function value(options: CircuitBreakerOptions, key: Key): unknown {
  return options[key];
}

function number(options: CircuitBreakerOptions, key: Key, fallback: number, min: number): number {
  const given = value(options, key);
  if (given === undefined) return fallback;
  if (typeof given !== 'number' || !Number.isFinite(given) || given < min) {
    throw new ConfigError(key, given, `a finite number >= ${min}`);
  }
  return given;
}

function integer(options: CircuitBreakerOptions, key: Key, fallback: number, min: number): number {
  const given = value(options, key);
  if (given === undefined) return fallback;
  if (typeof given !== 'number' || !Number.isSafeInteger(given) || given < min) {
    throw new ConfigError(key, given, `an integer >= ${min}`);
  }
  return given;
}

function duration(options: CircuitBreakerOptions, key: Key, fallback: number, min: number): number {
  const given = value(options, key);
  if (given === undefined) return fallback;
  if (typeof given !== 'number' || !Number.isFinite(given) || given < min) {
    throw new ConfigError(key, given, `a duration in milliseconds >= ${min}`);
  }
  return given;
}

function optionalDuration(
  options: CircuitBreakerOptions,
  key: Key,
  min: number,
): number | undefined {
  return value(options, key) === undefined ? undefined : duration(options, key, 0, min);
}

function fraction(options: CircuitBreakerOptions, key: Key): number | undefined {
  const given = value(options, key);
  if (given === undefined) return undefined;
  if (typeof given !== 'number' || !(given > 0 && given <= 1)) {
    throw new ConfigError(key, given, 'a fraction greater than 0 and at most 1 (0.5 = 50%)');
  }
  return given;
}

function boolean(options: CircuitBreakerOptions, key: Key, fallback: boolean): boolean {
  const given = value(options, key);
  if (given === undefined) return fallback;
  if (typeof given !== 'boolean') throw new ConfigError(key, given, 'true or false');
  return given;
}

function optionalFunction<F>(options: CircuitBreakerOptions, key: Key): F | undefined {
  const given = value(options, key);
  if (given === undefined) return undefined;
  if (typeof given !== 'function') throw new ConfigError(key, given, 'a function');
  return given as F;
}

function window(given: SlidingWindowOptions | undefined): SlidingWindowOptions {
  if (given === undefined) return defaultOptions.slidingWindow;
  if (typeof given !== 'object' || given === null) {
    throw new ConfigError('slidingWindow', given, "an object { type: 'count' | 'time', size }");
  }
  for (const key of Object.keys(given)) {
    if (key !== 'type' && key !== 'size') {
      throw new ConfigError(
        `slidingWindow.${key}`,
        (given as unknown as Record<string, unknown>)[key],
        'no such option',
      );
    }
  }
  const { type, size } = given;
  if (type !== 'count' && type !== 'time') {
    throw new ConfigError('slidingWindow.type', type, "'count' or 'time'");
  }
  if (type === 'count' && !(Number.isSafeInteger(size) && size >= 1 && size <= maxCountWindow)) {
    throw new ConfigError(
      'slidingWindow.size',
      size,
      `a number of calls, an integer from 1 to ${maxCountWindow}`,
    );
  }
  if (type === 'time' && !(typeof size === 'number' && Number.isFinite(size) && size >= 20)) {
    throw new ConfigError('slidingWindow.size', size, 'a duration in milliseconds >= 20');
  }
  return Object.freeze({ type, size });
}

function errorClasses(given: readonly ErrorClass[] | undefined): readonly ErrorClass[] {
  if (given === undefined) return [];
  if (!Array.isArray(given))
    throw new ConfigError('ignoredErrors', given, 'an array of error classes');
  given.forEach((entry, index) => {
    if (typeof entry !== 'function') {
      throw new ConfigError(`ignoredErrors[${index}]`, entry, 'an error class (a constructor)');
    }
  });
  return Object.freeze([...given]);
}

function clock(given: Clock | undefined): Clock {
  if (given === undefined) return systemClock;
  const methods = ['now', 'monotonic', 'setTimeout', 'clearTimeout'] as const;
  if (
    typeof given !== 'object' ||
    given === null ||
    methods.some((m) => typeof given[m] !== 'function')
  ) {
    throw new ConfigError(
      'clock',
      given,
      'a Clock with now(), monotonic(), setTimeout() and clearTimeout()',
    );
  }
  return given;
}
