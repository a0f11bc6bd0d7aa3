import { defineError, errorCodes } from '@breakwater/core';

/**
 * A Redis key under the store's prefix holds something Breakwater did not
 * write there (another tool, another version, or a hand edit): not JSON,
 * another breaker's record, invalid options. It is named, never overwritten.
 */
export const StoredValueError = defineError(
  errorCodes.invalidStoredValue,
  'StoredValueError',
  (key: string, reason: string, options?: { field?: string; cause?: unknown }) => ({
    message: `Redis ${location(key, options?.field)} ${reason}`,
    cause: options?.cause,
    /** The Redis key, prefix included. */
    key,
    /** The hash field, for a value stored in one (an override: the service name). */
    field: options?.field,
    /** What is wrong with the value, in words. */
    reason,
  }),
);
export type StoredValueError = InstanceType<typeof StoredValueError>;

/** True when `value` is a {@link StoredValueError}, from any copy of the package. */
export const isStoredValueError = StoredValueError.is;

function location(key: string, field: string | undefined): string {
  return field === undefined ? `key '${key}'` : `key '${key}', field '${field}',`;
}
