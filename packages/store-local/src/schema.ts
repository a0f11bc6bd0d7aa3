import type { Database } from 'better-sqlite3';
import { storeFailure } from './store-failure';
import { restoreAdvice, StoreUnreadableError } from './store-unreadable-error';

/** `PRAGMA application_id` of a Breakwater store ('BWST'): tells our files from other SQLite files. */
export const applicationId = 0x42575354;

/** The schema version this code writes (`PRAGMA user_version`); it reads no newer one. */
export const schemaVersion = 1;

/** Step `n` takes a store from schema version `n` to `n + 1`, inside one transaction. */
const migrations: readonly ((db: Database) => void)[] = [
  // 0 → 1: the first schema.
  (db) =>
    db.exec(`
      CREATE TABLE breakers (
        name TEXT PRIMARY KEY NOT NULL,
        version INTEGER NOT NULL,
        record TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE overrides (
        service TEXT PRIMARY KEY NOT NULL,
        options TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        at_ms INTEGER NOT NULL,
        actor_id TEXT NOT NULL,
        actor_role TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        before TEXT,
        after TEXT,
        outcome TEXT NOT NULL
      );
      CREATE INDEX audit_by_target ON audit (target, at_ms);
      CREATE INDEX audit_by_time ON audit (at_ms);
    `),
];

/** The columns each table of the current schema must have. */
const expectedColumns: Readonly<Record<string, readonly string[]>> = {
  breakers: ['name', 'version', 'record', 'updated_at'],
  overrides: ['service', 'options', 'updated_at'],
  audit: [
    'id',
    'at',
    'at_ms',
    'actor_id',
    'actor_role',
    'action',
    'target',
    'before',
    'after',
    'outcome',
  ],
};

interface Header {
  readonly applicationId: number;
  readonly version: number;
  readonly tables: readonly string[];
}

/**
 * Makes `db` a current Breakwater store: creates the schema in an empty
 * file, migrates an older one, and refuses — before writing anything — a
 * file that is not an SQLite database, belongs to something else, comes
 * from a newer version, or fails SQLite's quick check. Only then does it
 * switch the file to WAL. A store it cannot write to (read-only, disk full)
 * is refused here too, so a server fails at start rather than at the first
 * operator action.
 */
export function prepareSchema(db: Database, file: string): void {
  const header = readHeader(db, file);
  const fresh = header.applicationId === 0 && header.version === 0 && header.tables.length === 0;
  if (!fresh) {
    checkOurs(header, file);
    checkIntact(db, file);
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
  } catch (error) {
    throw storeFailure(file, { doing: 'switching the file to WAL mode', writes: true }, error);
  }
  if (header.version < schemaVersion) migrate(db, file);
  else checkWritable(db, file);
  checkTables(db, file);
}

function readHeader(db: Database, file: string): Header {
  return reading(file, () => ({
    applicationId: db.pragma('application_id', { simple: true }) as number,
    version: db.pragma('user_version', { simple: true }) as number,
    tables: db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .pluck()
      .all() as string[],
  }));
}

function checkOurs(header: Header, file: string): void {
  if (header.applicationId !== applicationId) {
    const tables = header.tables.length > 0 ? header.tables.join(', ') : 'none';
    throw new StoreUnreadableError(
      file,
      `it is an SQLite database but not a Breakwater store (application id ${header.applicationId}, tables: ${tables}); give the store a file of its own`,
    );
  }
  if (header.version > schemaVersion) {
    throw new StoreUnreadableError(
      file,
      `it was written by a newer version of Breakwater (schema version ${header.version}; this version reads up to ${schemaVersion}); upgrade Breakwater to use it`,
    );
  }
  if (header.version < 1) {
    throw new StoreUnreadableError(file, 'it is marked as a Breakwater store but has no schema');
  }
}

/**
 * Refuses a damaged file at open rather than at the first unlucky query:
 * `quick_check` reads every page once (about 40 ms for 20 MB here).
 */
function checkIntact(db: Database, file: string): void {
  const problem = reading(file, () => db.pragma('quick_check(1)', { simple: true }));
  if (problem !== 'ok') {
    const detail = String(problem).replace(/\s+/g, ' ');
    throw new StoreUnreadableError(file, `it is corrupt (${detail}); ${restoreAdvice}`);
  }
}

/**
 * Rewrites the schema version in place: one small committed write, which
 * fails now — not at the first operator action — when the file, its folder
 * or the disk cannot take writes.
 */
function checkWritable(db: Database, file: string): void {
  try {
    db.transaction(() => db.pragma(`user_version = ${schemaVersion}`)).immediate();
  } catch (error) {
    throw storeFailure(
      file,
      { doing: 'checking that the file can be written', writes: true },
      error,
    );
  }
}

/** Runs a read of the opening checks; a failure names the file and what to do. */
function reading<T>(file: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw storeFailure(file, { doing: 'reading the file', writes: false }, error);
  }
}

function migrate(db: Database, file: string): void {
  try {
    runMigrations(db, file);
  } catch (error) {
    throw storeFailure(file, { doing: 'creating or upgrading the schema', writes: true }, error);
  }
}

function runMigrations(db: Database, file: string): void {
  // IMMEDIATE: two processes creating the same new file take turns; the second sees version 1.
  db.transaction(() => {
    const from = db.pragma('user_version', { simple: true }) as number;
    for (let version = from; version < schemaVersion; version++) {
      const step = migrations[version];
      if (step === undefined)
        throw new StoreUnreadableError(file, `no migration from its schema version ${version}`);
      step(db);
    }
    db.pragma(`application_id = ${applicationId}`);
    db.pragma(`user_version = ${schemaVersion}`);
  }).immediate();
}

function checkTables(db: Database, file: string): void {
  for (const [table, columns] of Object.entries(expectedColumns)) {
    const present = reading(file, () =>
      db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table),
    );
    const missing = columns.filter((column) => !present.includes(column));
    if (missing.length > 0) {
      throw new StoreUnreadableError(
        file,
        present.length === 0
          ? `its table '${table}' is missing`
          : `its table '${table}' lacks the columns ${missing.join(', ')}`,
      );
    }
  }
}
