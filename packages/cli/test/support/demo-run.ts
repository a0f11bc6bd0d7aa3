import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '@breakwater/core/testing';
import { afterAll } from 'vitest';
import { type DemoOptions, runDemo } from '../../src/demo/run-demo';

/**
 * Call at the top of a test file: returns a maker of new store files in a
 * temporary folder, removed after the file's tests, so tests never write
 * next to examples/degenduel.yaml.
 */
export function tempStores(): () => string {
  const folder = mkdtempSync(join(tmpdir(), 'breakwater-demo-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  let count = 0;
  return () => join(folder, `demo-${++count}.db`);
}

/**
 * Resolves once `clock` has a timer waiting (the demo has loaded its
 * configuration, opened its store and started ticking) or `ended()` is true.
 * Yields to the event loop in between: the file I/O is real, time is not.
 */
export async function whenStarted(clock: FakeClock, ended: () => boolean = () => false) {
  const deadline = Date.now() + 10_000;
  while (clock.pendingTimers === 0 && !ended()) {
    if (Date.now() > deadline) throw new Error('the demo did not start within 10 s');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * A demo on a `FakeClock` (a given one carries on from where it stands),
 * started, its output recorded.
 */
export async function startDemo(
  options: Partial<DemoOptions> & { readonly storeFile: string; readonly clock?: FakeClock },
) {
  const clock = options.clock ?? new FakeClock();
  let output = '';
  let ended = false;
  const running = runDemo({
    ...options,
    clock,
    write: (text) => {
      output += text;
    },
  }).finally(() => {
    ended = true;
  });
  // Surface a failure to start as the test's error rather than a timeout.
  running.catch(() => {});
  await whenStarted(clock, () => ended);
  return { clock, running, output: () => output, ended: () => ended };
}
