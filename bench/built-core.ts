import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Contender } from './contenders';
import type { TimedEntry } from './scenarios/timed-scenario';

/** What `npm run build` writes for `@breakwater/core`: the code users install. */
const builtEntry = fileURLToPath(new URL('../packages/core/dist/index.js', import.meta.url));

type CoreModule = typeof import('@breakwater/core');

let built: Promise<CoreModule | undefined> | undefined;

/**
 * The built package, when `dist/` exists (`npm run bench` builds it first):
 * the bench runs on the sources, so this row shows what the bundling step
 * changes, if anything, for people who install the package.
 */
export function loadBuiltCore(): Promise<CoreModule | undefined> {
  built ??= existsSync(builtEntry)
    ? (import(pathToFileURL(builtEntry).href) as Promise<CoreModule>)
    : Promise.resolve(undefined);
  return built;
}

/** A variant row timing the built package's breaker with the same policy and loop. */
export async function builtCoreEntry(
  loop: (call: Contender['call']) => (ops: number) => Promise<void>,
): Promise<TimedEntry | undefined> {
  const core = await loadBuiltCore();
  if (core === undefined) return undefined;
  const breaker = new core.CircuitBreaker('bench-built', {
    failureThreshold: 5,
    resetTimeout: 30_000,
  });
  return {
    id: 'breakwater-built',
    label: 'Breakwater, built package dist/ (variant)',
    peer: false,
    run: loop((work) => breaker.execute(work)),
  };
}
