import { defineError } from './define-error';
import { errorCodes } from './error-codes';

/** A bulkhead had every slot busy and its queue full, so the call was not run. */
export const BulkheadFullError = defineError(
  errorCodes.bulkheadFull,
  'BulkheadFullError',
  (maxConcurrent: number, maxQueue: number) => ({
    message: `Bulkhead is full: ${maxConcurrent} calls running and ${maxQueue} queued`,
    /** The bulkhead's `maxConcurrent`. */
    maxConcurrent,
    /** The bulkhead's `maxQueue`. */
    maxQueue,
  }),
);
export type BulkheadFullError = InstanceType<typeof BulkheadFullError>;

/** True when `value` is a {@link BulkheadFullError}, from any copy of the package. */
export const isBulkheadFullError = BulkheadFullError.is;
