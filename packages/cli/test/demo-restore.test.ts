import { FakeClock } from '@breakwater/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DemoResult } from '../src/demo/run-demo';
import { startDemo, tempStores } from './support/demo-run';
import { lines } from './support/output';

const newStore = tempStores();

/** Runs the demo for `ms` of fake time on `clock` and `storeFile`. */
async function run(clock: FakeClock, storeFile: string, ms: number, fresh = false) {
  const demo = await startDemo({ clock, storeFile, durationMs: ms, fresh });
  await clock.advanceAsync(ms);
  const result = await demo.running;
  return { output: demo.output(), result };
}

/** The row of `service` in the "Restored from" block. */
function restoredRow(output: string, service: string): string | undefined {
  const all = lines(output);
  const start = all.findIndex((line) => line.startsWith('Restored from '));
  if (start < 0) return undefined;
  return all.slice(start).find((line) => line.startsWith(`  ${service} `));
}

describe('a second run on the same store', () => {
  const storeFile = newStore();
  const clock = new FakeClock();
  let first: { output: string; result: DemoResult };
  let second: { output: string; result: DemoResult };
  beforeAll(async () => {
    first = await run(clock, storeFile, 20_000);
    // The clock carries on: the second run starts 2 s (40 s real) after the first ended.
    await clock.advanceAsync(2_000);
    second = await run(clock, storeFile, 1_000);
  });

  it('prints the restored block, naming the store file', () => {
    expect(first.result.restored).toBe(false);
    expect(second.result.restored).toBe(true);
    expect(second.output).toContain(`Restored from ${storeFile} (saved by the last run):`);
  });

  it("restores vanity-wallet open with the first run's totals and recovery attempts, and the time left", () => {
    const end = first.result.services.find((status) => status.name === 'vanity-wallet');
    expect(end).toMatchObject({ state: 'open', recoveryAttempts: 3 });
    // The first run ended with the next trial 12.1 s away; 2 s have passed since.
    expect(end?.recoveryIn).toBe(12_100);
    expect(restoredRow(second.output, 'vanity-wallet')).toBe(
      `  ${'vanity-wallet'.padEnd(20)}${'open'.padEnd(11)}${String(end?.totalSuccesses).padStart(7)}${String(end?.totalFailures).padStart(8)}${String(end?.rejected).padStart(10)}${'3'.padStart(12)}  3 failed trials; open for 10.1s more (3 min 22 s real)`,
    );
  });

  it("restores every service's totals as the first run ended them", () => {
    for (const end of first.result.services) {
      const row = restoredRow(second.output, end.name);
      expect(row?.slice(22).trim().split(/\s+/).slice(0, 4)).toEqual([
        end.state,
        String(end.totalSuccesses),
        String(end.totalFailures),
        String(end.rejected),
      ]);
    }
  });

  it('keeps counting from the restored totals, and rejects vanity-wallet calls while it stays open', () => {
    const before = first.result.services.find((status) => status.name === 'vanity-wallet');
    const after = second.result.services.find((status) => status.name === 'vanity-wallet');
    expect(after?.state).toBe('open');
    expect(after?.totalSuccesses).toBe(before?.totalSuccesses);
    // One call a tick, at 0.1 s … 0.9 s of the 1 s run.
    expect(after?.rejected).toBe((before?.rejected ?? 0) + 9);
  });

  it('starts over with --fresh: nothing restored', async () => {
    const third = await run(clock, storeFile, 500, true);
    expect(third.result.restored).toBe(false);
    expect(third.output).not.toContain('Restored from');
    expect(third.result.services.every((status) => status.rejected === 0)).toBe(true);
  });
});
