import type { Clock, TimerHandle } from '@breakwater/core';

export interface TickerOptions {
  /** Time between ticks, ms. */
  readonly intervalMs: number;
  /** When the run ends, ms after the start; there is no tick at that time. */
  readonly endMs: number;
  /** Aborting it ends the run early. */
  readonly signal?: AbortSignal;
  /** Called at every tick with its time, ms after the start (a multiple of `intervalMs`). */
  readonly onTick: (atMs: number) => void;
}

/** How a run ended. */
export interface TickerEnd {
  /** Ms after the start at which the run ended. */
  readonly atMs: number;
  /** True when the signal ended it before `endMs`. */
  readonly aborted: boolean;
}

/**
 * Calls `onTick` on a fixed grid of clock time until `endMs` or an abort.
 * Exactly one timer is pending at a time, and none once the promise settles.
 * Each tick is scheduled against the start, so late timers do not add up.
 */
export function runTicker(clock: Clock, options: TickerOptions): Promise<TickerEnd> {
  const { intervalMs, endMs, signal, onTick } = options;
  const origin = clock.monotonic();
  return new Promise<TickerEnd>((resolve, reject) => {
    let handle: TimerHandle | undefined;
    let done = false;
    let count = 0;
    const finish = (): boolean => {
      if (done) return false;
      done = true;
      if (handle !== undefined) clock.clearTimeout(handle);
      handle = undefined;
      signal?.removeEventListener('abort', onAbort);
      return true;
    };
    const onAbort = (): void => {
      const atMs = Math.min(clock.monotonic() - origin, endMs);
      if (finish()) resolve({ atMs, aborted: true });
    };
    const schedule = (): void => {
      const due = Math.min((count + 1) * intervalMs, endMs);
      handle = clock.setTimeout(
        () => {
          handle = undefined;
          count++;
          if (due >= endMs) {
            if (finish()) resolve({ atMs: endMs, aborted: false });
            return;
          }
          try {
            onTick(due);
          } catch (error) {
            if (finish()) reject(error);
            return;
          }
          if (!done) schedule();
        },
        Math.max(0, origin + due - clock.monotonic()),
      );
    };
    if (signal?.aborted) {
      resolve({ atMs: 0, aborted: true });
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    schedule();
  });
}
