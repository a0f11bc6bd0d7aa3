import { BreakwaterError, hasErrorCode, nameErrorClass } from './breakwater-error';
import { errorCodes } from './error-codes';

/** An option had a bad value. The message names the option, the value and what was expected. */
export class ConfigError extends BreakwaterError {
  /** Path of the bad option, e.g. `slidingWindow.size`. */
  readonly option: string;
  /** The value that was rejected. */
  readonly value: unknown;
  /** What would have been accepted, in words. */
  readonly expected: string;

  constructor(option: string, value: unknown, expected: string) {
    super(
      errorCodes.invalidConfig,
      `Invalid option '${option}': ${show(value)} (expected ${expected})`,
    );
    this.option = option;
    this.value = value;
    this.expected = expected;
  }
}
nameErrorClass(ConfigError, 'ConfigError');

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

/** True when `value` is a {@link ConfigError}, from any copy of the package. */
export function isConfigError(value: unknown): value is ConfigError {
  return hasErrorCode(value, errorCodes.invalidConfig);
}
