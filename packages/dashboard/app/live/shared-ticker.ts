/** The timer functions the ticker needs; `FakeClock` from `@breakwater/core/testing` fits. */
export interface TickerClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const systemClock: TickerClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * One timer for every live time on the page (countdowns, "2 min ago"): it
 * runs only while something listens and ticks on whole seconds, so every
 * countdown changes at the same moment. Shaped for `useSyncExternalStore`.
 */
export class SharedTicker {
  readonly #clock: TickerClock;
  readonly #period: number;
  readonly #listeners = new Set<() => void>();
  #timer: unknown;
  #now: number;

  /** @param period ms between ticks (default 1000), aligned to multiples of it. */
  constructor(clock: TickerClock = systemClock, period = 1000) {
    this.#clock = clock;
    this.#period = period;
    this.#now = clock.now();
  }

  /** The time of the last tick (or of the first subscription), epoch ms. */
  readonly now = (): number => this.#now;

  /** Whether the timer is running. */
  get running(): boolean {
    return this.#timer !== undefined;
  }

  /** Adds a listener called on each tick; returns the function that removes it. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    if (this.#timer === undefined) {
      this.#now = this.#clock.now();
      this.#schedule();
    }
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0 && this.#timer !== undefined) {
        this.#clock.clearTimeout(this.#timer);
        this.#timer = undefined;
      }
    };
  };

  #schedule(): void {
    const wait = this.#period - (this.#clock.now() % this.#period);
    this.#timer = this.#clock.setTimeout(() => this.#tick(), wait);
  }

  #tick(): void {
    this.#now = this.#clock.now();
    this.#schedule();
    for (const listener of [...this.#listeners]) listener();
  }
}
