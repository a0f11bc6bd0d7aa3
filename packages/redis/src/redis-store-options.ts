import {
  type AuditRetention,
  ConfigError,
  type ResolvedAuditRetention,
  resolveAuditRetention,
} from '@breakwater/core';
import { consoleWarning } from './shared/warning-log';

/** Options of `RedisStore.connect`. Durations in milliseconds. */
export interface RedisStoreOptions {
  /**
   * `redis://` or `rediss://` URL of a single server (or of a proxy in front of
   * one). Default `process.env.REDIS_URL`, else `redis://127.0.0.1:6379`.
   * Give either this or `cluster`, not both.
   */
  readonly url?: string;
  /**
   * Redis Cluster: the URLs of a few of its nodes (seeds), e.g.
   * `['redis://10.0.0.1:6379', 'redis://10.0.0.2:6379']`; the rest of the
   * cluster is discovered from them. A password or `rediss://` in the first
   * seed applies to every node. Give either this or `url`, not both.
   */
  readonly cluster?: readonly string[];
  /** Start of every key; no braces (the store adds its own hash tags). Default `breakwater:`. */
  readonly keyPrefix?: string;
  /** How long `connect` (and every reconnect attempt) may take, ms. Default 2000. */
  readonly connectTimeout?: number;
  /** How long one command may wait for its reply, ms. Default 1000. */
  readonly commandTimeout?: number;
  /** Shared mode: how often each instance sends its outcome counts to the fleet, ms. Default 200. */
  readonly flushInterval?: number;
  /** Shared mode: failures since the last send that make an instance send at once. Default 20. */
  readonly flushBatchSize?: number;
  /**
   * Shared mode: how long a half-open trial permit stays taken when its
   * holder never gives it back (a crashed instance), ms. Keep trials shorter
   * (a `timeout` below it). Default 10000.
   */
  readonly permitLease?: number;
  /**
   * Shared mode: the window of the fleet-wide counts, ms, for breakers whose
   * own window is counted in calls (a time window or `monitoringWindow` is
   * used as is). Default 60000.
   */
  readonly sharedWindow?: number;
  /**
   * Shared mode: called with one line when this instance refuses something
   * the fleet published or stored (a malformed value, or a newer version's
   * message or option). Rate-limited to a few lines a minute. Default
   * `console.warn`.
   */
  readonly onWarning?: (line: string) => void;
  /** How much of the audit log to keep (default 100 000 entries, 90 days): enforced on every append. */
  readonly auditRetention?: AuditRetention;
}

/** The options with every default filled in, validated and frozen. */
export type ResolvedRedisStoreOptions = Readonly<
  Required<Omit<RedisStoreOptions, 'auditRetention' | 'url' | 'cluster'>> & {
    auditRetention: ResolvedAuditRetention;
    /** The single server's URL; null on Cluster. */
    url: string | null;
    /** The Cluster's seed URLs; null on a single server. */
    cluster: readonly string[] | null;
  }
>;

export const defaultRedisUrl = 'redis://127.0.0.1:6379';
export const defaultKeyPrefix = 'breakwater:';

const knownOptions = [
  'url',
  'cluster',
  'keyPrefix',
  'connectTimeout',
  'commandTimeout',
  'flushInterval',
  'flushBatchSize',
  'permitLease',
  'sharedWindow',
  'onWarning',
  'auditRetention',
];

