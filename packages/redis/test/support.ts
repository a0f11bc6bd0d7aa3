import type { Registry, RegistryEvents } from '@breakwater/core';
import { RedisStore, type RedisStoreOptions } from '@breakwater/redis';
import type { Redis } from 'ioredis';
import { afterEach } from 'vitest';
import { deleteKeysWithPrefix, redisUrl, uniqueKeyPrefix } from '../../../tests/support/redis';

/**
 * Opens stores on the test Redis, each under a key prefix of its own; after
 * each test closes them and deletes their keys.
 */
export function useRedisStores(
  label: string,
): (options?: RedisStoreOptions) => Promise<RedisStore> {
  const opened: RedisStore[] = [];
  afterEach(async () => {
    const stores = opened.splice(0);
    await Promise.all(stores.map((store) => store.close()));
    await Promise.all(stores.map((store) => deleteKeysWithPrefix(store.keys.prefix)));
  });
  return async (options = {}) => {
    const store = await RedisStore.connect({
      url: redisUrl,
      keyPrefix: uniqueKeyPrefix(label),
      ...options,
    });
    opened.push(store);
    return store;
  };
}

/** The store's client, which these tests open on one server (not a Cluster). */
export function serverClient(store: RedisStore): Redis {
  if (store.redis.isCluster) throw new Error('expected a store on one server, not on a Cluster');
  return store.redis as Redis;
}

/** How many connections listen on `channel` of the server `client` is connected to. */
export async function listenersOn(client: Redis, channel: string): Promise<number> {
  const [, count] = (await client.pubsub('NUMSUB', channel)) as [string, number];
  return Number(count);
}

/** Resolves with the next event of `type` that `match` accepts. */
export function nextEvent<K extends keyof RegistryEvents>(
  registry: Registry,
  type: K,
  match: (event: RegistryEvents[K]) => boolean = () => true,
): Promise<RegistryEvents[K]> {
  return new Promise((resolve) => {
    const stop = registry.on(type, (event) => {
      if (!match(event)) return;
      stop();
      resolve(event);
    });
  });
}

/**
 * Polls `read` every 10 ms until it gives a value that is not `undefined`
 * (or `false`) — an effect that crosses a connection or a process, not a
 * wait for time — and fails after `tries` reads (about 3 s by default).
 */
export async function eventually<T>(
  read: () => T | undefined | false,
  tries = 300,
): Promise<Exclude<T, false>> {
  for (let attempt = 0; attempt < tries; attempt++) {
    const value = read();
    if (value !== undefined && value !== false) return value as Exclude<T, false>;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`the condition did not come true within ${tries} reads, 10 ms apart`);
}
