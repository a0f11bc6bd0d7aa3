import { BreakwaterError, hasErrorCode, nameErrorClass } from './breakwater-error';
import { errorCodes } from './error-codes';

/** A call ran longer than its `timeout`: its signal was aborted and it counted as a failure. */
export class CallTimeoutError extends BreakwaterError {
  /** Name of the breaker (or policy) that timed the call out. */
  readonly breaker: string;
  /** The timeout that elapsed, in milliseconds. */
  readonly timeout: number;

  constructor(breaker: string, timeout: number) {
    super(errorCodes.callTimeout, `Call through '${breaker}' timed out after ${timeout} ms`);
    this.breaker = breaker;
    this.timeout = timeout;
  }
}
nameErrorClass(CallTimeoutError, 'CallTimeoutError');

/** True when `value` is a {@link CallTimeoutError}, from any copy of the package. */
export function isCallTimeoutError(value: unknown): value is CallTimeoutError {
  return hasErrorCode(value, errorCodes.callTimeout);
}
