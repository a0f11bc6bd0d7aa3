import { type OutcomeWindow, outcomeFlags } from './outcome-window';

/** The last `size` calls, in a ring of one byte per call, allocated on the first call. */
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
    const ring = this.#ring ?? this.#allocate();
    if (this.calls === this.size) this.#subtract(ring[this.#next] ?? 0);
    else this.calls++;
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
    this.#ring = new Uint8Array(this.size);
    return this.#ring;
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
