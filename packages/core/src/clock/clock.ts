/** Opaque handle returned by {@link Clock.setTimeout}. */
export type TimerHandle = unknown;

/**
 * Where the breaker and the policies get time from. Inject a `FakeClock`
 * (from `@breakwater/core/testing`) to drive every timing rule in tests
 * without waiting.
 */
export interface Clock {
  /** Wall-clock time in epoch milliseconds: used for timestamps that people read. */
  now(): number;
  /** Monotonic milliseconds from an arbitrary origin: used for every duration. Never goes back. */
  monotonic(): number;
  /** Calls `callback` once after `ms` milliseconds. */
  setTimeout(callback: () => void, ms: number): TimerHandle;
  /** Cancels a timer from {@link Clock.setTimeout}; unknown handles are ignored. */
  clearTimeout(handle: TimerHandle): void;
}

// Read once: on Node 20 `globalThis.performance` is a getter, and the
// monotonic clock is read on timed calls.
const hostPerformance = globalThis.performance;

/** The real clock: `Date.now`, `performance.now` and the host's timers. */
export const systemClock: Clock = Object.freeze({
  now: () => Date.now(),
  monotonic: () => hostPerformance.now(),
  setTimeout: (callback: () => void, ms: number): TimerHandle =>
    globalThis.setTimeout(callback, ms),
  clearTimeout: (handle: TimerHandle): void =>
    globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
});
