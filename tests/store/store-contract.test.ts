import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryStore, type StateStore } from '@breakwater/core';
import { RedisStore } from '@breakwater/redis';
import { LocalStore } from '@breakwater/store-local';
import { describe } from 'vitest';
import {
  deleteKeysWithPrefix,
  describeWithRedis,
  redisUrl,
  uniqueKeyPrefix,
} from '../support/redis';
import { describeStoreContract, type OpenedStore, type StoreSettings } from './store-contract';

interface Subject {
  readonly name: string;
  readonly persistent: boolean;
  /** Runs only where a Redis is reachable (see tests/support/redis.ts). */
  readonly needsRedis?: boolean;
  readonly open: (settings?: StoreSettings) => Promise<OpenedStore>;
}

const subjects: Subject[] = [
  {
    name: 'MemoryStore',
    persistent: false,
    async open(settings) {
      const store = new MemoryStore(settings);
      return { store, reopen: async () => store, cleanup: () => store.close() };
    },
  },
  {
    name: 'LocalStore',
    persistent: true,
    async open(settings) {
      const directory = await mkdtemp(join(tmpdir(), 'breakwater-store-'));
      const file = join(directory, 'state.db');
      let current: StateStore;
      try {
        current = await LocalStore.open(file, settings);
      } catch (error) {
        await rm(directory, { recursive: true, force: true });
        throw error;
      }
      return {
        store: current,
        reopen: async (again = settings) => {
          current = await LocalStore.open(file, again);
          return current;
        },
        cleanup: async () => {
          await current.close();
          await rm(directory, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'RedisStore',
    persistent: true,
    needsRedis: true,
    async open(settings) {
      // A prefix of its own per open: runs and tests share one Redis.
      const keyPrefix = uniqueKeyPrefix('contract');
      let current: StateStore = await RedisStore.connect({ url: redisUrl, keyPrefix, ...settings });
      return {
        store: current,
        reopen: async (again = settings) => {
          current = await RedisStore.connect({ url: redisUrl, keyPrefix, ...again });
          return current;
        },
        cleanup: async () => {
          await current.close();
          await deleteKeysWithPrefix(keyPrefix);
        },
      };
    },
  },
];

describe.each(subjects)('the StateStore contract', ({ name, open, persistent, needsRedis }) => {
  if (needsRedis) {
    describeWithRedis(`against Redis at ${redisUrl}`, () => {
      describeStoreContract(name, open, { persistent });
    });
  } else {
    describeStoreContract(name, open, { persistent });
  }
});
