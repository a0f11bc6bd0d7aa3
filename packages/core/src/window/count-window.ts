import { type OutcomeWindow, outcomeFlags } from './outcome-window';

/** Entries the queue of flagged calls starts with; it doubles as needed, up to `size`. */
const firstQueueLength = 4;
/** Bits of a queue entry that hold the call's flags; the rest count the successes before it. */
const flagBits = 3;
const flagMask = (1 << flagBits) - 1;

/**
 * The last `size` calls. Most calls are plain successes (no flag set), so
 * the window keeps only the flagged calls, each with the number of plain
 * successes just before it, in a ring queue of packed integers, plus the
 * plain successes after the newest one. Recording or dropping any number
 * of plain successes is then one addition, and a window that only ever saw
 * successes holds no array at all.
 */
export class CountWindow implements OutcomeWindow {
  readonly size: number;
  calls = 0;
  failures = 0;
  slowCalls = 0;
  timedCalls = 0;
  /** Flagged calls, oldest first from `#head`: (successes before it << flagBits) | flags. */
  #queue: Uint32Array | undefined;
  #head = 0;
  #queued = 0;
  /** Plain successes after the newest flagged call (all of them when none is queued). */
  #trailingSuccesses = 0;

  constructor(size: number) {
    this.size = size;
  }

  record(flags: number): void {
    if (flags === 0) {
      this.recordSuccesses(1);
      return;
    }
    this.#enqueue((this.#trailingSuccesses << flagBits) | flags);
    this.#trailingSuccesses = 0;
    this.#add(flags);
    this.calls++;
    if (this.calls > this.size) this.#dropOldest(this.calls - this.size);
  }

  recordSuccesses(count: number): void {
    this.#trailingSuccesses += count;
    this.calls += count;
    if (this.calls > this.size) this.#dropOldest(this.calls - this.size);
  }

  expire(): void {
    // A count window only ages by new calls.
  }

  clear(): void {
    this.calls = this.failures = this.slowCalls = this.timedCalls = 0;
    this.#head = this.#queued = this.#trailingSuccesses = 0;
  }

  /** Drops the `count` oldest calls. */
  #dropOldest(count: number): void {
    let left = count;
    while (left > 0 && this.#queued > 0) {
      const queue = this.#queue as Uint32Array; // entries are queued, so it exists
      const entry = queue[this.#head] ?? 0;
      const successesBefore = entry >>> flagBits;
      if (left <= successesBefore) {
        queue[this.#head] = entry - (left << flagBits);
        this.calls -= left;
        return;
      }
      left -= successesBefore + 1;
      this.calls -= successesBefore + 1;
      this.#subtract(entry & flagMask);
      this.#head = (this.#head + 1) % queue.length;
      this.#queued--;
    }
    this.#trailingSuccesses -= left;
    this.calls -= left;
  }

  #enqueue(entry: number): void {
    let queue = this.#queue ?? this.#allocate();
    if (this.#queued === queue.length) queue = this.#grow(queue);
    queue[(this.#head + this.#queued) % queue.length] = entry;
    this.#queued++;
  }

  #allocate(): Uint32Array {
    this.#queue = new Uint32Array(Math.min(this.size, firstQueueLength));
    return this.#queue;
  }

  /** Doubles the queue (never past `size`: the window holds no more calls), oldest entry first. */
  #grow(queue: Uint32Array): Uint32Array {
    const grown = new Uint32Array(Math.min(this.size + 1, queue.length * 2));
    for (let index = 0; index < this.#queued; index++) {
      grown[index] = queue[(this.#head + index) % queue.length] ?? 0;
    }
    this.#head = 0;
    this.#queue = grown;
    return grown;
  }

  #add(flags: number): void {
    if (flags & outcomeFlags.failure) this.failures++;
    if (flags & outcomeFlags.slow) this.slowCalls++;
    if (flags & outcomeFlags.timed) this.timedCalls++;
  }

  #subtract(flags: number): void {
    if (flags & outcomeFlags.failure) this.failures--;
    if (flags & outcomeFlags.slow) this.slowCalls--;
    if (flags & outcomeFlags.timed) this.timedCalls--;
  }
}
