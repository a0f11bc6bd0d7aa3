import {
  type AuditAction,
  type AuditEntry,
  type AuditQuery,
  auditQueryLimit,
  ConfigError,
  type NewAuditEntry,
} from '@breakwater/core';
import { parseColumn } from './json-columns';

/** An `audit` row as SQLite returns it. */
export interface AuditRow {
  readonly id: number;
  readonly at: string;
  readonly actor_id: string;
  readonly actor_role: string;
  readonly action: string;
  readonly target: string;
  readonly before: string | null;
  readonly after: string | null;
  readonly outcome: string;
}

/** The parameters of the insert, in column order: at, at_ms, actor_id, actor_role, action, target, before, after, outcome. */
export const insertAuditSql =
  'INSERT INTO audit (at, at_ms, actor_id, actor_role, action, target, before, after, outcome) ' +
  'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)';

/** An entry as insert parameters. `undefined` before/after is stored as SQL NULL, `null` as JSON `null`. */
export function auditParams(entry: NewAuditEntry): unknown[] {
  const atMs = Date.parse(entry.at);
  if (typeof entry.at !== 'string' || !Number.isFinite(atMs)) {
    throw new ConfigError('entry.at', entry.at, 'an ISO 8601 time');
  }
  return [
    entry.at,
    atMs,
    entry.actor.id,
    entry.actor.role,
    entry.action,
    entry.target,
    JSON.stringify(entry.before) ?? null,
    JSON.stringify(entry.after) ?? null,
    entry.outcome,
  ];
}

/**
 * A query's SQL and parameters: newest (highest id) first, `service` matching
 * that target or `*`, `beforeId` the page below an id.
 */
export function auditQuerySql(query: AuditQuery): { sql: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (query.service !== undefined) {
    where.push("target IN (?, '*')");
    params.push(query.service);
  }
  if (query.since !== undefined) {
    where.push('at_ms >= ?');
    params.push(query.since);
  }
  if (query.until !== undefined) {
    where.push('at_ms < ?');
    params.push(query.until);
  }
  if (query.beforeId !== undefined) {
    // A range of the primary key: unfiltered, a page deep in the log is as cheap as the first.
    where.push('id < ?');
    params.push(query.beforeId);
  }
  params.push(auditQueryLimit(query));
  const filter = where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '';
  return { sql: `SELECT * FROM audit${filter} ORDER BY id DESC LIMIT ?`, params };
}

/** A row as an entry; a JSON column that does not parse names the row. */
export function auditEntryFromRow(row: AuditRow, file: string): AuditEntry {
  const where = `audit row ${row.id}`;
  return {
    id: row.id,
    at: row.at,
    actor: { id: row.actor_id, role: row.actor_role },
    action: row.action as AuditAction,
    target: row.target,
    before:
      row.before === null ? undefined : parseColumn(row.before, file, `${where}, column before`),
    after: row.after === null ? undefined : parseColumn(row.after, file, `${where}, column after`),
    outcome: row.outcome,
  };
}
