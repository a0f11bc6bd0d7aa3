import { accessSync, constants } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isBreakwaterError, StoreUnavailableError } from '@breakwater/core';
import { StoreUnreadableError, unreadableReason } from './store-unreadable-error';

/** What a store was doing when it failed: `doing` in words, and whether it was a write. */
export interface StoreOperation {
  readonly doing: string;
  readonly writes: boolean;
}

/** What went wrong, in words, and what an operator can do about it. */
interface Diagnosis {
  readonly problem: string;
  readonly remedy: string;
}

const sideFiles = 'the -wal and -shm files SQLite keeps beside it';

/** SQLite result codes (primary part, before any `_SUFFIX`) and Node errno codes. */
const diagnoses: Readonly<Record<string, Diagnosis>> = {
  SQLITE_FULL: {
    problem: 'the disk is full',
    remedy: 'free space on the disk that holds the file (or lower store.auditRetention)',
  },
  ENOSPC: {
    problem: 'the disk is full',
    remedy: 'free space on the disk that holds the file',
  },
  SQLITE_READONLY: {
    problem: 'the file is read-only',
    remedy: `give this process write access to the file, its folder and ${sideFiles}`,
  },
  EROFS: {
    problem: 'the file system is read-only',
    remedy: 'put the store on a writable disk, or remount this one read-write',
  },
  SQLITE_CANTOPEN: {
    problem: 'SQLite cannot open or create the file (or its -wal and -shm files)',
    remedy: `check that the path names a file in an existing folder, and that this process may read and write the file, the folder and ${sideFiles}`,
  },
  SQLITE_PERM: {
    problem: 'the operating system refused access',
    remedy: `give this process read and write access to the file, its folder and ${sideFiles}`,
  },
  EACCES: {
    problem: 'permission denied',
    remedy: 'give this process read and write access to the file and its folder',
  },
  EPERM: {
    problem: 'permission denied',
    remedy: 'give this process read and write access to the file and its folder',
  },
  EISDIR: {
    problem: 'it is a folder, not a file',
    remedy: 'give the path of a store file (it is created when missing)',
  },
  ENOTDIR: {
    problem: 'part of the path is a file, not a folder',
    remedy: 'give the path of a store file inside a folder',
  },
  // From creating the file's folder: a file stands where a folder should be.
  EEXIST: {
    problem: 'part of the path is a file, not a folder',
    remedy: 'give the path of a store file inside a folder',
  },
  SQLITE_IOERR: {
    problem: 'the disk failed to read or write',
    remedy:
      'check the disk and its file system (remounted read-only, over a quota, failing); the system log says more',
  },
  SQLITE_BUSY: {
    problem: 'another connection kept the file locked for more than 5 s',
    remedy:
      'let one Breakwater process at a time use the file, and check no other program holds it',
  },
  SQLITE_LOCKED: {
    problem: 'the file is locked',
    remedy: 'let one Breakwater process at a time use the file',
  },
  SQLITE_NOMEM: {
    problem: 'SQLite ran out of memory',
    remedy: 'give the process more memory',
  },
};

/**
 * The error a store operation rejects with when SQLite (or the file system)
 * fails: a `StoreUnreadableError` for a corrupt or foreign file, otherwise a
 * `StoreUnavailableError` whose reason says what the store was doing, what
 * went wrong (with the SQLite code), what to do, and — for a write — that
 * none of it was kept (SQLite rolls a failed transaction back whole).
 * Breakwater's own errors pass through.
 */
export function storeFailure(file: string, operation: StoreOperation, error: unknown): Error {
  if (isBreakwaterError(error)) return error;
  const unreadable = unreadableReason(error);
  if (unreadable !== undefined) return new StoreUnreadableError(file, unreadable, { cause: error });
  return new StoreUnavailableError(`LocalStore '${file}'`, reasonOf(file, operation, error), {
    cause: error,
  });
}

function reasonOf(file: string, operation: StoreOperation, error: unknown): string {
  const code = codeOf(error);
  const detail = error instanceof Error ? error.message : String(error);
  let what = `${detail}${code === undefined ? '' : ` (${code})`}`;
  if (code !== undefined) {
    // SQLite says "read-only" or "cannot open" alike for a file mode, a read-only mount or a
    // missing permission: the file system tells which.
    const denied = /^SQLITE_(READONLY|CANTOPEN)/.test(code) ? writeDenial(file) : undefined;
    const diagnosis = diagnosisOf(denied ?? code);
    const codes = denied === undefined ? code : `${code}, ${denied}`;
    if (diagnosis !== undefined)
      what = `${diagnosis.problem} (${codes}: ${detail}); to fix: ${diagnosis.remedy}`;
  }
  return `${operation.doing} failed: ${what}${operation.writes ? '. Nothing of it was written' : ''}`;
}

/** Why this process may not write the file (or, when it does not exist, its folder): EROFS, EACCES… */
function writeDenial(file: string): string | undefined {
  for (const path of [file, dirname(resolve(file))]) {
    try {
      accessSync(path, constants.W_OK);
    } catch (error) {
      const code = codeOf(error);
      if (code === 'ENOENT') continue;
      return code;
    }
  }
  return undefined;
}

function diagnosisOf(code: string): Diagnosis | undefined {
  // Extended SQLite codes (SQLITE_IOERR_WRITE, SQLITE_READONLY_DBMOVED…) share their primary's diagnosis.
  return diagnoses[code] ?? diagnoses[code.split('_').slice(0, 2).join('_')];
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
