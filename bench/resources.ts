import { createHook } from 'node:async_hooks';

/** Timers and handles a piece of code left behind or created. */
export interface ResourceCount {
  /** Growth of `process.getActiveResourcesInfo()`: ref'd timers, handles and requests only. */
  readonly activeResources: number;
  /** Timers (`setTimeout`/`setInterval`) created, unref'd ones included. */
  readonly timersCreated: number;
  /** Of those, timers still pending afterwards. */
  readonly timersAlive: number;
}

/**
 * Runs `body` and counts what it created. `getActiveResourcesInfo()` leaves
 * out unref'd timers (opossum unrefs its two intervals per breaker), so
 * timers are also counted as they are created, through async_hooks. The
 * hook is on only while `body` runs: it slows every promise down.
 */
export async function countResources(body: () => Promise<void>): Promise<ResourceCount> {
  const alive = new Set<number>();
  let created = 0;
  const hook = createHook({
    init(asyncId, type) {
      if (type !== 'Timeout') return;
      created++;
      alive.add(asyncId);
    },
    destroy(asyncId) {
      alive.delete(asyncId);
    },
  });
  const before = process.getActiveResourcesInfo().length;
  hook.enable();
  try {
    await body();
  } finally {
    hook.disable();
  }
  return {
    activeResources: process.getActiveResourcesInfo().length - before,
    timersCreated: created,
    timersAlive: alive.size,
  };
}
