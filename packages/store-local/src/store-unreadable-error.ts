import { BreakwaterError, errorCodes, isBreakwaterError } from '@breakwater/core';

/**
 * A store file cannot be used: it is corrupt, is not a Breakwater store, or
 * was written by a newer schema version. The file is left exactly as it was
 * (never repaired or overwritten), so nothing in it is lost.
 */
export class StoreUnreadableError extends BreakwaterError {
  /** The store file, as given to `LocalStore.open`. */
  readonly file: string;
  /** What is wrong with it, in words. */
  readonly reason: string;

  constructor(file: string, reason: string, options?: { cause?: unknown }) {
    super(
      errorCodes.storeUnreadable,
      `Cannot use '${file}' as a Breakwater store: ${reason}. The file was not modified.`,
      options,
    );
    this.file = file;
    this.reason = reason;
  }
}
Object.defineProperty(StoreUnreadableError.prototype, 'name', {
  value: 'StoreUnreadableError',
  writable: true,
  configurable: true,
});

/** True when `value` is a {@link StoreUnreadableError}, from any copy of the package. */
export function isStoreUnreadableError(value: unknown): value is StoreUnreadableError {
  return isBreakwaterError(value) && value.code === errorCodes.storeUnreadable;
}

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
