import type {
  AuditEntry,
  AuditQuery,
  BreakerRecord,
  BreakerSharing,
  NewAuditEntry,
  PersistableOptions,
  SharedRegistry,
  SharingStore,
} from '@breakwater/core';
import type { Redis, RedisOptions } from 'ioredis';
import { AuditJournal } from './audit-journal';
import { queryAuditLog } from './audit-pages';
import {
  closeClient,
  connectionSettings,
  createClient,
  prepareClient,
  whenReady,
} from './redis-connection';
import { type RedisKeys, redisKeys } from './redis-keys';
import {
  type RedisStoreOptions,
  type ResolvedRedisStoreOptions,
  redactUrl,
  resolveRedisStoreOptions,
} from './redis-store-options';
import { RedisSharing } from './shared/redis-sharing';
import { defineStoreScripts, type StoreScripts } from './store-scripts';
import {
  auditEntryFromStored,
  auditEntryTail,
  breakerFromStored,
  checkBreakerRecord,
  overrideFromStored,
  overrideToStored,
} from './stored-values';

/**
 * A `StateStore` in Redis (ioredis), shared by every instance that connects
 * with the same URL and key prefix. Works on a single server and on Cluster:
 * no KEYS or SCAN, and no command spans two breakers' slots. Redis never
 * blocks a caller: every command is bounded by `commandTimeout`, and while
 * the connection is down commands fail at once. Open with
 * `await RedisStore.connect(options)`.
 */
export class RedisStore implements SharingStore {
  /** The connected ioredis client. Shared: do not quit it, use {@link RedisStore.close}. */
  readonly redis: Redis;
  /** The names of every key under this store's prefix. */
  readonly keys: RedisKeys;
  /** The options in force, defaults filled in. */
  readonly options: ResolvedRedisStoreOptions;
  readonly #settings: RedisOptions;
  readonly #scripts: StoreScripts;
  readonly #journal = new AuditJournal();
  #restoring: Promise<void> = Promise.resolve();
  #closed = false;

  private constructor(redis: Redis, options: ResolvedRedisStoreOptions, settings: RedisOptions) {
    this.redis = redis;
    this.options = options;
    this.keys = redisKeys(options.keyPrefix);
    this.#settings = settings;
    this.#scripts = defineStoreScripts(redis);
    // After a reconnect: a Redis restarted without persistence lost the log; put back ours.
    // Appends wait for it, so none takes an id of an entry still to be put back.
    redis.on('ready', () => {
      if (!this.#closed) this.#restoring = this.restoreAuditLog().then(noop, noop);
    });
  }

  /**
   * Puts back the audit entries this store had acknowledged (the last
   * 10,000) that the log no longer holds, under their own ids. Runs by
   * itself after every reconnect; resolves with how many were put back.
   */
  restoreAuditLog(): Promise<number> {
    this.#checkOpen();
    const { auditSequence, auditLog } = this.keys;
    return this.#journal.restore(this.redis, auditSequence, auditLog);
  }

  /**
   * Connects and resolves once the connection is ready. Bad options throw a
   * `ConfigError` naming the option; a Redis that is not ready within
   * `connectTimeout` (default 2000 ms) rejects with an error naming the URL.
   */
  static async connect(options?: RedisStoreOptions): Promise<RedisStore> {
    const resolved = resolveRedisStoreOptions(options);
    const settings = connectionSettings(resolved);
    const client = await whenReady(
      createClient(resolved.url, settings),
      resolved.url,
      resolved.connectTimeout,
    );
    return new RedisStore(client, resolved, settings);
  }

  /**
   * A new connection with the same settings (for pub/sub), connecting now.
   * Commands sent before it is ready wait briefly for it. The caller owns it
   * and quits it; closing the store does not.
   */
  duplicate(): Redis {
    this.#checkOpen();
    return prepareClient(this.redis.duplicate({ ...this.#settings, lazyConnect: false }));
  }

  async loadBreakers(): Promise<BreakerRecord[]> {
    this.#checkOpen();
    const names = await this.redis.smembers(this.keys.breakerIndex);
    if (names.length === 0) return [];
    // One GET-like command per key, pipelined: on Cluster each breaker's key
    // may live in another slot, where a multi-key command would fail.
    const pipeline = this.redis.pipeline();
    for (const name of names) pipeline.hget(this.keys.breaker(name), 'record');
    const replies = (await pipeline.exec()) ?? [];
    const records: BreakerRecord[] = [];
    for (const [index, [error, text]] of replies.entries()) {
      if (error) throw error;
      // Indexed but not (or no longer) stored: nothing to restore.
      if (typeof text !== 'string') continue;
      const name = names[index] as string;
      records.push(breakerFromStored(text, name, this.keys.breaker(name)));
    }
    return records;
  }

  async saveBreaker(record: BreakerRecord): Promise<void> {
    this.#checkOpen();
    checkBreakerRecord(record);
    const key = this.keys.breaker(record.name);
    await this.#scripts.breakwaterSaveBreaker(key, String(record.version), JSON.stringify(record));
    await this.redis.sadd(this.keys.breakerIndex, record.name);
  }

  async loadOverrides(): Promise<Record<string, PersistableOptions>> {
    this.#checkOpen();
    const fields = await this.redis.hgetall(this.keys.overrides);
    return Object.fromEntries(
      Object.entries(fields).map(([service, text]) => [
        service,
        overrideFromStored(text, this.keys.overrides, service),
      ]),
    );
  }

  async saveOverride(service: string, options: PersistableOptions | null): Promise<void> {
    this.#checkOpen();
    if (options === null) await this.redis.hdel(this.keys.overrides, service);
    else await this.redis.hset(this.keys.overrides, service, overrideToStored(options));
  }

  async appendAudit(entry: NewAuditEntry): Promise<AuditEntry> {
    this.#checkOpen();
    const tail = auditEntryTail(entry);
    await this.#restoring;
    const { auditSequence, auditLog } = this.keys;
    const id = await this.#scripts.breakwaterAppendAudit(auditSequence, auditLog, tail);
    const json = `{"id":${id},${tail}`;
    this.#journal.remember(id, json);
    return auditEntryFromStored(json, auditLog);
  }

  async queryAudit(query: AuditQuery = {}): Promise<AuditEntry[]> {
    this.#checkOpen();
    return queryAuditLog(this.redis, this.keys.auditLog, query);
  }

  /**
   * Shares `registry`'s breakers with every instance on this Redis and key
   * prefix. Called by `Registry.open({ store, shared: true })`; see
   * docs/shared-state.md for what is shared and what is guaranteed.
   */
  async share(registry: SharedRegistry): Promise<BreakerSharing> {
    this.#checkOpen();
    const subscriber = this.duplicate();
    try {
      const connection = { redis: this.redis, subscriber, keys: this.keys, options: this.options };
      return await RedisSharing.start(connection, registry);
    } catch (error) {
      subscriber.disconnect();
      throw error;
    }
  }

  /** Quits the connection (drops it when Redis cannot answer). Calling it again does nothing. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await closeClient(this.redis);
  }

  #checkOpen(): void {
    if (this.#closed) throw new Error(`RedisStore at ${redactUrl(this.options.url)} is closed`);
  }
}

function noop(): void {}
