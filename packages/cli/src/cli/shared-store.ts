import type { AuditRetention } from '@breakwater/core';
import { RedisStore } from '@breakwater/redis';

/**
 * Connects to the Redis a fleet shares. It rejects with the store's own
 * errors, which the CLI prints as they are: a `StoreUnavailableError` naming
 * the URL (password hidden) when Redis cannot be reached, a `ConfigError`
 * for a URL that is not one.
 */
export function connectSharedStore(
  url: string,
  keyPrefix: string,
  auditRetention?: AuditRetention,
): Promise<RedisStore> {
  return RedisStore.connect({ url, keyPrefix, auditRetention });
}
