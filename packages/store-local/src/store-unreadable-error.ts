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

/**
 * Runs a statement, turning SQLite's "not a database" and "corrupt" errors into a
 * {@link StoreUnreadableError} naming the file; other errors pass through.
 */
export function refuseUnreadable<T>(file: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    const reason = unreadableReason(error);
    if (reason === undefined) throw error;
    throw new StoreUnreadableError(file, reason, { cause: error });
  }
}

function unreadableReason(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  const message = (error as Error).message;
  if (code === 'SQLITE_NOTADB') return `it is not an SQLite database (${message})`;
  if (code.startsWith('SQLITE_CORRUPT')) return `it is corrupt (${message})`;
  return undefined;
}
