import {
  type AuditEntry,
  MemoryStore,
  type NewAuditEntry,
  Registry,
  StoreClosedError,
  StoreUnavailableError,
} from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { RedisStore, StoredValueError } from '@breakwater/redis';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  describeWithRedisServer,
  type PrivateRedis,
  startPrivateRedis,
} from '../../../../tests/support/redis-server';
import { createAuthenticator, createHttpApi } from '../../src/index';
import { bearer, token } from './fixture';

interface ErrorJson {
  error: { code: string; message: string; store?: string };
}

const authenticator = createAuthenticator(
  { algorithm: 'HS256' },
  { BREAKWATER_JWT_SECRET: 'http-test-secret-that-is-long-enough-42' },
);

/** What every admin route answers, for an API over `registry`. */
async function adminAnswers(registry: Registry) {
  const app = createHttpApi({ registry, authenticator, log: () => {} });
  const admin = { ...bearer(await token('ada', 'admin')), 'content-type': 'application/json' };
  const requests = [
    ['POST', '/api/circuit-breakers/payments/reset'],
    ['POST', '/api/circuit-breakers/payments/force-open'],
    ['POST', '/api/circuit-breakers/reset'],
    ['PATCH', '/api/circuit-breakers/payments/config', '{"failureThreshold":3}'],
    ['GET', '/api/audit'],
  ] as const;
  const answers: { route: string; status: number; body: ErrorJson }[] = [];
  for (const [method, path, body] of requests) {
    const response = await app.request(path, { method, headers: admin, body });
    answers.push({
      route: `${method} ${path}`,
      status: response.status,
      body: (await response.json()) as ErrorJson,
    });
  }
  return answers;
}

/** An application's own audit store on ioredis, that lets the client's errors through as they are. */
class RawRedisAuditStore extends MemoryStore {
  constructor(readonly redis: Redis) {
    super();
  }
  override async appendAudit(entry: NewAuditEntry): Promise<AuditEntry> {
    await this.redis.rpush('audit', JSON.stringify(entry));
    return super.appendAudit(entry);
  }
  override async queryAudit(): Promise<AuditEntry[]> {
    const entries = await this.redis.lrange('audit', 0, -1);
    return entries.map((entry) => JSON.parse(entry) as AuditEntry);
  }
}

/** A store whose audit log rejects with `error`. */
class FailingAuditStore extends MemoryStore {
  constructor(readonly error: Error) {
    super();
  }
  override appendAudit(): Promise<AuditEntry> {
    return Promise.reject(this.error);
  }
  override queryAudit(): Promise<AuditEntry[]> {
    return Promise.reject(this.error);
  }
}

async function registryOn(store: MemoryStore) {
  return Registry.open({ store, clock: new FakeClock(), services: { payments: {} } });
}

describe('admin routes while the store is out of reach', () => {
  it.each([
    ['a Redis client error as it is', new Error('Connection is closed.')],
    [
      "ioredis' retry limit",
      Object.assign(new Error('Reached the max retries per request limit (which is 1).'), {
        name: 'MaxRetriesPerRequestError',
      }),
    ],
    ['a command timeout', new Error('Command timed out')],
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' }),
    ],
    [
      'a Redis still loading its data',
      Object.assign(new Error('LOADING Redis is loading the dataset in memory'), {
        name: 'ReplyError',
      }),
    ],
    [
      'a wrapped StoreUnavailableError',
      new Error('audit failed', {
        cause: new StoreUnavailableError('Redis at redis://cache:6379', 'Connection is closed.'),
      }),
    ],
  ])('answer 503 BW_STORE_UNAVAILABLE naming the store for %s', async (_, error) => {
    const registry = await registryOn(new FailingAuditStore(error));
    for (const answer of await adminAnswers(registry)) {
      expect(answer.status, answer.route).toBe(503);
      expect(answer.body.error.code).toBe('BW_STORE_UNAVAILABLE');
      expect(answer.body.error.store).toMatch(/Redis/);
      expect(answer.body.error.message).toMatch(
        /^(The state store \(Redis\)|Redis at redis:\/\/cache:6379) is unavailable: /,
      );
    }
  });

  it('answer 503 naming a store that was closed under the monitor', async () => {
    const registry = await registryOn(
      new FailingAuditStore(new StoreClosedError("LocalStore '/var/lib/bw.db'")),
    );
    const [reset] = await adminAnswers(registry);
    expect(reset).toMatchObject({
      status: 503,
      body: {
        error: {
          code: 'BW_STORE_UNAVAILABLE',
          store: "LocalStore '/var/lib/bw.db'",
          message:
            "LocalStore '/var/lib/bw.db' is closed: the monitor is shutting down. Retry on a running instance.",
        },
      },
    });
  });

  it('answer 500 with the code and message of any other Breakwater error, which name what failed', async () => {
    const error = new StoredValueError('breakwater:audit', 'does not hold valid JSON');
    const registry = await registryOn(new FailingAuditStore(error));
    const app = createHttpApi({ registry, authenticator, log: () => {} });
    const response = await app.request('/api/audit', {
      headers: bearer(await token('ada', 'admin')),
    });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({
      error: {
        code: 'BW_INVALID_STORED_VALUE',
        message: "Redis key 'breakwater:audit' does not hold valid JSON",
      },
    });
  });
});

describeWithRedisServer('admin routes while Redis is down', () => {
  let redis: PrivateRedis;
  beforeAll(async () => {
    redis = await startPrivateRedis();
  });
  afterAll(async () => {
    await redis.stop();
  });

  it('answer 503 naming Redis, from the Redis store (alone and shared) and from a store of raw ioredis calls', async () => {
    const client = new Redis(redis.url, {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      lazyConnect: false,
    });
    client.on('error', () => {});
    await new Promise((resolve) => client.once('ready', resolve));
    const stores = [
      { store: await RedisStore.connect({ url: redis.url, keyPrefix: 'alone:' }), shared: false },
      { store: await RedisStore.connect({ url: redis.url, keyPrefix: 'fleet:' }), shared: true },
    ];
    const registries = [
      ...(await Promise.all(
        stores.map(({ store, shared }) =>
          Registry.open({ store, shared, clock: new FakeClock(), services: { payments: {} } }),
        ),
      )),
      await registryOn(new RawRedisAuditStore(client)),
    ];
    await redis.kill();
    try {
      for (const [index, registry] of registries.entries()) {
        for (const answer of await adminAnswers(registry)) {
          expect(answer.status, `${answer.route} on registry ${index}`).toBe(503);
          expect(answer.body.error).toMatchObject({ code: 'BW_STORE_UNAVAILABLE' });
          expect(answer.body.error.message).toMatch(
            /^(Redis at redis:\/\/127\.0\.0\.1:\d+|The state store \(Redis\)) is unavailable: /,
          );
        }
      }
    } finally {
      await redis.restart();
      for (const registry of registries) await registry.close().catch(() => {});
      for (const { store } of stores) await store.close();
      client.disconnect();
    }
  });
});
