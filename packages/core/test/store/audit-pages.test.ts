import {
  type AuditEntry,
  auditQueryLimit,
  ConfigError,
  MemoryStore,
  matchesQuery,
  type NewAuditEntry,
} from '@breakwater/core';
import { describe, expect, it } from 'vitest';

const newEntry: NewAuditEntry = {
  at: '2026-01-01T00:00:00.000Z',
  actor: { id: 'alice', role: 'admin' },
  action: 'reset',
  target: 'db',
  before: 'open',
  after: 'closed',
  outcome: 'ok',
};
const entry: AuditEntry = { ...newEntry, id: 7 };

describe('beforeId in an audit query', () => {
  it('keeps only entries whose id is below it', () => {
    expect(matchesQuery(entry, { beforeId: 8 })).toBe(true);
    expect(matchesQuery(entry, { beforeId: 7 })).toBe(false);
    expect(matchesQuery(entry, { beforeId: 8, service: 'cache' })).toBe(false);
  });

  it('is refused unless an integer >= 1, with a ConfigError naming beforeId', () => {
    for (const beforeId of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '9']) {
      const query = { beforeId } as unknown as { beforeId: number };
      expect(() => auditQueryLimit(query), String(beforeId)).toThrow(ConfigError);
      expect(() => auditQueryLimit(query)).toThrow(/'beforeId'/);
    }
    expect(auditQueryLimit({ beforeId: 1, limit: 5 })).toBe(5);
  });

  it('pages a MemoryStore log that has pruned and compacted its oldest entries', async () => {
    const store = new MemoryStore({ auditRetention: { maxEntries: 30 } });
    for (let second = 0; second < 100; second++) {
      await store.appendAudit({
        ...newEntry,
        at: new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString(),
      });
    }
    const read: number[] = [];
    let beforeId: number | undefined;
    for (let page = 0; page < 10; page++) {
      const entries = await store.queryAudit({ limit: 7, beforeId });
      read.push(...entries.map(({ id }) => id));
      if (entries.length < 7) break;
      beforeId = entries.at(-1)?.id;
    }
    expect(read).toEqual(Array.from({ length: 30 }, (_, index) => 100 - index));
  });
});
