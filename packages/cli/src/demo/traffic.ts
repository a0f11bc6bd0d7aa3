import type { CircuitBreaker } from '@breakwater/core';
import type { Scenario } from './scenario';

const ignore = (): void => {};

/**
 * Simulated callers: one call to every service per tick, each through the
 * service's breaker, failing or not as the scenario says. Outcomes are read
 * back from the breakers' status (ok, failed, rejected), not counted here.
 */
export class Traffic {
  readonly #breakers: readonly CircuitBreaker[];
  readonly #scenario: Scenario;
  readonly #pending = new Set<Promise<void>>();

  constructor(breakers: readonly CircuitBreaker[], scenario: Scenario) {
    this.#breakers = breakers;
    this.#scenario = scenario;
  }

  /** Sends one call to every service at demo time `atMs`. */
  send(atMs: number): void {
    for (const breaker of this.#breakers) {
      const failure = this.#scenario.failureAt(breaker.name, atMs);
      const call = breaker.execute(() =>
        failure === undefined ? Promise.resolve() : Promise.reject(failure),
      );
      // A rejection (failure or fast fail) is the expected outcome here; the breaker has recorded it.
      const settled: Promise<void> = call
        .then(ignore, ignore)
        .finally(() => this.#pending.delete(settled));
      this.#pending.add(settled);
    }
  }

  /** Resolves once every call sent so far has settled. */
  async drain(): Promise<void> {
    await Promise.all(this.#pending);
  }
}
