import { BreakwaterError, hasErrorCode, nameErrorClass } from './breakwater-error';
import { errorCodes } from './error-codes';

/** A bulkhead had every slot busy and its queue full, so the call was not run. */
export class BulkheadFullError extends BreakwaterError {
  /** The bulkhead's `maxConcurrent`. */
  readonly maxConcurrent: number;
  /** The bulkhead's `maxQueue`. */
  readonly maxQueue: number;

  constructor(maxConcurrent: number, maxQueue: number) {
    super(
      errorCodes.bulkheadFull,
      `Bulkhead is full: ${maxConcurrent} calls running and ${maxQueue} queued`,
    );
    this.maxConcurrent = maxConcurrent;
    this.maxQueue = maxQueue;
  }
}
nameErrorClass(BulkheadFullError, 'BulkheadFullError');

/** True when `value` is a {@link BulkheadFullError}, from any copy of the package. */
export function isBulkheadFullError(value: unknown): value is BulkheadFullError {
  return hasErrorCode(value, errorCodes.bulkheadFull);
}
