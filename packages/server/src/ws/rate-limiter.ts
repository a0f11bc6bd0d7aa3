/** What the limiter says about one message. */
export type RateVerdict = 'allow' | 'reject' | 'disconnect';

/**
 * A per-connection message budget over a fixed one-minute window: up to
 * `limit` messages are allowed, the next ones are rejected, and a client
 * that goes past twice the limit in one window is disconnected. Fixed
 * windows keep it at two numbers per connection.
 */
export class RateLimiter {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  #windowStart = Number.NEGATIVE_INFINITY;
  #count = 0;

  constructor(limit: number, now: () => number, windowMs = 60_000) {
    this.#limit = limit;
    this.#now = now;
    this.#windowMs = windowMs;
  }

  /** Counts one message and says what to do with it. */
  take(): RateVerdict {
    const now = this.#now();
    if (now - this.#windowStart >= this.#windowMs) {
      this.#windowStart = now;
      this.#count = 0;
    }
    this.#count += 1;
    if (this.#count <= this.#limit) return 'allow';
    if (this.#count <= this.#limit * 2) return 'reject';
    return 'disconnect';
  }
}
