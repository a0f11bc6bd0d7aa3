import {
  type AuditEntry,
  type AuditQuery,
  auditAgeCutoff,
  type BreakerRecord,
  type BreakerSharing,
  isBreakwaterError,
  type NewAuditEntry,
  type PersistableOptions,
  type SharedRegistry,
  type SharingStore,
  StoreClosedError,
  StoreUnavailableError,
} from '@breakwater/core';
import type { Redis, RedisOptions } from 'ioredis';
import { AuditJournal } from './audit-journal';
import { queryAuditLog } from './audit-pages';
import {
  closeClient,
  connectionSettings,
  createClient,
  prepareClient,
  redisAt,
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
 * `await RedisStore.connect(options)`. A failing command rejects with a
 * `StoreUnavailableError` (the Redis error is its `cause`); a value under the
 * prefix that Breakwater did not write, with a `StoredValueError`.
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
  readonly #journal: AuditJournal;
  #restoring: Promise<void> = Promise.resolve();
  #closed = false;

  private constructor(redis: Redis, options: ResolvedRedisStoreOptions, settings: RedisOptions) {
    this.redis = redis;
    this.options = options;
    this.keys = redisKeys(options.keyPrefix);
    this.#settings = settings;
    this.#scripts = defineStoreScripts(redis);
    this.#journal = new AuditJournal(options.auditRetention);
    // After a reconnect: a Redis restarted without persistence lost the log; put back ours.
    // Appends wait for it, so none takes an id of an entry still to be put back.
    redis.on('ready', () => {
      if (!this.#closed) this.#restoring = this.restoreAuditLog().then(noop, noop);
    });
  }

  /**
   * Puts back the audit entries this store had acknowledged (the last
   * 10,000, or fewer as the audit retention keeps) that the log no longer
   * holds, under their own ids. Runs by itself after every reconnect;
   * resolves with how many were put back.
   */
  restoreAuditLog(): Promise<number> {
    const { auditSequence, auditLog, auditTimes } = this.keys;
    return this.#run(() =>
      this.#journal.restore(this.redis, [auditSequence, auditLog, auditTimes]),
    );
  }

  /**
   * Connects and resolves once the connection is ready. Bad options throw a
   * `ConfigError` naming the option; a Redis that is not ready within
   * `connectTimeout` (default 2000 ms) rejects with a `StoreUnavailableError`
   * naming the URL.
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

  loadBreakers(): Promise<BreakerRecord[]> {
    return this.#run(() => this.#loadBreakers());
  }

  async #loadBreakers(): Promise<BreakerRecord[]> {
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

  saveBreaker(record: BreakerRecord): Promise<void> {
    return this.#run(async () => {
      checkBreakerRecord(record);
      const key = this.keys.breaker(record.name);
      const json = JSON.stringify(record);
      await this.#scripts.breakwaterSaveBreaker(key, String(record.version), json);
      await this.redis.sadd(this.keys.breakerIndex, record.name);
    });
  }

  deleteBreaker(name: string): Promise<void> {
    return this.#run(async () => {
      await this.redis.del(this.keys.breaker(name));
      await this.redis.srem(this.keys.breakerIndex, name);
    });
  }

  loadOverrides(): Promise<Record<string, PersistableOptions>> {
    return this.#run(async () => {
      const fields = await this.redis.hgetall(this.keys.overrides);
      return Object.fromEntries(
        Object.entries(fields).map(([service, text]) => [
          service,
          overrideFromStored(text, this.keys.overrides, service),
        ]),
      );
    });
  }

  saveOverride(service: string, options: PersistableOptions | null): Promise<void> {
    return this.#run(async () => {
      if (options === null) await this.redis.hdel(this.keys.overrides, service);
      else await this.redis.hset(this.keys.overrides, service, overrideToStored(options));
    });
  }

  appendAudit(entry: NewAuditEntry): Promise<AuditEntry> {
    return this.#run(async () => {
      const tail = auditEntryTail(entry);
      const atMs = Date.parse(entry.at);
      const retention = this.options.auditRetention;
      await this.#restoring;
      const { auditSequence, auditLog, auditTimes } = this.keys;
      const id = await this.#scripts.breakwaterAppendAudit(
        auditSequence,
        auditLog,
        auditTimes,
        tail,
        String(atMs),
        String(retention.maxEntries),
        String(auditAgeCutoff(retention, atMs)),
      );
      const json = `{"id":${id},${tail}`;
      this.#journal.remember(id, json, atMs);
      return auditEntryFromStored(json, auditLog);
    });
  }

  queryAudit(query: AuditQuery = {}): Promise<AuditEntry[]> {
    return this.#run(() => queryAuditLog(this.redis, this.keys.auditLog, query));
  }

  /**
   * Shares `registry`'s breakers with every instance on this Redis and key
   * prefix. Called by `Registry.open({ store, shared: true })`; see
   * docs/shared-state.md for what is shared and what is guaranteed.
   */
  share(registry: SharedRegistry): Promise<BreakerSharing> {
    return this.#run(async () => {
      const subscriber = this.duplicate();
      try {
        const { redis, keys, options } = this;
        return await RedisSharing.start({ redis, subscriber, keys, options }, registry);
      } catch (error) {
        subscriber.disconnect();
        throw error;
      }
    });
  }

  /** Quits the connection (drops it when Redis cannot answer). Calling it again does nothing. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await closeClient(this.redis);
  }

  /** Runs one operation of the store: what Redis itself throws becomes a `StoreUnavailableError`. */
  async #run<T>(operation: () => Promise<T>): Promise<T> {
    this.#checkOpen();
    try {
      return await operation();
    } catch (error) {
      if (isBreakwaterError(error)) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new StoreUnavailableError(redisAt(this.options.url), reason, { cause: error });
    }
  }

  #checkOpen(): void {
    if (this.#closed) throw new StoreClosedError(`RedisStore at ${redactUrl(this.options.url)}`);
  }
}

function noop(): void {}
