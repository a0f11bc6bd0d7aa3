import { type OutcomeWindow, outcomeFlags } from './outcome-window';

/** How finely a time window ages: it drops calls a twentieth of its length at a time. */
const bucketCount = 20;
const countersPerBucket = 4; // calls, failures, slow, timed

/**
 * The calls of the last `size` ms, in 20 buckets. Moving forward clears the
 * buckets that elapsed (at most all 20, however long the idle gap), so a call
 * never counts once it is older than the window: one failure after ten idle
 * minutes is one call, not the last of a stale sample. A call may leave up to
 * one bucket (size / 20) early.
 */
export class TimeWindow implements OutcomeWindow {
  readonly size: number;
  calls = 0;
  failures = 0;
  slowCalls = 0;
  timedCalls = 0;
  readonly #bucketWidth: number;
  #counters: Int32Array | undefined;
  /** Absolute index (time / bucketWidth) of the newest bucket. */
  #head = 0;

  constructor(size: number) {
    this.size = size;
    this.#bucketWidth = size / bucketCount;
  }

  record(flags: number, now: number): void {
    this.expire(now);
    const counters = this.#counters ?? this.#allocate(now);
    const base = (this.#head % bucketCount) * countersPerBucket;
    counters[base] = (counters[base] ?? 0) + 1;
    this.calls++;
    if (flags & outcomeFlags.failure) {
      counters[base + 1] = (counters[base + 1] ?? 0) + 1;
      this.failures++;
    }
    if (flags & outcomeFlags.slow) {
      counters[base + 2] = (counters[base + 2] ?? 0) + 1;
      this.slowCalls++;
    }
    if (flags & outcomeFlags.timed) {
      counters[base + 3] = (counters[base + 3] ?? 0) + 1;
      this.timedCalls++;
    }
  }

  recordSuccesses(count: number, now: number): void {
    this.expire(now);
    const counters = this.#counters ?? this.#allocate(now);
    const base = (this.#head % bucketCount) * countersPerBucket;
    counters[base] = (counters[base] ?? 0) + count;
    this.calls += count;
  }

  expire(now: number): void {
    const counters = this.#counters;
    if (counters === undefined) return;
    const current = Math.floor(now / this.#bucketWidth);
    const elapsed = Math.min(current - this.#head, bucketCount);
    for (let step = 1; step <= elapsed; step++) {
      const base = ((this.#head + step) % bucketCount) * countersPerBucket;
      this.calls -= counters[base] ?? 0;
      this.failures -= counters[base + 1] ?? 0;
      this.slowCalls -= counters[base + 2] ?? 0;
      this.timedCalls -= counters[base + 3] ?? 0;
      counters.fill(0, base, base + countersPerBucket);
    }
    if (current > this.#head) this.#head = current;
  }

  clear(): void {
    this.#counters?.fill(0);
    this.calls = this.failures = this.slowCalls = this.timedCalls = 0;
  }

  #allocate(now: number): Int32Array {
    this.#counters = new Int32Array(bucketCount * countersPerBucket);
    this.#head = Math.floor(now / this.#bucketWidth);
    return this.#counters;
  }
}
