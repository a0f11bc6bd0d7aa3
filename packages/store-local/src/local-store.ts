import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  type AuditEntry,
  type AuditQuery,
  type AuditRetention,
  auditAgeCutoff,
  type BreakerRecord,
  ConfigError,
  checkPersistableOptions,
  type NewAuditEntry,
  type PersistableOptions,
  type ResolvedAuditRetention,
  resolveAuditRetention,
  type StateStore,
  StoreClosedError,
} from '@breakwater/core';
import Database, { type Statement } from 'better-sqlite3';
import {
  type AuditRow,
  auditEntryFromRow,
  auditParams,
  auditQuerySql,
  insertAuditSql,
} from './audit-queries';
import { type BreakerRow, breakerFromRow, type OverrideRow, overrideFromRow } from './json-columns';
import { prepareSchema } from './schema';
import { type StoreOperation, storeFailure } from './store-failure';

export interface LocalStoreOptions {
  /** How much of the audit log the file keeps (default 100 000 entries, 90 days). */
  readonly auditRetention?: AuditRetention;
}

/** How long a write waits for another connection's lock before failing, ms. */
const busyTimeout = 5_000;

const now = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

const sql = {
  loadBreakers: 'SELECT name, version, record FROM breakers ORDER BY name',
  saveBreaker:
    `INSERT INTO breakers (name, version, record, updated_at) VALUES (?, ?, ?, ${now}) ` +
    'ON CONFLICT (name) DO UPDATE SET version = excluded.version, record = excluded.record, ' +
    'updated_at = excluded.updated_at WHERE excluded.version >= breakers.version',
  loadOverrides: 'SELECT service, options FROM overrides ORDER BY service',
  saveOverride:
    `INSERT INTO overrides (service, options, updated_at) VALUES (?, ?, ${now}) ` +
    'ON CONFLICT (service) DO UPDATE SET options = excluded.options, updated_at = excluded.updated_at',
  deleteBreaker: 'DELETE FROM breakers WHERE name = ?',
  deleteOverride: 'DELETE FROM overrides WHERE service = ?',
  // Read back with `all()` inside a transaction: `get()` would stop at the
  // first row and leave the commit to a reset whose error nobody sees.
  appendAudit: `${insertAuditSql} RETURNING *`,
  pruneAuditBelowId: 'DELETE FROM audit WHERE id <= ?',
  pruneAuditBefore: 'DELETE FROM audit WHERE at_ms < ?',
} as const;

/** What each method does, for its error message. */
const operations = {
  loadBreakers: { doing: 'reading the breaker records', writes: false },
  saveBreaker: { doing: 'saving a breaker record', writes: true },
  deleteBreaker: { doing: 'deleting a breaker record', writes: true },
  loadOverrides: { doing: 'reading the configuration overrides', writes: false },
  saveOverride: { doing: 'saving a configuration override', writes: true },
  appendAudit: { doing: 'appending an audit entry', writes: true },
  queryAudit: { doing: 'reading the audit log', writes: false },
} as const satisfies Record<string, StoreOperation>;

type Statements = { readonly [K in keyof typeof sql]: Statement };

/**
 * The embedded `StateStore`: one SQLite file (better-sqlite3) in WAL mode
 * with `synchronous = FULL`. Every write is one transaction, and its promise
 * resolves only after the commit reached the disk, so an acknowledged write
 * survives a crash or SIGKILL; a write that fails (disk full, read-only
 * file, I/O error) rejects with a `StoreUnavailableError` saying what failed
 * and what to do, and leaves nothing behind. Appending to the audit log
 * prunes it to its retention in the same transaction. Open with
 * `await LocalStore.open(path, options)`.
 */
export class LocalStore implements StateStore {
  /** The store file, as given to {@link LocalStore.open}. */
  readonly file: string;
  /** The audit log's bound, defaults filled in. */
  readonly auditRetention: ResolvedAuditRetention;
  readonly #db: Database.Database;
  readonly #statements: Statements;
  readonly #auditQueries = new Map<string, Statement>();
  readonly #append: (params: unknown[]) => AuditRow;
  #closed = false;

  private constructor(file: string, db: Database.Database, retention: ResolvedAuditRetention) {
    this.file = file;
    this.auditRetention = retention;
    this.#db = db;
    const statements = Object.fromEntries(
      Object.entries(sql).map(([name, text]) => [name, db.prepare(text)]),
    ) as unknown as Statements;
    this.#statements = statements;
    const append = db.transaction((params: unknown[]): AuditRow => {
      const [row] = statements.appendAudit.all(...params) as AuditRow[];
      if (row === undefined) throw new Error('the insert returned no row');
      statements.pruneAuditBelowId.run(row.id - retention.maxEntries);
      statements.pruneAuditBefore.run(auditAgeCutoff(retention, Date.parse(row.at)));
      return row;
    });
    this.#append = (params) => append.immediate(params);
  }

