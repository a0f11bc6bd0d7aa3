/** One client's count in the current window. */
interface Window {
  start: number;
  used: number;
  refused: number;
}

export interface ClientBudgetOptions {
  /** Units a client may spend per window. */
  readonly limit: number;
  /** Window length, ms. Default 60 000. */
  readonly windowMs?: number;
  /** Clients remembered at once; the one seen longest ago is forgotten first. Default 10 000. */
  readonly maxClients?: number;
  /** The time windows are measured by, ms. */
  readonly now: () => number;
}

/**
 * A fixed-window budget per client (an address, a principal): `limit`
 * units per window, then refusals until the window ends. Three numbers per
 * client in one map bounded by `maxClients` (least recently seen evicted),
 * and no timer: a window is renewed when its client is next seen.
 */
export class ClientBudget {
  readonly limit: number;
  readonly windowMs: number;
  readonly #maxClients: number;
  readonly #now: () => number;
  readonly #windows = new Map<string, Window>();

  constructor(options: ClientBudgetOptions) {
    this.limit = options.limit;
    this.windowMs = options.windowMs ?? 60_000;
    this.#maxClients = options.maxClients ?? 10_000;
    this.#now = options.now;
  }

  /** Ms until `client` may spend again; 0 when it may now. Spends nothing. */
  waitFor(client: string): number {
    const window = this.#window(client);
    if (window.used < this.limit) return 0;
    return Math.max(1, window.start + this.windowMs - this.#now());
  }

  /** Spends one unit of `client`'s budget in its current window. */
  spend(client: string): void {
    this.#window(client).used += 1;
  }

  /** Counts a refusal of `client` in its current window; returns how many there were so far in it. */
  refuse(client: string): number {
    const window = this.#window(client);
    window.refused += 1;
    return window.refused;
  }

  /** How many clients are remembered (at most `maxClients`). */
  get size(): number {
    return this.#windows.size;
  }

  /** `client`'s window, renewed when it has ended, and marked as seen last. */
  #window(client: string): Window {
    const now = this.#now();
    let window = this.#windows.get(client);
    if (window !== undefined) this.#windows.delete(client);
    if (window === undefined || now - window.start >= this.windowMs) {
      window = { start: now, used: 0, refused: 0 };
    }
    this.#windows.set(client, window);
    if (this.#windows.size > this.#maxClients) {
      const oldest = this.#windows.keys().next().value;
      if (oldest !== undefined) this.#windows.delete(oldest);
    }
    return window;
  }
}