/** Validates `given` once; a bad value throws a `ConfigError` naming the option. */
export function resolveRedisStoreOptions(given: unknown = {}): ResolvedRedisStoreOptions {
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    throw new ConfigError('options', given, 'an object');
  }
  const options = given as Record<string, unknown>;
  for (const key of Object.keys(options)) {
    if (!knownOptions.includes(key)) {
      throw new ConfigError(
        key,
        options[key],
        `no such option (known: ${knownOptions.join(', ')})`,
      );
    }
  }
  if (options.url !== undefined && options.cluster !== undefined) {
    const seeds = Array.isArray(options.cluster) ? options.cluster : [options.cluster];
    throw new ConfigError(
      'cluster',
      seeds.map((seed) => (typeof seed === 'string' ? redactUrl(seed) : seed)),
      'either url (one server) or cluster (seed URLs of a Redis Cluster), not both',
    );
  }
  const cluster = options.cluster === undefined ? null : checkSeeds(options.cluster);
  return Object.freeze({
    url:
      cluster === null ? checkUrl(options.url ?? process.env.REDIS_URL ?? defaultRedisUrl) : null,
    cluster,
    keyPrefix: checkKeyPrefix(options.keyPrefix ?? defaultKeyPrefix),
    connectTimeout: checkDuration('connectTimeout', options.connectTimeout, 2_000),
    commandTimeout: checkDuration('commandTimeout', options.commandTimeout, 1_000),
    flushInterval: checkDuration('flushInterval', options.flushInterval, 200),
    flushBatchSize: checkCount('flushBatchSize', options.flushBatchSize, 20),
    permitLease: checkDuration('permitLease', options.permitLease, 10_000),
    sharedWindow: checkDuration('sharedWindow', options.sharedWindow, 60_000),
    onWarning: checkFunction('onWarning', options.onWarning, consoleWarning),
    auditRetention: resolveAuditRetention(options.auditRetention),
  });
}

/** The URL with its password replaced by `***`, fit for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password === '') return url;
    parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}

/** How messages name the store's Redis: `Redis at URL` or `Redis Cluster at SEED, …` (passwords hidden). */
export function describeRedis(options: Pick<ResolvedRedisStoreOptions, 'url' | 'cluster'>): string {
  if (options.cluster === null) return `Redis at ${redactUrl(options.url ?? defaultRedisUrl)}`;
  return `Redis Cluster at ${options.cluster.map(redactUrl).join(', ')}`;
}

function checkUrl(url: unknown, name = 'url'): string {
  const expected = 'a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379';
  if (typeof url !== 'string') throw new ConfigError(name, url, expected);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(name, redactUrl(url), expected);
  }
  if ((parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') || parsed.hostname === '') {
    throw new ConfigError(name, redactUrl(url), expected);
  }
  return url;
}

function checkSeeds(seeds: unknown): readonly string[] {
  if (!Array.isArray(seeds) || seeds.length === 0) {
    throw new ConfigError(
      'cluster',
      seeds,
      'a non-empty list of node URLs, e.g. ["redis://10.0.0.1:6379", "redis://10.0.0.2:6379"]',
    );
  }
  return Object.freeze(
    seeds.map((seed: unknown, index) => {
      const url = checkUrl(seed, `cluster[${index}]`);
      // Cluster has database 0 only: a URL naming another would be ignored, silently.
      const path = new URL(url).pathname;
      if (path !== '' && path !== '/' && path !== '/0') {
        throw new ConfigError(
          `cluster[${index}]`,
          redactUrl(url),
          'a node URL without a database number (Redis Cluster has database 0 only)',
        );
      }
      return url;
    }),
  );
}

function checkKeyPrefix(prefix: unknown): string {
  // A brace in the prefix would become the hash tag of every key, putting the
  // whole store in one Cluster slot and defeating the per-breaker tags.
  if (typeof prefix !== 'string' || prefix.length === 0 || /[{}\s]/.test(prefix)) {
    throw new ConfigError(
      'keyPrefix',
      prefix,
      'a non-empty string without braces or whitespace, e.g. "breakwater:"',
    );
  }
  return prefix;
}

function checkCount(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new ConfigError(name, value, 'a count, an integer >= 1');
  }
  return value;
}

function checkFunction<F>(name: string, value: unknown, fallback: F): F {
  if (value === undefined) return fallback;
  if (typeof value !== 'function') throw new ConfigError(name, value, 'a function');
  return value as F;
}

function checkDuration(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new ConfigError(name, value, 'a duration in milliseconds, an integer >= 1');
  }
  return value;
}
