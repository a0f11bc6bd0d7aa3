import { ConfigError } from '../errors/config-error';
import {
  durationOption,
  fractionOption,
  integerOption,
  maxMultiplier,
  numberOption,
  optionsObject,
} from '../options/option-checks';

/**
 * The `adaptive` option of a breaker: learn the dependency's normal failure
 * rate and open when the window rises clearly above it, never below
 * `minFailureRate` and always at `maxFailureRate`. docs/configuration.md
 * ("Adaptive thresholds") describes the algorithm.
 */
export interface AdaptiveOptions {
  /** Ceiling: the circuit always opens when the window's failure rate reaches this fraction. Default 0.5. */
  readonly maxFailureRate?: number;
  /** Floor: the circuit never opens on a failure rate below this fraction. Default 0.1. */
  readonly minFailureRate?: number;
  /** How many spreads above the learned baseline the window's rate must rise (1 to 100). Default 5. */
  readonly deviations?: number;
  /** Half-life of the learned baseline (ms): a window's weight halves after this much closed time. Default 600 000. */
  readonly halfLife?: number;
  /** Full windows learned before the learned threshold applies; until then only `maxFailureRate` does. Default 10. */
  readonly warmupWindows?: number;
}

/** {@link AdaptiveOptions} with every default applied. */
export type ResolvedAdaptiveOptions = Readonly<Required<AdaptiveOptions>>;

/** Defaults of {@link AdaptiveOptions}. */
export const defaultAdaptiveOptions: ResolvedAdaptiveOptions = Object.freeze({
  maxFailureRate: 0.5,
  minFailureRate: 0.1,
  deviations: 5,
  halfLife: 600_000,
  warmupWindows: 10,
});

const adaptiveOptionNames: readonly (keyof AdaptiveOptions)[] = Object.freeze(
  Object.keys(defaultAdaptiveOptions) as (keyof AdaptiveOptions)[],
);

/**
 * Validates the `adaptive` option and applies its defaults; undefined when
 * it is not set. A bad value throws a {@link ConfigError} naming the path
 * (`adaptive.deviations`) and the value.
 */
export function resolveAdaptiveOptions(given: unknown): ResolvedAdaptiveOptions | undefined {
  if (given === undefined) return undefined;
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    throw new ConfigError(
      'adaptive',
      given,
      'an object of adaptive-threshold options ({} for the defaults)',
    );
  }
  return inside('adaptive', () => {
    const options = optionsObject(given, adaptiveOptionNames);
    const defaults = defaultAdaptiveOptions;
    const maxFailureRate = fractionOption(options, 'maxFailureRate') ?? defaults.maxFailureRate;
    const minFailureRate =
      fractionOption(options, 'minFailureRate') ??
      Math.min(defaults.minFailureRate, maxFailureRate);
    if (minFailureRate > maxFailureRate) {
      throw new ConfigError(
        'minFailureRate',
        minFailureRate,
        `a fraction at most adaptive.maxFailureRate (${maxFailureRate})`,
      );
    }
    return Object.freeze({
      maxFailureRate,
      minFailureRate,
      deviations: numberOption(options, 'deviations', defaults.deviations, 1, false, maxMultiplier),
      halfLife: durationOption(options, 'halfLife', defaults.halfLife, 1),
      warmupWindows: integerOption(options, 'warmupWindows', defaults.warmupWindows, 1),
    });
  });
}

/** Runs `check`, prefixing the option path of any ConfigError it throws with `path`. */
function inside<T>(path: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof ConfigError) {
      throw new ConfigError(`${path}.${error.option}`, error.value, error.expected);
    }
    throw error;
  }
}
