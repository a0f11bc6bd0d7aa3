import type { Clock } from '../clock/clock';
import { ConfigError } from '../errors/config-error';

// Validation shared by the breaker's and the policies' options, so one kind
// of option is checked — and its error reads — the same everywhere.

type Options = Readonly<Record<string, unknown>>;

/**
 * `given` as an options object whose keys are all in `known`; `undefined`
 * reads as `{}`. An unknown key is almost always a typo of a known one.
 */
export function optionsObject(given: unknown, known: readonly string[]): Options {
  if (given === undefined) return {};
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    throw new ConfigError('options', given, 'an object');
  }
  const options = given as Options;
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new ConfigError(key, options[key], 'no such option');
  }
  return options;
}

/** A safe integer >= `min`. */
export function integerOption(
  options: Options,
  key: string,
  fallback: number,
  min: number,
): number {
  const given = options[key];
  if (given === undefined) return fallback;
  if (typeof given !== 'number' || !Number.isSafeInteger(given) || given < min) {
    throw new ConfigError(key, given, `an integer >= ${min}`);
  }
  return given;
}

/**
 * The longest duration any option takes, ms: 2^31 − 1, about 24.8 days. Node
 * runs a longer timer after 1 ms instead, and no circuit should wait longer.
 */
export const maxDuration = 2_147_483_647;

/** The largest multiplier (`backoffMultiplier`, a retry's `multiplier`): one step never grows a delay more. */
export const maxMultiplier = 100;

/** A finite number >= `min` (> `min` when `exclusive`) and <= `max`. */
export function numberOption(
  options: Options,
  key: string,
  fallback: number,
  min: number,
  exclusive = false,
  max = Number.POSITIVE_INFINITY,
): number {
  return boundedNumber(options, key, fallback, { min, exclusive, max }, 'a finite number');
}

/** A duration in milliseconds >= `min` (> `min` when `exclusive`), at most {@link maxDuration}. */
export function durationOption(
  options: Options,
  key: string,
  fallback: number,
  min: number,
  exclusive = false,
): number {
  const bounds = { min, exclusive, max: maxDuration };
  return boundedNumber(options, key, fallback, bounds, 'a duration in milliseconds');
}

/** A factor from `min` to {@link maxMultiplier}. */
export function multiplierOption(
  options: Options,
  key: string,
  fallback: number,
  min: number,
): number {
  const bounds = { min, exclusive: false, max: maxMultiplier };
  return boundedNumber(options, key, fallback, bounds, 'a factor');
}

interface Bounds {
  readonly min: number;
  /** Whether `min` itself is refused. */
  readonly exclusive: boolean;
  readonly max: number;
}

function boundedNumber(
  options: Options,
  key: string,
  fallback: number,
  bounds: Bounds,
  what: string,
): number {
  const given = options[key];
  if (given === undefined) return fallback;
  if (!isWithin(given, bounds)) throw new ConfigError(key, given, `${what} ${range(bounds)}`);
  return given;
}

/** The accepted range in words: `>= 1`, `from 1 to 2147483647`, `> 0 and <= 100`. */
function range({ min, exclusive, max }: Bounds): string {
  if (max === Number.POSITIVE_INFINITY) return `${exclusive ? '>' : '>='} ${min}`;
  return exclusive ? `> ${min} and <= ${max}` : `from ${min} to ${max}`;
}

/** One of `choices`. */
export function choiceOption<C extends string>(
  options: Options,
  key: string,
  fallback: C,
  choices: readonly C[],
): C {
  const given = options[key];
  if (given === undefined) return fallback;
  if (!choices.includes(given as C)) {
    throw new ConfigError(key, given, choices.map((choice) => `'${choice}'`).join(' or '));
  }
  return given as C;
}

/** A fraction in (0, 1], or undefined when not given (the rule it sets is off). */
export function fractionOption(options: Options, key: string): number | undefined {
  const given = options[key];
  if (given === undefined) return undefined;
  if (typeof given !== 'number' || !(given > 0 && given <= 1)) {
    throw new ConfigError(key, given, 'a fraction greater than 0 and at most 1 (0.5 = 50%)');
  }
  return given;
}

/** `true` or `false`. */
export function booleanOption(options: Options, key: string, fallback: boolean): boolean {
  const given = options[key];
  if (given === undefined) return fallback;
  if (typeof given !== 'boolean') throw new ConfigError(key, given, 'true or false');
  return given;
}

/** An optional function. */
export function functionOption<F>(options: Options, key: string): F | undefined {
  const given = options[key];
  if (given === undefined) return undefined;
  if (typeof given !== 'function') throw new ConfigError(key, given, 'a function');
  return given as F;
}

/** A {@link Clock}, or `fallback` when none is given. */
export function clockOption(options: Options, fallback: Clock): Clock {
  const given = options.clock as Clock | undefined;
  if (given === undefined) return fallback;
  const methods = ['now', 'monotonic', 'setTimeout', 'clearTimeout'] as const;
  if (
    typeof given !== 'object' ||
    given === null ||
    methods.some((method) => typeof given[method] !== 'function')
  ) {
    throw new ConfigError(
      'clock',
      given,
      'a Clock with now(), monotonic(), setTimeout() and clearTimeout()',
    );
  }
  return given;
}

function isWithin(value: unknown, { min, exclusive, max }: Bounds): value is number {
  return (
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (exclusive ? value > min : value >= min) &&
    value <= max
  );
}

/** A per-call timeout's range, built once: it is checked on every call that passes options. */
const timeoutBounds: Bounds = Object.freeze({ min: 0, exclusive: true, max: maxDuration });

/**
 * Checks `execute()`'s per-call options, on every call that passes some: the
 * problem as an error to reject the call with (nothing is thrown on the call
 * path), or undefined.
 */
export function checkExecuteOptions(options: {
  readonly timeout?: unknown;
  readonly signal?: unknown;
}): ConfigError | undefined {
  const { timeout, signal } = options;
  if (timeout !== undefined && !isWithin(timeout, timeoutBounds)) {
    return new ConfigError(
      'timeout',
      timeout,
      `a duration in milliseconds ${range(timeoutBounds)}`,
    );
  }
  if (
    signal !== undefined &&
    (typeof signal !== 'object' || signal === null || !('aborted' in signal))
  ) {
    return new ConfigError('signal', signal, 'an AbortSignal');
  }
  return undefined;
}
