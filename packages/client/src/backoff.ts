/** How the client reconnects after losing the connection (or failing to make the first one). */
export interface ReconnectOptions {
  /** Ceiling of the first delay, ms. Default 1000. */
  readonly initialDelay?: number;
  /** Highest ceiling any delay can have, ms. Default 30 000. */
  readonly maxDelay?: number;
  /** Growth of the ceiling per failed attempt. Default 2. */
  readonly multiplier?: number;
  /**
   * Attempts in a row before giving up (`BW_RECONNECT_GAVE_UP`, then
   * `disconnected`); a successful connection starts the count again.
   * Default `Infinity`: never give up.
   */
  readonly maxAttempts?: number;
}

/** Reconnect options with every default filled in. */
export type ReconnectPolicy = Required<ReconnectOptions>;

export const defaultReconnectPolicy: ReconnectPolicy = Object.freeze({
  initialDelay: 1_000,
  maxDelay: 30_000,
  multiplier: 2,
  maxAttempts: Number.POSITIVE_INFINITY,
});

/**
 * Exponential backoff with full jitter: before attempt `n` (0 for the first
 * after a loss), wait a uniformly random time between 0 and
 * `min(maxDelay, initialDelay × multiplier^n)`. The randomness spreads the
 * clients of a restarted monitor over the whole window instead of having
 * them all come back at once.
 */
export function backoffDelay(policy: ReconnectPolicy, attempt: number, random: () => number) {
  const ceiling = Math.min(policy.maxDelay, policy.initialDelay * policy.multiplier ** attempt);
  return Math.floor(random() * ceiling);
}
