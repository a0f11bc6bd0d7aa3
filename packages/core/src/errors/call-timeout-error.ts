import { defineError } from './define-error';
import { errorCodes } from './error-codes';

/** A call ran longer than its `timeout`: its signal was aborted and it counted as a failure. */
export const CallTimeoutError = defineError(
  errorCodes.callTimeout,
  'CallTimeoutError',
  (breaker: string, timeout: number) => ({
    message: `Call through '${breaker}' timed out after ${timeout} ms`,
    /** Name of the breaker (or policy) that timed the call out. */
    breaker,
    /** The timeout that elapsed, in milliseconds. */
    timeout,
  }),
);
export type CallTimeoutError = InstanceType<typeof CallTimeoutError>;

/** True when `value` is a {@link CallTimeoutError}, from any copy of the package. */
export const isCallTimeoutError = CallTimeoutError.is;
