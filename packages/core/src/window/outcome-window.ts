/** Bit flags describing one recorded call. */
export const outcomeFlags = Object.freeze({
  failure: 1,
  slow: 2,
  /** The call's duration was measured (only timed calls can be judged slow). */
  timed: 4,
} as const);

/**
 * Running totals over the most recent calls. Both implementations keep the
 * totals up to date on every record (subtract on evict), so reading them is
 * O(1) and a trip rule never scans the window.
 */
export interface OutcomeWindow {
  readonly calls: number;
  readonly failures: number;
  readonly slowCalls: number;
  readonly timedCalls: number;
  /** Adds one call made of `outcomeFlags` bits, at monotonic time `now` (ms). */
  record(flags: number, now: number): void;
  /** Adds `count` untimed successful calls (flags 0) at monotonic time `now`, as one step. */
  recordSuccesses(count: number, now: number): void;
  /** Drops what has aged out by monotonic time `now`; call before reading totals. */
  expire(now: number): void;
  /** Forgets every call. */
  clear(): void;
}
