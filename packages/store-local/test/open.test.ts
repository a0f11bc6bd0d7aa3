import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { isBreakwaterError, isConfigError } from '@breakwater/core';
import {
  applicationId,
  isStoreUnreadableError,
  LocalStore,
  StoreUnreadableError,
  schemaVersion,
} from '@breakwater/store-local';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { useTempDirectory } from './support';

const path = useTempDirectory();

/** Opens `file` expecting a StoreUnreadableError; returns it. */
async function refused(file: string): Promise<StoreUnreadableError> {
  const error = await LocalStore.open(file).then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(isStoreUnreadableError(error)).toBe(true);
  return error as StoreUnreadableError;
}

/** A closed, current store at `file` (fully checkpointed: one file, no WAL). */
async function storeAt(file: string): Promise<void> {
  const store = await LocalStore.open(file);
  await store.saveOverride('market-data', { failureThreshold: 3 });
  await store.close();
}

describe('LocalStore.open on a new path', () => {
  it('creates the missing directories and the current schema, in WAL mode', async () => {
    const file = path('nested/deeper/state.db');
    const store = await LocalStore.open(file);
    await store.close();

    const db = new Database(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(schemaVersion);
    expect(db.pragma('application_id', { simple: true })).toBe(applicationId);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
      .pluck()
      .all();
    expect(tables).toEqual(expect.arrayContaining(['audit', 'breakers', 'overrides']));
    db.close();
  });

  it('makes a store of an empty file', async () => {
    const file = path('empty.db');
    writeFileSync(file, '');
    const store = await LocalStore.open(file);
    expect(await store.loadBreakers()).toEqual([]);
    await store.close();
  });

  it('opens an existing store again with its data', async () => {
    const file = path('state.db');
    await storeAt(file);
    const store = await LocalStore.open(file);
    expect(await store.loadOverrides()).toEqual({ 'market-data': { failureThreshold: 3 } });
    await store.close();
  });

  it('refuses a path that cannot name a store file', async () => {
    const error = await LocalStore.open(':memory:').catch((reason: unknown) => reason);
    expect(isConfigError(error)).toBe(true);
  });
});

describe('LocalStore.open on a file it cannot use', () => {
  it('refuses a store from a newer schema version, naming the file, and leaves it unchanged', async () => {
    const file = path('newer.db');
    await storeAt(file);
    const db = new Database(file);
    db.pragma(`user_version = ${schemaVersion + 1}`);
    db.close();
    const bytes = readFileSync(file);

    const error = await refused(file);
    expect(error).toBeInstanceOf(StoreUnreadableError);
    expect(error.code).toBe('BW_STORE_UNREADABLE');
    expect(error.file).toBe(file);
    expect(error.reason).toMatch(/newer version of Breakwater \(schema version 2/);
    expect(error.message).toContain(`'${file}'`);
    expect(error.message).toContain('was not modified');
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it('refuses a file that is not a database and leaves it unchanged', async () => {
    const file = path('notes.db');
    writeFileSync(file, 'these are my notes, not a database\n'.repeat(200));
    const bytes = readFileSync(file);

    const error = await refused(file);
    expect(isBreakwaterError(error)).toBe(true);
    expect(error.file).toBe(file);
    expect(error.reason).toMatch(/not an SQLite database/);
    expect(readFileSync(file).equals(bytes)).toBe(true);
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('refuses an SQLite database without our tables and leaves it unchanged', async () => {
    const file = path('other-app.db');
    const db = new Database(file);
    db.exec(
      "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT); INSERT INTO users VALUES (1, 'a@b.c')",
    );
    db.close();
    const bytes = readFileSync(file);

    const error = await refused(file);
    expect(error.reason).toMatch(/not a Breakwater store .*tables: users/);
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it('refuses a store that lost one of its tables', async () => {
    const file = path('damaged.db');
    await storeAt(file);
    const db = new Database(file);
    db.exec('DROP TABLE overrides');
    db.close();
    const error = await refused(file);
    expect(error.reason).toBe("its table 'overrides' is missing");
  });

  it('refuses a store whose pages are damaged and leaves it unchanged', async () => {
    const file = path('corrupt.db');
    const store = await LocalStore.open(file);
    for (let index = 0; index < 300; index++) {
      await store.appendAudit({
        at: new Date(Date.UTC(2026, 0, 1, 0, 0, index)).toISOString(),
        actor: { id: 'ops', role: 'admin' },
        action: 'configure',
        target: `service-${index % 7}`,
        before: { failureThreshold: 5, note: 'x'.repeat(200) },
        after: { failureThreshold: 4 },
        outcome: 'ok',
      });
    }
    await store.close();
    const damaged = readFileSync(file);
    damaged.fill(0x5a, 4096 * 3, 4096 * 5); // two pages of the audit table
    writeFileSync(file, damaged);

    const error = await refused(file);
    expect(error.reason).toMatch(/^it is corrupt/);
    expect(readFileSync(file).equals(damaged)).toBe(true);
  });
});

describe('LocalStore rows it cannot read', () => {
  /** A store at `file` with one row changed behind its back by `sql`. */
  async function tampered(sql: string): Promise<LocalStore> {
    const file = path('tampered.db');
    const store = await LocalStore.open(file);
    await store.saveBreaker({
      name: 'db',
      version: 1,
      state: 'closed',
      stateSince: 0,
      openUntil: null,
      recoveryAttempts: 0,
      failedRecoveries: 0,
      lastRecoveryAttempt: null,
      lastFailureTime: null,
      totals: { attempts: 0, successes: 0, failures: 0, ignored: 0, rejected: 0, timeouts: 0 },
    });
    await store.saveOverride('db', { failureThreshold: 2 });
    await store.appendAudit({
      at: '2026-01-01T00:00:00.000Z',
      actor: { id: 'ops', role: 'admin' },
      action: 'reset',
      target: 'db',
      before: 'open',
      after: 'closed',
      outcome: 'ok',
    });
    await store.close();
    const db = new Database(file);
    db.exec(sql);
    db.close();
    return LocalStore.open(file);
  }

  it('names the file and the row of a breaker record that is not JSON', async () => {
    const store = await tampered('UPDATE breakers SET record = \'{"name": "db", trunc\'');
    const error = await store.loadBreakers().catch((reason: unknown) => reason);
    expect(isStoreUnreadableError(error)).toBe(true);
    expect((error as StoreUnreadableError).message).toContain('tampered.db');
    expect((error as StoreUnreadableError).reason).toBe(
      "breakers row 'db' does not hold valid JSON",
    );
    await store.close();
  });

  it('names the row of a record that belongs to another breaker or version', async () => {
    const store = await tampered('UPDATE breakers SET version = 7');
    await expect(store.loadBreakers()).rejects.toThrow(
      "breakers row 'db' has version 1, not the row's 7",
    );
    await store.close();
  });

  it('names the row of an override that is not an object of options', async () => {
    const store = await tampered(`UPDATE overrides SET options = '[3]'`);
    await expect(store.loadOverrides()).rejects.toThrow(
      "overrides row 'db' does not hold an object of options",
    );
    await store.close();
  });

  it('hands back an override as saved, for the registry to judge (an older version took bounds it breaks now)', async () => {
    const store = await tampered(`UPDATE overrides SET options = '{"resetTimeout": 9e15}'`);
    expect(await store.loadOverrides()).toEqual({ db: { resetTimeout: 9e15 } });
    await store.close();
  });

  it('names the audit row whose before/after is not JSON', async () => {
    const store = await tampered("UPDATE audit SET after = 'closed'");
    await expect(store.queryAudit()).rejects.toThrow(
      /audit row 1, column after does not hold valid JSON/,
    );
    await store.close();
  });
});

describe('LocalStore input checks', () => {
  it('refuses an invalid override before writing it', async () => {
    const store = await LocalStore.open(path('state.db'));
    const error = await store
      .saveOverride('db', { failureThreshold: 0 })
      .catch((reason: unknown) => reason);
    expect(isConfigError(error)).toBe(true);
    expect(await store.loadOverrides()).toEqual({});
    await store.close();
  });

  it('refuses an audit entry whose time is not ISO 8601, and a bad query limit', async () => {
    const store = await LocalStore.open(path('state.db'));
    const entry = {
      at: 'yesterday',
      actor: { id: 'ops', role: 'admin' },
      action: 'reset' as const,
      target: 'db',
      before: 'open',
      after: 'closed',
      outcome: 'ok',
    };
    await expect(store.appendAudit(entry)).rejects.toThrow(/'entry.at': "yesterday"/);
    await expect(store.queryAudit({ limit: -1 })).rejects.toThrow(/'limit': -1/);
    await store.close();
  });
});
