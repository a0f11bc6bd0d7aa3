import { RedisStore } from '@breakwater/redis';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { describeWithRedis } from '../../../tests/support/redis';
import { serverClient, useRedisStores } from './support';

// Port 1 on loopback: nothing listens there, so every attempt is refused.
const unreachable = 'redis://127.0.0.1:1';

/** What `connect` rejects with, and how long it took, ms. */
async function failedConnect(url: string, connectTimeout: number) {
  const started = performance.now();
  const error = await RedisStore.connect({ url, connectTimeout }).then(
    () => undefined,
    (reason: unknown) => reason as Error,
  );
  return { error, elapsed: performance.now() - started };
}

describe('RedisStore.connect to a Redis that cannot be reached', () => {
  it('rejects once connectTimeout has passed, naming the URL, and does not hang', async () => {
    const { error, elapsed } = await failedConnect(unreachable, 300);
    expect(error).toBeInstanceOf(Error);
    expect(error?.message).toContain(unreachable);
    expect(error?.message).toMatch(/not ready within 300 ms/);
    expect(error?.message).toMatch(/ECONNREFUSED/);
    // Bounded by the timeout (plus scheduling slack), not by ioredis's retries.
    expect(elapsed).toBeLessThan(300 + 1_000);
  });

  it('rejects a Cluster that cannot be reached the same way, naming its seeds without passwords', async () => {
    const started = performance.now();
    const seeds = [unreachable, 'redis://:hunter2@127.0.0.1:2'];
    const error = await RedisStore.connect({ cluster: seeds, connectTimeout: 300 }).then(
      () => undefined,
      (reason: unknown) => reason as Error,
    );
    expect(error?.message).toMatch(
      /^Redis Cluster at redis:\/\/127\.0\.0\.1:1, redis:\/\/:\*\*\*@127\.0\.0\.1:2 is unavailable: not ready within 300 ms/,
    );
    expect(error?.message).not.toContain('hunter2');
    expect(performance.now() - started).toBeLessThan(300 + 1_000);
  });

  it('names the URL without its password', async () => {
    const { error } = await failedConnect('redis://:hunter2@127.0.0.1:1', 100);
    expect(error?.message).toContain('redis://:***@127.0.0.1:1');
    expect(error?.message).not.toContain('hunter2');
  });
});

describeWithRedis('a connected RedisStore', () => {
  const open = useRedisStores('connect');

  it('is ready when connect resolves, and exposes its client and key names', async () => {
    const store = await open();
    expect(store.redis.status).toBe('ready');
    expect(await store.redis.ping()).toBe('PONG');
    expect(store.keys.breaker('db').startsWith(store.keys.prefix)).toBe(true);
  });

  it('fails commands at once instead of queueing them while disconnected', async () => {
    const store = await open();
    // Stop reconnecting, then drop the socket: what a Redis outage looks like to this client.
    serverClient(store).options.retryStrategy = () => null;
    store.redis.disconnect();
    await expect(store.loadBreakers()).rejects.toThrow(/enableOfflineQueue|closed/i);
  });

  it('duplicate() gives a separate connection with the same settings, left open by close()', async () => {
    const store = await open();
    const other = store.duplicate();
    try {
      expect(other).not.toBe(store.redis);
      // Sent before the connection is ready: waits for it rather than failing.
      expect(await other.ping()).toBe('PONG');
      expect((other as Redis).options.commandTimeout).toBe(store.options.commandTimeout);
      expect((other as Redis).options.maxRetriesPerRequest).toBe(1);
      await store.close();
      expect(await other.ping()).toBe('PONG');
      expect(() => store.duplicate()).toThrow(/closed/);
    } finally {
      await other.quit();
    }
  });
});
