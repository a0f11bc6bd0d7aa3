import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { describe, it } from 'vitest';

// The project's one rule for tests that need a real Redis: they use
// REDIS_URL (default redis://127.0.0.1:6379). When it cannot be reached they
// are skipped with a one-line reason, except in CI (CI=true), where a missing
// Redis is a failure rather than a quietly smaller test run.

/** The Redis the tests use. */
export const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface RedisAvailability {
  readonly available: boolean;
  /** Why not, when not available. */
  readonly reason?: string;
}

/** How long the probe waits for Redis to answer, ms. */
const probeTimeout = 1_000;

// Probed once, when a test file first imports this module, so that
// `describeWithRedis` can decide while vitest collects the tests.
const availability = await ping();
let warned = false;

/** Whether `redisUrl` answered PING when the tests started. */
export async function redisAvailability(): Promise<RedisAvailability> {
  return availability;
}

/**
 * A key prefix no other run or test shares: `bw-test:PID:LABEL:UUID:`. Test
 * keys live in a Redis other runs use too, so nothing may be flushed.
 */
export function uniqueKeyPrefix(label: string): string {
  return `bw-test:${process.pid}:${label}:${randomUUID()}:`;
}

/**
 * `describe(name, fn)` when Redis is reachable. Otherwise skipped with one
 * warning, or in CI a suite with one failing test that gives the reason.
 */
export function describeWithRedis(name: string, fn: () => void): void {
  const { available, reason } = availability;
  if (available) {
    describe(name, fn);
  } else if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs a reachable Redis in CI', () => {
        throw new Error(`Redis is required in CI (CI=true): ${reason}`);
      });
    });
  } else {
    if (!warned) console.warn(`Skipping Redis tests: ${reason}`);
    warned = true;
    describe.skip(name, fn);
  }
}

/**
 * Deletes every key under `prefix`. SCAN is used here, in test cleanup only
 * and on a prefix unique to one store (the store itself never uses KEYS or
 * SCAN): tests create keys under names they do not all know in advance.
 */
export async function deleteKeysWithPrefix(prefix: string): Promise<void> {
  const client = new Redis(redisUrl, { maxRetriesPerRequest: 1, connectTimeout: probeTimeout });
  try {
    const match = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', match, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await client.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    await client.quit();
  }
}

async function ping(): Promise<RedisAvailability> {
  const client = new Redis(redisUrl, {
    lazyConnect: true,
    connectTimeout: probeTimeout,
    commandTimeout: probeTimeout,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // The connection error says more than connect()'s "Connection is closed".
  let lastError: Error | undefined;
  client.on('error', (error: Error) => {
    lastError = error;
  });
  try {
    await client.connect();
    await client.ping();
    return { available: true };
  } catch (error) {
    const detail = (lastError ?? (error as Error)).message;
    return { available: false, reason: `no Redis at ${redisUrl} (${detail})` };
  } finally {
    client.disconnect();
  }
}
