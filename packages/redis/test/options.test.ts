import { type ConfigError, isConfigError } from '@breakwater/core';
import { defaultKeyPrefix, defaultRedisUrl, RedisStore } from '@breakwater/redis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveRedisStoreOptions } from '../src/redis-store-options';
import { consoleWarning } from '../src/shared/warning-log';

/** What `connect` rejects with for `options` (validation happens before any connection). */
async function refusal(options: unknown): Promise<ConfigError> {
  const error = await RedisStore.connect(options as never).then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(isConfigError(error)).toBe(true);
  return error as ConfigError;
}

describe('RedisStore.connect options', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it.each([
    ['url', 42],
    ['url', ''],
    ['url', 'not a url'],
    ['url', 'http://127.0.0.1:6379'],
    ['keyPrefix', ''],
    ['keyPrefix', 7],
    ['keyPrefix', 'bw{tag}:'],
    ['keyPrefix', 'has space:'],
    ['connectTimeout', 0],
    ['connectTimeout', 1.5],
    ['connectTimeout', '2000'],
    ['commandTimeout', -1],
    ['commandTimeout', Number.POSITIVE_INFINITY],
    ['flushInterval', 0],
    ['flushBatchSize', 2.5],
    ['permitLease', '10s'],
    ['sharedWindow', -60_000],
    ['onWarning', 'console'],
  ])('rejects %s = %j with a ConfigError naming the option', async (option, value) => {
    const error = await refusal({ [option]: value });
    expect(error.option).toBe(option);
    expect(error.message).toContain(`'${option}'`);
  });

  it('rejects an unknown option, naming it', async () => {
    const error = await refusal({ prefix: 'bw:' });
    expect(error.option).toBe('prefix');
    expect(error.message).toContain('keyPrefix');
  });

  it('rejects options that are not an object', async () => {
    expect((await refusal('redis://127.0.0.1')).option).toBe('options');
  });

  it('hides the password of a bad URL in the error', async () => {
    const error = await refusal({ url: 'http://user:hunter2@127.0.0.1:6379' });
    expect(error.message).not.toContain('hunter2');
    expect(error.message).toContain('***');
  });

  it('defaults: REDIS_URL or the local Redis, prefix breakwater:, 2000 ms to connect, 1000 ms per command, shared-mode timings', () => {
    vi.stubEnv('REDIS_URL', undefined);
    expect(resolveRedisStoreOptions()).toEqual({
      url: defaultRedisUrl,
      cluster: null,
      keyPrefix: defaultKeyPrefix,
      connectTimeout: 2_000,
      commandTimeout: 1_000,
      flushInterval: 200,
      flushBatchSize: 20,
      permitLease: 10_000,
      sharedWindow: 60_000,
      onWarning: consoleWarning,
      auditRetention: { maxEntries: 100_000, maxAgeDays: 90 },
    });
    expect(defaultRedisUrl).toBe('redis://127.0.0.1:6379');
    expect(defaultKeyPrefix).toBe('breakwater:');

    vi.stubEnv('REDIS_URL', 'rediss://cache.internal:6380/2');
    expect(resolveRedisStoreOptions({}).url).toBe('rediss://cache.internal:6380/2');
    expect(resolveRedisStoreOptions({ url: 'redis://other:1' }).url).toBe('redis://other:1');
  });

  it.each([
    [[], 'cluster'],
    ['redis://127.0.0.1:7000', 'cluster'],
    [['redis://127.0.0.1:7000', 'http://127.0.0.1:7001'], 'cluster[1]'],
    [['redis://127.0.0.1:7000', 42], 'cluster[1]'],
    [['redis://127.0.0.1:7000/2'], 'cluster[0]'],
  ])('rejects cluster = %j with a ConfigError naming %s', async (cluster, option) => {
    const error = await refusal({ cluster });
    expect(error.option).toBe(option);
    expect(error.message).toContain(`'${option}'`);
  });

  it('takes a Cluster’s seed URLs instead of a URL, never both', async () => {
    vi.stubEnv('REDIS_URL', 'redis://single:6379');
    const seeds = ['redis://10.0.0.1:7000', 'rediss://:hunter2@10.0.0.2:7000/0'];
    expect(resolveRedisStoreOptions({ cluster: seeds })).toMatchObject({
      url: null,
      cluster: seeds,
    });
    const both = await refusal({ url: 'redis://127.0.0.1:6379', cluster: seeds });
    expect(both.option).toBe('cluster');
    expect(both.message).toMatch(/either url .* or cluster .*, not both/);
    expect(both.message).not.toContain('hunter2');
  });

  it('freezes the resolved options', () => {
    expect(Object.isFrozen(resolveRedisStoreOptions({ keyPrefix: 'bw:' }))).toBe(true);
  });
});
