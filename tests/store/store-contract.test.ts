import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryStore, type StateStore } from '@breakwater/core';
import { LocalStore } from '@breakwater/store-local';
import { describe } from 'vitest';
import { describeStoreContract, type OpenedStore } from './store-contract';

interface Subject {
  readonly name: string;
  readonly persistent: boolean;
  readonly open: () => Promise<OpenedStore>;
}

const subjects: Subject[] = [
  {
    name: 'MemoryStore',
    persistent: false,
    async open() {
      const store = new MemoryStore();
      return { store, reopen: async () => store, cleanup: () => store.close() };
    },
  },
  {
    name: 'LocalStore',
    persistent: true,
    async open() {
      const directory = await mkdtemp(join(tmpdir(), 'breakwater-store-'));
      const file = join(directory, 'state.db');
      let current: StateStore = await LocalStore.open(file);
      return {
        store: current,
        reopen: async () => {
          current = await LocalStore.open(file);
          return current;
        },
        cleanup: async () => {
          await current.close();
          await rm(directory, { recursive: true, force: true });
        },
      };
    },
  },
];

describe.each(subjects)('the StateStore contract', ({ name, open, persistent }) => {
  describeStoreContract(name, open, { persistent });
});
