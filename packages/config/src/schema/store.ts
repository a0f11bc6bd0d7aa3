import { resolve } from 'node:path';
import { z } from 'zod';
import type { Issues } from '../issues';
import { checkWith } from './check-with';
import { integer, strict, text, url } from './fields';

/**
 * How much of the audit log a store keeps; left out, the store's default
 * (100 000 entries, 90 days). Enforced as entries are appended.
 */
export interface AuditRetentionConfig {
  /** At most this many entries, the newest. */
  readonly maxEntries?: number;
  /** No entry more than this many days older than the newest. */
  readonly maxAgeDays?: number;
}

/** Keep breaker states, overrides and the audit log in memory only: lost on restart. */
export interface MemoryStoreConfig {
  readonly type: 'memory';
  readonly auditRetention?: AuditRetentionConfig;
}

/** The embedded store (`@breakwater/store-local`): one database file, no server. */
export interface LocalStoreConfig {
  readonly type: 'local';
  /** Absolute path of the database file (written relative to the config file's folder). */
  readonly path: string;
  readonly auditRetention?: AuditRetentionConfig;
}

/** Shared state across instances through Redis (`@breakwater/redis`). */
export interface RedisStoreConfig {
  readonly type: 'redis';
  readonly auditRetention?: AuditRetentionConfig;
  /** `redis://` or `rediss://` URL. */
  readonly url: string;
  /** Prefix of every key Breakwater writes. Default `breakwater:`. */
  readonly keyPrefix: string;
}

/** Where breaker states, configuration overrides and the audit log are kept. */
export type StoreConfig = MemoryStoreConfig | LocalStoreConfig | RedisStoreConfig;

/** The default store file, next to the configuration file. */
export const defaultStorePath = './breakwater.db';

const storeTypes = ['memory', 'local', 'redis'] as const;

const days = 'a number of days > 0';
const auditRetention = strict(
  {
    maxEntries: integer(1, undefined, 'a count of entries').optional(),
    maxAgeDays: z
      .number({ error: () => days })
      .positive({ error: () => days })
      .optional(),
  },
  'a mapping with maxEntries and/or maxAgeDays',
).optional();

const storeSchema = z.discriminatedUnion(
  'type',
  [
    strict({ type: z.literal('memory'), auditRetention }, 'a mapping with type: memory'),
    strict(
      {
        type: z.literal('local'),
        path: text('a file path (relative to the config file)'),
        auditRetention,
      },
      'a mapping with type: local and a path',
    ),
    strict(
      {
        type: z.literal('redis'),
        url: url(['redis', 'rediss'], 'a redis:// or rediss:// URL'),
        keyPrefix: text('a non-empty key prefix').default('breakwater:'),
        auditRetention,
      },
      'a mapping with type: redis and a url',
    ),
  ],
  {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? `one of ${storeTypes.map((type) => `'${type}'`).join(', ')}`
        : `a mapping with a type (${storeTypes.join(', ')})`,
  },
);

/**
 * Checks the `store` section. Default (section left out): the local store in
 * `breakwater.db` next to the configuration file: by default, state
 * survives a restart without a server to install.
 */
export function checkStore(
  input: unknown,
  baseDir: string,
  issues: Issues,
): StoreConfig | undefined {
  const store = checkWith(
    storeSchema,
    input ?? { type: 'local', path: defaultStorePath },
    ['store'],
    issues,
  );
  if (store?.type === 'local') return { ...store, path: resolve(baseDir, store.path) };
  return store;
}
