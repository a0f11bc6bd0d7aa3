import {
  type AuditRetention,
  ConfigError,
  type ResolvedAuditRetention,
  resolveAuditRetention,
} from '@breakwater/core';
import { consoleWarning } from './shared/warning-log';

/** Options of `RedisStore.connect`. Durations in milliseconds. */
export interface RedisStoreOptions {
  /** `redis://` or `rediss://` URL. Default `process.env.REDIS_URL`, else `redis://127.0.0.1:6379`. */
  readonly url?: string;
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
  Required<Omit<RedisStoreOptions, 'auditRetention'>> & { auditRetention: ResolvedAuditRetention }
>;

export const defaultRedisUrl = 'redis://127.0.0.1:6379';
export const defaultKeyPrefix = 'breakwater:';

const knownOptions = [
  'url',
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
  return Object.freeze({
    url: checkUrl(options.url ?? process.env.REDIS_URL ?? defaultRedisUrl),
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

function checkUrl(url: unknown): string {
  const expected = 'a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379';
  if (typeof url !== 'string') throw new ConfigError('url', url, expected);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError('url', redactUrl(url), expected);
  }
  if ((parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') || parsed.hostname === '') {
    throw new ConfigError('url', redactUrl(url), expected);
  }
  return url;
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
