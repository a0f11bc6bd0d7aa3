import { defineError } from './define-error';
import { errorCodes } from './error-codes';

/**
 * A state store could not be reached or failed an operation: Redis not
 * ready, its connection down or a command timed out; a store file that
 * cannot be opened or written. The underlying error is the `cause`.
 */
export const StoreUnavailableError = defineError(
  errorCodes.storeUnavailable,
  'StoreUnavailableError',
  (store: string, reason: string, options?: { readonly cause?: unknown }) => ({
    message: `${store} is unavailable: ${reason}`,
    cause: options?.cause,
    /** Which store, in words, e.g. `Redis at redis://127.0.0.1:6379` (password hidden). */
    store,
    /** What went wrong, in words (the underlying error's message). */
    reason,
  }),
);
export type StoreUnavailableError = InstanceType<typeof StoreUnavailableError>;

/** True when `value` is a {@link StoreUnavailableError}, from any copy of the package. */
export const isStoreUnavailableError = StoreUnavailableError.is;
