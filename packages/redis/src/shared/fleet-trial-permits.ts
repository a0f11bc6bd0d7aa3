import type { TrialOutcome, TrialPermits } from '@breakwater/core';

/** What a breaker's permits need from the sharing they belong to. */
export interface PermitSource {
  /** True while the fleet cannot be reached: trials are then budgeted locally only. */
  readonly degraded: boolean;
  /** Asks the fleet for one permit; resolves with its lease id, or undefined when none is free. */
  acquire(breaker: string): Promise<string | undefined>;
  /** Gives a permit back with its trial's outcome (fire and forget). */
  release(breaker: string, lease: string, outcome: TrialOutcome): void;
}

/**
 * One shared breaker's half-open trial permits, answered synchronously from
 * leases already fetched: a trial call never waits for Redis. When none is
 * at hand the call is rejected (as half-open) and one is fetched in the
 * background for the next call. While the fleet is unreachable every trial is
 * allowed here and the breaker's own `halfOpenMaxCalls` is the limit.
 */
export class FleetTrialPermits implements TrialPermits {
  readonly #breaker: string;
  readonly #source: PermitSource;
  readonly #lease: number;
  readonly #now: () => number;
  /** Leases fetched and not used yet, with when each was fetched. */
  readonly #ready: Array<{ id: string; at: number }> = [];
  /** Leases of trials in flight, oldest first; null for a trial allowed while degraded. */
  readonly #inUse: Array<string | null> = [];
  #fetching = false;

  constructor(breaker: string, source: PermitSource, leaseMs: number, now: () => number) {
    this.#breaker = breaker;
    this.#source = source;
    this.#lease = leaseMs;
    this.#now = now;
  }

  tryAcquire(): boolean {
    if (this.#source.degraded) {
      this.#inUse.push(null);
      return true;
    }
    const now = this.#now();
    // A lease about to lapse in Redis is no permit at all: another instance may take it.
    while (this.#ready.length > 0 && now - (this.#ready[0]?.at ?? 0) > this.#lease / 2) {
      this.#ready.shift();
    }
    const ready = this.#ready.shift();
    if (ready !== undefined) {
      this.#inUse.push(ready.id);
      return true;
    }
    this.#fetch();
    return false;
  }

  release(outcome: TrialOutcome): void {
    // Trials end in any order, but every lease is alike: give back the oldest.
    const lease = this.#inUse.shift();
    if (lease !== null && lease !== undefined) this.#source.release(this.#breaker, lease, outcome);
  }

  #fetch(): void {
    if (this.#fetching) return;
    this.#fetching = true;
    this.#source
      .acquire(this.#breaker)
      .then((id) => {
        if (id !== undefined) this.#ready.push({ id, at: this.#now() });
      })
      .catch(() => {
        // The sharing reports the outage; the next trial asks again.
      })
      .finally(() => {
        this.#fetching = false;
      });
  }
}
