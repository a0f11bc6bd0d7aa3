import { defineError, errorCodes } from '@breakwater/core';

/**
 * A store file cannot be used: it is corrupt, is not a Breakwater store, or
 * was written by a newer schema version. The file is left exactly as it was
 * (never repaired or overwritten), so nothing in it is lost.
 */
export const StoreUnreadableError = defineError(
  errorCodes.storeUnreadable,
  'StoreUnreadableError',
  (file: string, reason: string, options?: { cause?: unknown }) => ({
    message: `Cannot use '${file}' as a Breakwater store: ${reason}. The file was not modified.`,
    cause: options?.cause,
    /** The store file, as given to `LocalStore.open`. */
    file,
    /** What is wrong with it, in words. */
    reason,
  }),
);
export type StoreUnreadableError = InstanceType<typeof StoreUnreadableError>;

/** True when `value` is a {@link StoreUnreadableError}, from any copy of the package. */
export const isStoreUnreadableError = StoreUnreadableError.is;

/** What to do about a damaged store file. */
export const restoreAdvice =
  'restore it from a backup, or move it aside to start with an empty store';

/** Why SQLite's error means the file itself is unusable (not a database, corrupt), or undefined. */
export function unreadableReason(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  const message = (error as Error).message;
  if (code === 'SQLITE_NOTADB')
    return `it is not an SQLite database (${message}); give the store a file of its own`;
  if (code.startsWith('SQLITE_CORRUPT')) return `it is corrupt (${message}); ${restoreAdvice}`;
  return undefined;
}
