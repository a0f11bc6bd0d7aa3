import type { NewAuditEntry } from '@breakwater/core';
import { RedisStore } from '@breakwater/redis';
import { afterEach, describe, expect, it } from 'vitest';
import {
  describeWithRedisServer,
  type PrivateRedis,
  startPrivateRedis,
} from '../../../tests/support/redis-server';
import { AuditJournal, journalSize } from '../src/audit-journal';

const entry = (seconds: number): NewAuditEntry => ({
  at: new Date(Date.UTC(2026, 0, 1, 0, 0, seconds)).toISOString(),
  actor: { id: 'alice', role: 'admin' },
  action: 'force-open',
  target: 'market-data',
  before: 'closed',
  after: 'forced-open',
  outcome: 'ok',
});

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Polls `read` (bounded) until `done` accepts its value: waiting for a reconnect, not for time. */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  let value = await read().catch(() => undefined);
  for (let tries = 0; (value === undefined || !done(value)) && tries < 500; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    value = await read().catch(() => undefined);
  }
  if (value === undefined) throw new Error('never read');
  return value;
}

describeWithRedisServer('the audit journal', () => {
  it('puts acknowledged entries back, under their ids, when Redis returns empty', async () => {
    const redis: PrivateRedis = await startPrivateRedis();
    cleanups.push(() => redis.stop());
    const store = await RedisStore.connect({ url: redis.url, keyPrefix: 'journal:' });
    cleanups.push(() => store.close());
    const acknowledged = [];
    for (const second of [1, 2, 3]) acknowledged.push(await store.appendAudit(entry(second)));

    await redis.restart(); // nothing on disk: the log is gone
    const restored = await until(
      () => store.queryAudit(),
      (entries) => entries.length === 3,
    );
    expect(restored).toEqual([...acknowledged].reverse());
    // The sequence moved past them: no id is handed out twice.
    expect((await store.appendAudit(entry(4))).id).toBe(4);
  });

  it('puts back only what the audit retention keeps', async () => {
    const redis: PrivateRedis = await startPrivateRedis();
    cleanups.push(() => redis.stop());
    const auditRetention = { maxEntries: 2, maxAgeDays: 1 };
    const store = await RedisStore.connect({
      url: redis.url,
      keyPrefix: 'journal:',
      auditRetention,
    });
    cleanups.push(() => store.close());
    const acknowledged = [];
    for (const second of [1, 2, 3]) acknowledged.push(await store.appendAudit(entry(second)));
    const day = 86_400;
    // An entry a day and more older than the newest ages out, of the log and the journal alike.
    const newest = await store.appendAudit(entry(3 + day + 1));
    expect(await store.queryAudit()).toEqual([newest]);

    await redis.restart();
    const restored = await until(
      () => store.queryAudit(),
      (entries) => entries.length > 0,
    );
    expect(restored).toEqual([newest]);
    expect(acknowledged.map((kept) => kept.id)).toEqual([1, 2, 3]);
  });

  it('never writes over an entry the log holds', async () => {
    const redis: PrivateRedis = await startPrivateRedis();
    cleanups.push(() => redis.stop());
    const store = await RedisStore.connect({ url: redis.url, keyPrefix: 'journal:' });
    cleanups.push(() => store.close());
    const first = await store.appendAudit(entry(1));
    expect(await store.restoreAuditLog()).toBe(0);
    expect(await store.queryAudit()).toEqual([first]);
  });
});

describe('AuditJournal', () => {
  const at = (seconds: number) => Date.UTC(2026, 0, 1) + seconds * 1000;

  it('holds at most the retention maxEntries, and never more than 10 000', () => {
    const small = new AuditJournal({ maxEntries: 3, maxAgeDays: 90 });
    for (let id = 1; id <= 10; id++) small.remember(id, `{"id":${id}}`, at(id));
    expect(small.size).toBe(3);
    const large = new AuditJournal({ maxEntries: 1_000_000, maxAgeDays: 90 });
    for (let id = 1; id <= journalSize + 5; id++) large.remember(id, `{"id":${id}}`, at(id));
    expect(large.size).toBe(journalSize);
  });

  it('drops entries more than maxAgeDays older than the newest', () => {
    const journal = new AuditJournal({ maxEntries: 100, maxAgeDays: 1 });
    journal.remember(1, '{"id":1}', at(0));
    journal.remember(2, '{"id":2}', at(86_400));
    expect(journal.size).toBe(2);
    journal.remember(3, '{"id":3}', at(86_401));
    expect(journal.size).toBe(2);
  });
});
