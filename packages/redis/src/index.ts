export { hashTag, type RedisKeys, redisKeys } from './redis-keys';
export { RedisStore } from './redis-store';
export {
  defaultKeyPrefix,
  defaultRedisUrl,
  type RedisStoreOptions,
  type ResolvedRedisStoreOptions,
} from './redis-store-options';
export { isStoredValueError, StoredValueError } from './stored-value-error';
