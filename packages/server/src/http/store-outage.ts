import { excerpt, isStoreClosedError, isStoreUnavailableError } from '@breakwater/core';

/** A store that cannot answer now: which one, and why. */
export interface StoreOutage {
  /** Which store, in words, e.g. `Redis at redis://127.0.0.1:6379`. */
  readonly store: string;
  /** The answer's message: what failed, and that it is the store. */
  readonly message: string;
}

/** Names of errors Redis clients (ioredis, node-redis) raise when the server cannot be reached. */
const redisOutageNames: ReadonlySet<string> = new Set([
  'MaxRetriesPerRequestError',
  'ClusterAllFailedError',
  'ClientClosedError',
  'ConnectionTimeoutError',
  'SocketClosedUnexpectedlyError',
]);

/** Messages of plain errors ioredis rejects commands with while its connection is down. */
const redisOutageMessages = [
  /^Connection is closed\.?$/,
  /^Command timed out$/,
  /^Stream isn't writeable/,
  /^connect ETIMEDOUT$/,
  // Replies of a Redis that is up but cannot serve: loading, a read-only replica, a cluster failing over.
  /^(LOADING|READONLY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|BUSY)\b/,
];

/** System error codes of a connection that could not be made or was lost. */
const networkCodes: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

/**
 * The store outage behind `error`, or undefined when it is something else.
 * Breakwater's stores report an outage as a `StoreUnavailableError` (or a
 * `StoreClosedError` once closed); a store of the application's own (a
 * `StateStore` written on ioredis or node-redis) may reject with the Redis
 * client's error as it is, or wrap it: the cause chain is searched too.
 */
export function storeOutageOf(error: unknown): StoreOutage | undefined {
  const seen = new Set<unknown>();
  for (let current = error; current instanceof Error && !seen.has(current); ) {
    seen.add(current);
    if (isStoreUnavailableError(current)) return { store: current.store, message: current.message };
    if (isStoreClosedError(current))
      return {
        store: current.store,
        message: `${current.store} is closed: the monitor is shutting down. Retry on a running instance.`,
      };
    if (isRedisOutage(current)) {
      const store = 'The state store (Redis)';
      return { store, message: `${store} is unavailable: ${excerpt(current.message)}` };
    }
    current = current.cause;
  }
  return undefined;
}

function isRedisOutage(error: Error): boolean {
  const code = (error as { code?: unknown }).code;
  return (
    redisOutageNames.has(error.name) ||
    redisOutageMessages.some((pattern) => pattern.test(error.message)) ||
    (typeof code === 'string' && networkCodes.has(code))
  );
}
