import { defineError } from './define-error';
import { errorCodes } from './error-codes';

/** An option had a bad value. The message names the option, the value and what was expected. */
export const ConfigError = defineError(
  errorCodes.invalidConfig,
  'ConfigError',
  (option: string, value: unknown, expected: string) => ({
    message: `Invalid option '${option}': ${show(value)} (expected ${expected})`,
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

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object' && value !== null) {
    try {
      return JSON.stringify(value);
    } catch {
      return Object.prototype.toString.call(value);
    }
  }
  return String(value);
}