  /**
   * Opens the store at `path`, creating the file (and its directory) with
   * the current schema when missing and migrating an older schema. A file
   * that is corrupt, is not a Breakwater store, or comes from a newer schema
   * version rejects with a `StoreUnreadableError` and is left untouched; one
   * that cannot be opened or written (read-only, disk full) with a
   * `StoreUnavailableError` saying what to do.
   */
  static async open(path: string, options: LocalStoreOptions = {}): Promise<LocalStore> {
    if (typeof path !== 'string' || path.length === 0 || path === ':memory:') {
      throw new ConfigError('path', path, 'the path of a store file');
    }
    if (typeof options !== 'object' || options === null) {
      throw new ConfigError('options', options, 'an object');
    }
    const retention = resolveAuditRetention(options.auditRetention);
    const opening = { doing: 'opening the file', writes: false };
    let db: Database.Database;
    try {
      if (isFolder(path))
        throw Object.assign(new Error('the path is a folder'), { code: 'EISDIR' });
      mkdirSync(dirname(resolve(path)), { recursive: true });
      db = new Database(path, { timeout: busyTimeout });
    } catch (error) {
      throw storeFailure(path, opening, error);
    }
    try {
      prepareSchema(db, path);
      return new LocalStore(path, db, retention);
    } catch (error) {
      db.close();
      throw storeFailure(path, { doing: 'opening the store', writes: false }, error);
    }
  }

  async loadBreakers(): Promise<BreakerRecord[]> {
    const rows = this.#use(
      operations.loadBreakers,
      () => this.#statements.loadBreakers.all() as BreakerRow[],
    );
    return rows.map((row) => breakerFromRow(row, this.file));
  }

  async saveBreaker(record: BreakerRecord): Promise<void> {
    if (typeof record?.name !== 'string' || record.name.length === 0)
      throw new ConfigError('record.name', record?.name, 'a breaker name');
    if (typeof record.version !== 'number' || !Number.isFinite(record.version))
      throw new ConfigError('record.version', record.version, 'a finite number');
    const json = JSON.stringify(record);
    this.#use(operations.saveBreaker, () =>
      this.#statements.saveBreaker.run(record.name, record.version, json),
    );
  }

  async deleteBreaker(name: string): Promise<void> {
    this.#use(operations.deleteBreaker, () => this.#statements.deleteBreaker.run(name));
  }

  async loadOverrides(): Promise<Record<string, PersistableOptions>> {
    const rows = this.#use(
      operations.loadOverrides,
      () => this.#statements.loadOverrides.all() as OverrideRow[],
    );
    return Object.fromEntries(rows.map((row) => [row.service, overrideFromRow(row, this.file)]));
  }

  async saveOverride(service: string, options: PersistableOptions | null): Promise<void> {
    if (options === null)
      this.#use(operations.saveOverride, () => this.#statements.deleteOverride.run(service));
    else {
      // Checked before writing: the store never keeps an override it would refuse to load.
      const json = JSON.stringify(checkPersistableOptions(options));
      this.#use(operations.saveOverride, () => this.#statements.saveOverride.run(service, json));
    }
  }

  async appendAudit(entry: NewAuditEntry): Promise<AuditEntry> {
    const params = auditParams(entry);
    const row = this.#use(operations.appendAudit, () => this.#append(params));
    return auditEntryFromRow(row, this.file);
  }

  async queryAudit(query: AuditQuery = {}): Promise<AuditEntry[]> {
    const { sql: text, params } = auditQuerySql(query);
    const rows = this.#use(
      operations.queryAudit,
      () => this.#auditQuery(text).all(...params) as AuditRow[],
    );
    return rows.map((row) => auditEntryFromRow(row, this.file));
  }

  /** Closes the database file. Calling it again does nothing. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#db.close();
  }

  /**
   * Runs a statement on the open database. Corruption found on the way is a
   * `StoreUnreadableError`; any other SQLite failure (busy past the timeout,
   * read-only, disk full) a `StoreUnavailableError`; both name the file,
   * what the store was doing and what to do.
   */
  #use<T>(operation: StoreOperation, run: () => T): T {
    this.#checkOpen();
    try {
      return run();
    } catch (error) {
      throw storeFailure(this.file, operation, error);
    }
  }

  /** One prepared statement per query shape (at most sixteen). */
  #auditQuery(text: string): Statement {
    let statement = this.#auditQueries.get(text);
    if (statement === undefined) {
      statement = this.#db.prepare(text);
      this.#auditQueries.set(text, statement);
    }
    return statement;
  }

  #checkOpen(): void {
    if (this.#closed) throw new StoreClosedError(`LocalStore '${this.file}'`);
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false; // Missing or unreachable: opening it says why.
  }
}
