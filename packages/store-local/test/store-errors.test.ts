import { mkdirSync, writeFileSync } from 'node:fs';
import { isStoreClosedError, isStoreUnavailableError } from '@breakwater/core';
import { LocalStore } from '@breakwater/store-local';
import { describe, expect, it } from 'vitest';
import { useTempDirectory } from './support';

const path = useTempDirectory();

/** What `promise` rejects with (undefined when it resolves). */
function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
}

describe('LocalStore.open on a path that cannot hold a store file', () => {
  it('rejects with a StoreUnavailableError naming the file when the path is a directory', async () => {
    const directory = path('a-directory');
    mkdirSync(directory);
    const error = await rejection(LocalStore.open(directory));
    expect(isStoreUnavailableError(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'BW_STORE_UNAVAILABLE',
      store: `LocalStore '${directory}'`,
      reason: expect.stringMatching(
        /^opening the file failed: it is a folder, not a file \(EISDIR/,
      ),
    });
    expect((error as Error).message).toContain('to fix: give the path of a store file');
  });

  it('rejects with a StoreUnavailableError when its directory cannot be created', async () => {
    const file = path('plain-file');
    writeFileSync(file, 'not a directory');
    const error = await rejection(LocalStore.open(`${file}/state.db`));
    expect(isStoreUnavailableError(error)).toBe(true);
    expect((error as Error).cause).toMatchObject({ syscall: 'mkdir' });
    expect(error).toMatchObject({
      reason: expect.stringMatching(/part of the path is a file, not a folder \(EEXIST/),
    });
  });
});

describe('a closed LocalStore', () => {
  it('rejects with a StoreClosedError naming the file', async () => {
    const file = path('state.db');
    const store = await LocalStore.open(file);
    await store.close();
    const error = await rejection(store.saveOverride('db', { failureThreshold: 2 }));
    expect(isStoreClosedError(error)).toBe(true);
    expect((error as Error).message).toBe(`LocalStore '${file}' is closed`);
  });
});
