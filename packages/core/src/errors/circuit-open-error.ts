import { BreakwaterError, hasErrorCode, nameErrorClass } from './breakwater-error';
import { errorCodes } from './error-codes';

/** The states in which a breaker rejects a call. */
export type RejectingState = 'open' | 'half-open' | 'forced-open';

/**
 * A call was rejected without running because the circuit is open: a known
 * outage, not a failure of the call. Tell them apart with
 * {@link isCircuitOpenError}, never by matching message text.
 */
export class CircuitOpenError extends BreakwaterError {
  /** Name of the breaker that rejected the call. */
  readonly breaker: string;
  /** State of that breaker when it rejected the call. */
  readonly state: RejectingState;
  /**
   * Milliseconds until the breaker admits a trial call: the rest of the open
   * period; 0 in half-open when every trial permit is taken; undefined when
   * forced open (it stays open until released).
   */
  readonly retryAfter: number | undefined;

  constructor(breaker: string, state: RejectingState, retryAfter: number | undefined) {
    super(errorCodes.circuitOpen, describeRejection(breaker, state, retryAfter));
    this.breaker = breaker;
    this.state = state;
    this.retryAfter = retryAfter;
  }
}
nameErrorClass(CircuitOpenError, 'CircuitOpenError');

function describeRejection(
  breaker: string,
  state: RejectingState,
  retryAfter: number | undefined,
): string {
  if (state === 'forced-open')
    return `Circuit '${breaker}' is forced open; calls are rejected until it is released`;
  if (state === 'half-open')
    return `Circuit '${breaker}' is half-open and all trial permits are taken`;
  return `Circuit '${breaker}' is open; next trial in ${Math.ceil(retryAfter ?? 0)} ms`;
}

/**
 * Builds the rejection on the open path. A real `Error` costs about 400 ns to
 * construct even without stack frames, which would dominate a fail-fast call,
 * so by default the instance is made from the prototype: it is still
 * `instanceof CircuitOpenError` and `Error`, and its `message` and `stack`
 * are computed only when read. `withStack` builds a genuine one.
 */
export function createCircuitOpenError(
  breaker: string,
  state: RejectingState,
  retryAfter: number | undefined,
  withStack: boolean,
): CircuitOpenError {
  if (withStack) return new CircuitOpenError(breaker, state, retryAfter);
  const error = Object.create(lazyPrototype) as {
    code: string;
    breaker: string;
    state: RejectingState;
    retryAfter: number | undefined;
  };
  error.code = errorCodes.circuitOpen;
  error.breaker = breaker;
  error.state = state;
  error.retryAfter = retryAfter;
  return error as CircuitOpenError;
}

const lazyPrototype: object = Object.create(CircuitOpenError.prototype, {
  message: {
    get(this: CircuitOpenError): string {
      return describeRejection(this.breaker, this.state, this.retryAfter);
    },
    configurable: true,
  },
  stack: {
    get(this: CircuitOpenError): string {
      return `${this.name}: ${this.message}\n    (no stack trace: set captureStackTrace: true on the breaker to record one)`;
    },
    configurable: true,
  },
  [Symbol.toStringTag]: { value: 'Error', configurable: true },
});

/** True when `value` is a {@link CircuitOpenError}, from any copy of the package. */
export function isCircuitOpenError(value: unknown): value is CircuitOpenError {
  return hasErrorCode(value, errorCodes.circuitOpen);
}
