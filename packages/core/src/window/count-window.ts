import { type OutcomeWindow, outcomeFlags } from './outcome-window';

/** Bytes of the ring a window starts with; it doubles as calls come, up to `size`. */
const firstRingBytes = 16;

/**
 * The last `size` calls, in a ring of one byte per call. The ring is
 * allocated on the first call and grows with the calls seen, so a breaker
 * that made a few calls does not hold room for a hundred.
 */
export class CountWindow implements OutcomeWindow {
  readonly size: number;
  calls = 0;
  failures = 0;
  slowCalls = 0;
  timedCalls = 0;
  #ring: Uint8Array | undefined;
  #next = 0;

  constructor(size: number) {
    this.size = size;
  }

  record(flags: number): void {
    let ring = this.#ring ?? this.#allocate();
    if (this.calls === this.size) {
      const evicted = ring[this.#next] ?? 0;
      if (evicted !== 0) this.#subtract(evicted); // most calls are plain successes: nothing to take off
    } else {
      // Not full yet: calls fill the ring from 0, so `#next` is `calls` and a copy keeps the order.
      if (this.calls === ring.length) ring = this.#grow(ring);
      this.calls++;
    }
    ring[this.#next] = flags;
    this.#next = this.#next + 1 === this.size ? 0 : this.#next + 1;
    if (flags !== 0) this.#add(flags);
  }

  expire(): void {
    // A count window only ages by new calls.
  }

  clear(): void {
    this.calls = this.failures = this.slowCalls = this.timedCalls = 0;
    this.#next = 0;
  }

  #allocate(): Uint8Array {
    this.#ring = new Uint8Array(Math.min(this.size, firstRingBytes));
    return this.#ring;
  }

  #grow(ring: Uint8Array): Uint8Array {
    const grown = new Uint8Array(Math.min(this.size, ring.length * 2));
    grown.set(ring);
    this.#ring = grown;
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
