import { LocalStore } from '@breakwater/store-local';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { auditQuerySql } from '../src/audit-queries';
import { useTempDirectory } from './support';

const path = useTempDirectory();

describe('LocalStore audit pages (beforeId)', () => {
  it('asks SQLite for the rows below the id, with the other filters', () => {
    expect(auditQuerySql({ service: 'db', beforeId: 42, limit: 10 })).toEqual({
      sql: "SELECT * FROM audit WHERE target IN (?, '*') AND id < ? ORDER BY id DESC LIMIT ?",
      params: ['db', 42, 10],
    });
  });

  it('reads a page deep in the log as a range of the primary key, not a scan and a sort', async () => {
    const file = path('state.db');
    const store = await LocalStore.open(file);
    await store.close();
    const db = new Database(file, { readonly: true });
    try {
      const { sql } = auditQuerySql({ beforeId: 5_000, limit: 200 });
      const plan = db
        .prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .all(5_000, 200)
        .map((step) => (step as { detail: string }).detail);
      expect(plan).toEqual(['SEARCH audit USING INTEGER PRIMARY KEY (rowid<?)']);
    } finally {
      db.close();
    }
  });
});
