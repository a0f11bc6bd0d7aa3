import type { StateName, TransitionReason } from '@breakwater/core';

/** One state change of a service, as the registry reported it. */
export interface TransitionEntry {
  /** When, epoch ms (the registry's clock). */
  readonly at: number;
  readonly from: StateName;
  readonly to: StateName;
  readonly reason: TransitionReason;
}

/**
 * The last `perService` transitions of every service, in memory. Appending
 * is amortised O(1): a service's list may grow to twice its bound before the
 * oldest half is dropped in one go.
 */
export class TransitionLog {
  readonly #perService: number;
  readonly #entries = new Map<string, TransitionEntry[]>();

  constructor(perService: number) {
    this.#perService = perService;
  }

  /** The most a service keeps (and the most {@link newest} returns). */
  get perService(): number {
    return this.#perService;
  }

  record(service: string, entry: TransitionEntry): void {
    let entries = this.#entries.get(service);
    if (entries === undefined) {
      entries = [];
      this.#entries.set(service, entries);
    }
    entries.push(entry);
    if (entries.length >= 2 * this.#perService)
      entries.splice(0, entries.length - this.#perService);
  }

  /** A service's last `limit` transitions, newest first. */
  newest(service: string, limit: number): TransitionEntry[] {
    const entries = this.#entries.get(service) ?? [];
    const count = Math.min(limit, this.#perService, entries.length);
    return entries.slice(entries.length - count).reverse();
  }

  /** Forgets the services not in `present` (removed from the registry). */
  retain(present: ReadonlySet<string>): void {
    for (const service of this.#entries.keys()) {
      if (!present.has(service)) this.#entries.delete(service);
    }
  }
}
