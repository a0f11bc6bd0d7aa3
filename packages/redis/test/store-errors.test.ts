import {
  ConfigError,
  isStoreClosedError,
  isStoreUnavailableError,
  Registry,
} from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { isStoredValueError, RedisStore, StoredValueError } from '@breakwater/redis';
import { describe, expect, it } from 'vitest';
import { describeWithRedis } from '../../../tests/support/redis';
import { nextEvent, serverClient, useRedisStores } from './support';

/** What `promise` rejects with (undefined when it resolves). */
function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
}

const validRecord = (name: string) => ({
  name,
  state: 'closed',
  stateSince: 0,
  version: 1,
  totals: {},
});

describe('RedisStore.connect to a Redis that cannot be reached', () => {
  it('rejects with a StoreUnavailableError naming the URL (password hidden), with the cause', async () => {
    const url = 'redis://:hunter2@127.0.0.1:1';
    const error = await rejection(RedisStore.connect({ url, connectTimeout: 100 }));
    expect(isStoreUnavailableError(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'BW_STORE_UNAVAILABLE',
      store: 'Redis at redis://:***@127.0.0.1:1',
      reason: expect.stringMatching(/not ready within 100 ms/),
    });
    expect((error as Error).cause).toBeInstanceOf(Error);
    expect(JSON.stringify(error)).not.toContain('hunter2');
  });
});

describeWithRedis('RedisStore errors', () => {
  const open = useRedisStores('errors');

  it('rejects a command while Redis is unreachable with a StoreUnavailableError carrying the Redis error', async () => {
    const store = await open();
    serverClient(store).options.retryStrategy = () => null;
    store.redis.disconnect();
    const error = await rejection(store.saveOverride('db', { failureThreshold: 2 }));
    expect(isStoreUnavailableError(error)).toBe(true);
    expect((error as Error).message).toMatch(/^Redis at redis:\/\/.+ is unavailable: /);
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  it('keeps its own errors as they are: a bad value is still a ConfigError', async () => {
    const store = await open();
    const error = await rejection(store.saveOverride('db', { failureThreshold: -1 }));
    expect(error).toBeInstanceOf(ConfigError);
  });

  it('rejects every call after close with a StoreClosedError; duplicate() throws one', async () => {
    const store = await open();
    await store.close();
    expect(isStoreClosedError(await rejection(store.loadOverrides()))).toBe(true);
    expect(isStoreClosedError(await rejection(store.restoreAuditLog()))).toBe(true);
    expect(() => store.duplicate()).toThrow(/RedisStore at redis:\/\/.+ is closed/);
  });

  describe('a key holding something Breakwater did not write', () => {
    async function storeHolding(name: string, record: string): Promise<RedisStore> {
      const store = await open();
      await store.redis.sadd(store.keys.breakerIndex, name);
      await store.redis.hset(store.keys.breaker(name), 'record', record);
      return store;
    }

    it('is a StoredValueError naming the key when it is not JSON', async () => {
      const store = await storeHolding('db', '{not json');
      const error = await rejection(store.loadBreakers());
      expect(error).toBeInstanceOf(StoredValueError);
      expect(error).toMatchObject({
        code: 'BW_INVALID_STORED_VALUE',
        key: store.keys.breaker('db'),
        field: undefined,
        reason: 'does not hold valid JSON',
      });
      expect((error as Error).cause).toBeInstanceOf(SyntaxError);
    });

    it("is a StoredValueError when it holds another breaker's record", async () => {
      const store = await storeHolding('db', JSON.stringify(validRecord('cache')));
      const error = await rejection(store.loadBreakers());
      expect(isStoredValueError(error)).toBe(true);
      expect((error as Error).message).toBe(
        `Redis key '${store.keys.breaker('db')}' holds another breaker ("cache")`,
      );
    });

    it('is a StoredValueError naming the hash field for an override that is not an object', async () => {
      const store = await open();
      await store.redis.hset(store.keys.overrides, 'db', '[3]');
      const error = await rejection(store.loadOverrides());
      expect(isStoredValueError(error)).toBe(true);
      expect(error).toMatchObject({ key: store.keys.overrides, field: 'db' });
      expect((error as Error).message).toMatch(/field 'db', does not hold an object of options/);
    });

    it('hands back an override as saved, for the registry to judge (an older version took bounds it breaks now)', async () => {
      const store = await open();
      await store.redis.hset(store.keys.overrides, 'db', '{"resetTimeout":9e15}');
      expect(await store.loadOverrides()).toEqual({ db: { resetTimeout: 9e15 } });
    });

    it('lets Registry.open in shared mode join, with that breaker out of step and named by its key', async () => {
      const store = await storeHolding('db', 'garbage');
      const warnings: string[] = [];
      const registry = await Registry.open({
        store: await open({
          keyPrefix: store.keys.prefix,
          onWarning: (line) => warnings.push(line),
        }),
        shared: true,
      });
      try {
        const reason = `Redis key '${store.keys.breaker('db')}' does not hold valid JSON`;
        expect(registry.sharingStatus()).toMatchObject({ mode: 'degraded', reason });
        expect(warnings).toEqual([expect.stringContaining(reason)]);
        // The breaker goes on alone, closed.
        expect(await registry.breaker('db').execute(() => Promise.resolve('ok'))).toBe('ok');
      } finally {
        await registry.close();
      }
    });

    // Written after the registry joined, so only a fleet script reads it: a refused
    // transition passes the stored value back as it is. Lua's JSON reader takes a hex
    // number, JSON.parse does not.
    it.each([
      ['is not JSON', '{"name":"db","state":"forced-open","n":0x10}', 'does not hold valid JSON'],
      [
        "is another breaker's record",
        '{"name":"cache","state":"forced-open","totals":{}}',
        'holds another breaker ("cache")',
      ],
    ])(
      'turns a shared registry degraded, naming the key, when a script passes back a value that %s',
      async (_, value, reason) => {
        const store = await open({ flushInterval: 60_000 });
        const registry = await Registry.open({
          store,
          shared: true,
          clock: new FakeClock(Date.now()),
          services: { db: { failureThreshold: 1 } },
        });
        try {
          const key = store.keys.breaker('db');
          await store.redis.hset(key, 'version', '7', 'record', value);
          const degraded = nextEvent(
            registry,
            'sharingChange',
            (event) => event.status.mode === 'degraded',
          );
          await registry
            .breaker('db')
            .execute(() => Promise.reject(new Error('down')))
            .catch(() => undefined);
          expect((await degraded).status.reason).toBe(`Redis key '${key}' ${reason}`);
          expect(registry.status().sharing).toMatchObject({ mode: 'degraded' });
          // The breaker goes on alone, on its own evidence.
          expect(registry.breaker('db').state).toBe('open');
        } finally {
          await registry.close();
        }
      },
    );
  });
});
