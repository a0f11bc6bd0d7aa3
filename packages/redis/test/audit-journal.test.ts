import type { NewAuditEntry } from '@breakwater/core';
import { RedisStore } from '@breakwater/redis';
import { afterEach, expect, it } from 'vitest';
import {
  describeWithRedisServer,
  type PrivateRedis,
  startPrivateRedis,
} from '../../../tests/support/redis-server';

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
