import { StoreUnavailableError } from '@breakwater/core';
import { type Cluster, Redis, type RedisOptions } from 'ioredis';
import type { ResolvedRedisStoreOptions } from './redis-store-options';

/** A connection to one server or to a Cluster: the store works the same on both. */
export type RedisClient = Redis | Cluster;

/** Whether `client` is a Cluster client (ioredis marks both kinds, across copies of the package). */
export function isCluster(client: RedisClient): client is Cluster {
  return client.isCluster;
}

/** Longest pause between two reconnect attempts, ms. */
const maxReconnectDelay = 2_000;

/**
 * ioredis settings chosen so that Redis never blocks a caller: a command
 * waits at most `commandTimeout` for its reply, is retried over at most one
 * reconnect, and (once connected) fails at once while the connection is down
 * instead of piling up in the offline queue.
 */
export function connectionSettings(options: ResolvedRedisStoreOptions): RedisOptions {
  return {
    lazyConnect: false,
    connectTimeout: options.connectTimeout,
    commandTimeout: options.commandTimeout,
    maxRetriesPerRequest: 1,
    // Queued only until the first `ready`; see `failFastOnceReady`.
    enableOfflineQueue: true,
    // A command whose reply was lost may have run: resending could append an
    // audit entry twice, so it rejects and the caller decides.
    autoResendUnfulfilledCommands: false,
    retryStrategy: reconnectDelay,
    connectionName: 'breakwater',
  };
}

/** Exponential backoff from 50 ms, capped, with jitter so a fleet does not reconnect in step. */
export function reconnectDelay(attempt: number): number {
  const backoff = Math.min(50 * 2 ** Math.max(attempt - 1, 0), maxReconnectDelay);
  return backoff + Math.floor(Math.random() * 50);
}

/**
 * A new client for `url`, connecting at once. Commands sent before its first
 * `ready` wait in the offline queue (bounded by `maxRetriesPerRequest`);
 * after it they fail fast while the connection is down.
 */
export function createClient(url: string, settings: RedisOptions): Redis {
  return prepareClient(new Redis(url, settings));
}

/** Applies the policies every client of the store needs (also to duplicates). */
export function prepareClient<C extends RedisClient>(client: C): C {
  // Each failed command rejects with its own error, so the caller already
  // hears of every failure; without a listener ioredis would print each
  // reconnect failure to the console.
  client.on('error', ignore);
  client.once('ready', () => {
    client.options.enableOfflineQueue = false;
  });
  return client;
}

/**
 * Resolves once `client` is ready. Rejects with a `StoreUnavailableError`,
 * and disconnects the client, when it is not ready within `timeout` ms or
 * gives up reconnecting; the message names `target` (see `describeRedis`)
 * and the last connection error.
 */
export function whenReady<C extends RedisClient>(
  client: C,
  target: string,
  timeout: number,
): Promise<C> {
  if (client.status === 'ready') return Promise.resolve(client);
  return new Promise((resolve, reject) => {
    let lastError: Error | undefined;
    const onError = (error: Error) => {
      lastError = error;
    };
    const onReady = () => {
      cleanup();
      resolve(client);
    };
    const fail = (why: string) => {
      cleanup();
      client.disconnect();
      const detail = lastError === undefined ? '' : ` (${lastError.message})`;
      reject(new StoreUnavailableError(target, `${why}${detail}`, { cause: lastError }));
    };
    const onEnd = () => fail('the connection was closed');
    const timer = setTimeout(() => fail(`not ready within ${timeout} ms`), timeout);
    function cleanup(): void {
      clearTimeout(timer);
      client.off('error', onError);
      client.off('ready', onReady);
      client.off('end', onEnd);
    }
    client.on('error', onError);
    client.once('ready', onReady);
    client.once('end', onEnd);
  });
}

/** Quits politely; when Redis cannot answer (down, or already closed), drops the socket. */
export async function closeClient(client: RedisClient): Promise<void> {
  if (client.status === 'end') return;
  try {
    await client.quit();
  } catch {
    client.disconnect();
  }
}

function ignore(): void {}
