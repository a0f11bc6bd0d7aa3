import { type AuditEntry, type AuditQuery, auditQueryLimit, matchesQuery } from '@breakwater/core';
import type { RedisClient } from './redis-connection';
import { auditEntryFromStored } from './stored-values';

/** Entries read per round trip while a filter is looking for matches. */
const filteredPageSize = 200;

/**
 * Answers an audit query from the log (a sorted set scored by id): pages
 * newest first, filters in code with the same rules as `MemoryStore`, and
 * stops as soon as `limit` entries match. Without filters the first page is
 * the answer. Pages continue below the last id seen, so entries appended
 * meanwhile cannot shift a page and repeat an entry; `beforeId` starts them
 * below that id instead of at the newest.
 */
export async function queryAuditLog(
  client: RedisClient,
  logKey: string,
  query: AuditQuery,
): Promise<AuditEntry[]> {
  const limit = auditQueryLimit(query);
  if (limit === 0) return [];
  const filtered =
    query.service !== undefined || query.since !== undefined || query.until !== undefined;
  const pageSize = filtered ? Math.max(limit, filteredPageSize) : limit;

  const matches: AuditEntry[] = [];
  // `(id`: scores strictly below it, so a page deep in the log costs no more than the first.
  let below = query.beforeId === undefined ? '+inf' : `(${query.beforeId}`;
  for (;;) {
    const page = await client.zrange(logKey, below, '-inf', 'BYSCORE', 'REV', 'LIMIT', 0, pageSize);
    for (const text of page) {
      const entry = auditEntryFromStored(text, logKey);
      below = `(${entry.id}`;
      if (matchesQuery(entry, query)) matches.push(entry);
      if (matches.length === limit) return matches;
    }
    if (page.length < pageSize) return matches;
  }
}
