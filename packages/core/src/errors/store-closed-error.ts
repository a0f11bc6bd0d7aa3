import { defineError } from './define-error';
import { errorCodes } from './error-codes';

/** A state store was used after `close()`. */
export const StoreClosedError = defineError(
  errorCodes.storeClosed,
  'StoreClosedError',
  (store: string) => ({
    message: `${store} is closed`,
    /** Which store, in words, e.g. `RedisStore at redis://127.0.0.1:6379` (password hidden). */
    store,
  }),
);
export type StoreClosedError = InstanceType<typeof StoreClosedError>;

/** True when `value` is a {@link StoreClosedError}, from any copy of the package. */
export const isStoreClosedError = StoreClosedError.is;
