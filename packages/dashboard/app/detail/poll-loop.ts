/** The timer functions polling needs (the browser's by default; a fake clock in tests). */
export interface PollTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const hostTimers: PollTimers = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) =>
    globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};

/**
 * Runs `refresh` now, then again `interval` ms after each run settles (a
 * slow server delays the next run instead of piling requests up), until the
 * returned function stops it. At most one timer is pending at any time; a
 * rejected refresh does not stop the loop (`refresh` reports its own
 * errors).
 */
export function startPolling(
  refresh: () => Promise<void>,
  interval: number,
  timers: PollTimers = hostTimers,
): () => void {
  let stopped = false;
  let pending: unknown;
  let hasPending = false;
  const schedule = () => {
    if (stopped) return;
    hasPending = true;
    pending = timers.setTimeout(run, interval);
  };
  const run = () => {
    hasPending = false;
    refresh().then(schedule, schedule);
  };
  run();
  return () => {
    stopped = true;
    if (hasPending) timers.clearTimeout(pending);
    hasPending = false;
  };
}
