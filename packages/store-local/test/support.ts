import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

/**
 * A fresh temporary directory per test, removed after it. Returns a function
 * giving paths inside it.
 */
export function useTempDirectory(): (name: string) => string {
  let directory: string | undefined;
  afterEach(() => {
    if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
    directory = undefined;
  });
  return (name) => {
    directory ??= mkdtempSync(join(tmpdir(), 'breakwater-local-'));
    return join(directory, name);
  };
}
