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
import type { ClusterOptions, RedisOptions } from 'ioredis';
import { AuditJournal } from './audit-journal';
import { queryAuditLog } from './audit-pages';
import { clusterSettings, createClusterClient } from './cluster-connection';
import {
  closeClient,
  connectionSettings,
  createClient,
  isCluster,
  prepareClient,
  type RedisClient,
  whenReady,
} from './redis-connection';
import { type RedisKeys, redisKeys } from './redis-keys';
import {
  describeRedis,
  type RedisStoreOptions,
  type ResolvedRedisStoreOptions,
  redactUrl,
  resolveRedisStoreOptions,
} from './redis-store-options';
import { sendEach } from './send-each';
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
 * with the same URL (or Cluster) and key prefix. Works on a single server and
 * on Redis Cluster (`cluster` option): no KEYS or SCAN, no command or script
 * spans two slots, and no pipeline spans two nodes. Redis never
 * blocks a caller: every command is bounded by `commandTimeout`, and while
 * the connection is down commands fail at once. Open with
 * `await RedisStore.connect(options)`. A failing command rejects with a
 * `StoreUnavailableError` (the Redis error is its `cause`); a value under the
 * prefix that Breakwater did not write, with a `StoredValueError`.
 */
export class RedisStore implements SharingStore {
  /**
   * The connected ioredis client: a `Redis`, or a `Cluster` when connected
   * with `cluster` (`redis.isCluster` tells). Shared: do not quit it, use
   * {@link RedisStore.close}.
   */
  readonly redis: RedisClient;
  /** The names of every key under this store's prefix. */
  readonly keys: RedisKeys;
  /** The options in force, defaults filled in. */
  readonly options: ResolvedRedisStoreOptions;
  /** How messages name this store's Redis (passwords hidden). */
  readonly #target: string;
  readonly #settings: RedisOptions | ClusterOptions;
  readonly #scripts: StoreScripts;
  readonly #journal: AuditJournal;
  #restoring: Promise<void> = Promise.resolve();
  #closed = false;

  private constructor(
    redis: RedisClient,
    options: ResolvedRedisStoreOptions,
    settings: RedisOptions | ClusterOptions,
  ) {
    this.redis = redis;
    this.options = options;
    this.#target = describeRedis(options);
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
   * naming the URL (or the Cluster's seeds).
   */
  static async connect(options?: RedisStoreOptions): Promise<RedisStore> {
    const resolved = resolveRedisStoreOptions(options);
    const nodeSettings = connectionSettings(resolved);
    const target = describeRedis(resolved);
    if (resolved.cluster !== null) {
      const settings = clusterSettings(resolved.cluster, nodeSettings);
      const client = createClusterClient(resolved.cluster, settings);
      await whenReady(client, target, resolved.connectTimeout);
      return new RedisStore(client, resolved, settings);
    }
    const client = createClient(resolved.url ?? '', nodeSettings);
    await whenReady(client, target, resolved.connectTimeout);
    return new RedisStore(client, resolved, nodeSettings);
  }

  /**
   * A new connection with the same settings (for pub/sub), connecting now:
   * a `Cluster` when the store is on one. Commands sent before it is ready
   * wait briefly for it. The caller owns it and quits it; closing the store
   * does not.
   */
  duplicate(): RedisClient {
    this.#checkOpen();
    const settings = { ...this.#settings, lazyConnect: false };
    const client = this.redis;
    if (isCluster(client)) return prepareClient(client.duplicate([], settings as ClusterOptions));
    return prepareClient(client.duplicate(settings as RedisOptions));
  }

  loadBreakers(): Promise<BreakerRecord[]> {
    return this.#run(() => this.#loadBreakers());
  }

  async #loadBreakers(): Promise<BreakerRecord[]> {
    const names = await this.redis.smembers(this.keys.breakerIndex);
    if (names.length === 0) return [];
    // One GET-like command per key: on Cluster each breaker's key may live
    // in another slot, where a multi-key command would fail.
    const replies = await sendEach(
      this.redis,
      names.map((name) => ['hget', this.keys.breaker(name), 'record']),
    );
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
        const target = this.#target;
        return await RedisSharing.start({ redis, subscriber, keys, options, target }, registry);
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
      throw new StoreUnavailableError(this.#target, reason, { cause: error });
    }
  }

  #checkOpen(): void {
    if (!this.#closed) return;
    const { url, cluster } = this.options;
    const store =
      cluster === null ? `RedisStore at ${redactUrl(url ?? '')}` : `RedisStore on ${this.#target}`;
    throw new StoreClosedError(store);
  }
}

function noop(): void {}
