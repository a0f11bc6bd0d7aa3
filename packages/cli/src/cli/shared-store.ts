import { RedisStore } from '@breakwater/redis';

/** Redis could not be reached: the command stops before anything runs, naming the URL. */
export class SharedStoreError extends Error {
  override readonly name = 'SharedStoreError';
}

/** Connects to the Redis a fleet shares, turning a failure into a {@link SharedStoreError}. */
export async function connectSharedStore(url: string, keyPrefix: string): Promise<RedisStore> {
  try {
    return await RedisStore.connect({ url, keyPrefix });
  } catch (error) {
    throw new SharedStoreError(error instanceof Error ? error.message : String(error), {
      cause: error,
    });
  }
}
