import { defineError } from './define-error';
import { errorCodes } from './error-codes';
import { showValue } from './excerpt';

/**
 * An option had a bad value. The message names the option, the value (at most
 * 200 characters of it) and what was expected.
 */
export const ConfigError = defineError(
  errorCodes.invalidConfig,
  'ConfigError',
  (option: string, value: unknown, expected: string) => ({
    message: `Invalid option '${option}': ${showValue(value)} (expected ${expected})`,
    /** Path of the bad option, e.g. `slidingWindow.size`. */
    option,
    /** The value that was rejected. */
    value,
    /** What would have been accepted, in words. */
    expected,
  }),
);
export type ConfigError = InstanceType<typeof ConfigError>;

/** True when `value` is a {@link ConfigError}, from any copy of the package. */
export const isConfigError = ConfigError.is;
