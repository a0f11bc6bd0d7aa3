import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  type AuditEntry,
  type AuditQuery,
  type BreakerRecord,
  ConfigError,
  checkPersistableOptions,
  isBreakwaterError,
  type NewAuditEntry,
  type PersistableOptions,
  type StateStore,
  StoreClosedError,
  StoreUnavailableError,
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
import { refuseUnreadable } from './store-unreadable-error';

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
  deleteOverride: 'DELETE FROM overrides WHERE service = ?',
  appendAudit: `${insertAuditSql} RETURNING *`,
} as const;

type Statements = { readonly [K in keyof typeof sql]: Statement };

/**
 * The embedded `StateStore`: one SQLite file (better-sqlite3) in WAL mode
 * with `synchronous = FULL`. Every write is one transaction, and its promise
 * resolves only after the commit reached the disk, so an acknowledged write
 * survives a crash or SIGKILL. Open with `await LocalStore.open(path)`.
 */
export class LocalStore implements StateStore {
  /** The store file, as given to {@link LocalStore.open}. */
  readonly file: string;
  readonly #db: Database.Database;
  readonly #statements: Statements;
  readonly #auditQueries = new Map<string, Statement>();
  #closed = false;

  private constructor(file: string, db: Database.Database) {
    this.file = file;
    this.#db = db;
    this.#statements = Object.fromEntries(
      Object.entries(sql).map(([name, text]) => [name, db.prepare(text)]),
    ) as unknown as Statements;
  }

  /**
   * Opens the store at `path`, creating the file (and its directory) with
   * the current schema when missing and migrating an older schema. A file
   * that is corrupt, is not a Breakwater store, or comes from a newer schema
   * version rejects with a `StoreUnreadableError` and is left untouched.
   */
  static async open(path: string): Promise<LocalStore> {
    if (typeof path !== 'string' || path.length === 0 || path === ':memory:') {
      throw new ConfigError('path', path, 'the path of a store file');
    }
    let db: Database.Database;
    try {
      mkdirSync(dirname(resolve(path)), { recursive: true });
      db = new Database(path, { timeout: busyTimeout });
    } catch (error) {
      throw unavailable(path, error, 'cannot open the file: ');
    }
    try {
      prepareSchema(db, path);
      return new LocalStore(path, db);
    } catch (error) {
      db.close();
      throw isBreakwaterError(error) ? error : unavailable(path, error);
    }
  }

  async loadBreakers(): Promise<BreakerRecord[]> {
    const rows = this.#use(() => this.#statements.loadBreakers.all() as BreakerRow[]);
    return rows.map((row) => breakerFromRow(row, this.file));
  }

  async saveBreaker(record: BreakerRecord): Promise<void> {
    if (typeof record?.name !== 'string' || record.name.length === 0)
      throw new ConfigError('record.name', record?.name, 'a breaker name');
    if (typeof record.version !== 'number' || !Number.isFinite(record.version))
      throw new ConfigError('record.version', record.version, 'a finite number');
    const json = JSON.stringify(record);
    this.#use(() => this.#statements.saveBreaker.run(record.name, record.version, json));
  }

  async loadOverrides(): Promise<Record<string, PersistableOptions>> {
    const rows = this.#use(() => this.#statements.loadOverrides.all() as OverrideRow[]);
    return Object.fromEntries(rows.map((row) => [row.service, overrideFromRow(row, this.file)]));
  }

  async saveOverride(service: string, options: PersistableOptions | null): Promise<void> {
    if (options === null) this.#use(() => this.#statements.deleteOverride.run(service));
    else {
      // Checked before writing: the store never keeps an override it would refuse to load.
      const json = JSON.stringify(checkPersistableOptions(options));
      this.#use(() => this.#statements.saveOverride.run(service, json));
    }
  }

  async appendAudit(entry: NewAuditEntry): Promise<AuditEntry> {
    const params = auditParams(entry);
    const row = this.#use(() => this.#statements.appendAudit.get(...params) as AuditRow);
    return auditEntryFromRow(row, this.file);
  }

  async queryAudit(query: AuditQuery = {}): Promise<AuditEntry[]> {
    const { sql: text, params } = auditQuerySql(query);
    const rows = this.#use(() => this.#auditQuery(text).all(...params) as AuditRow[]);
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
   * read-only, disk full) a `StoreUnavailableError`; both name the file.
   */
  #use<T>(run: () => T): T {
    this.#checkOpen();
    try {
      return refuseUnreadable(this.file, run);
    } catch (error) {
      throw isBreakwaterError(error) ? error : unavailable(this.file, error);
    }
  }

  /** One prepared statement per query shape (at most eight). */
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

function unavailable(file: string, error: unknown, context = ''): StoreUnavailableError {
  const reason = `${context}${error instanceof Error ? error.message : String(error)}`;
  return new StoreUnavailableError(`LocalStore '${file}'`, reason, { cause: error });
}
