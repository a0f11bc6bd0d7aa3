import type { CircuitBreaker } from '../breaker/circuit-breaker';
import type { StateStore } from '../store/state-store';

/**
 * Saves breaker records behind the calls that change them: a transition only
 * marks its breaker dirty, and one serial chain writes the latest record of
 * every dirty breaker (several transitions in a burst become one write). No
 * call ever waits for the store; `flush()` waits for everything queued.
 */
export class WriteBehind {
  readonly #store: StateStore;
  readonly #onError: (operation: string, error: unknown) => void;
  readonly #dirty = new Map<string, CircuitBreaker>();
  readonly #versions = new Map<string, number>();
  #chain: Promise<void> = Promise.resolve();
  #scheduled = false;

  constructor(store: StateStore, onError: (operation: string, error: unknown) => void) {
    this.#store = store;
    this.#onError = onError;
  }

  /** The version the next save of `name` starts from (from a loaded record). */
  knowVersion(name: string, version: number): void {
    this.#versions.set(name, Math.max(version, this.#versions.get(name) ?? 0));
  }

  /** Marks a breaker's record for saving. */
  touch(breaker: CircuitBreaker): void {
    this.#dirty.set(breaker.name, breaker);
    if (this.#scheduled) return;
    this.#scheduled = true;
    this.#chain = this.#chain.then(() => this.#writeDirty());
  }

  /** Forgets a removed breaker: an unsaved change of it is dropped, and a new one of the name starts at version 1. */
  forget(name: string): void {
    this.#dirty.delete(name);
    this.#versions.delete(name);
  }

  /**
   * Saves `breaker`'s record after everything queued before it (taking it
   * out of the next write-behind batch); resolves once stored, rejects with
   * the store's error.
   */
  save(breaker: CircuitBreaker): Promise<void> {
    this.#dirty.delete(breaker.name);
    return this.enqueue(() => this.#saveRecord(breaker));
  }

  /** Runs `write` after everything queued before it; resolves or rejects with it. */
  enqueue<T>(write: () => Promise<T>): Promise<T> {
    const result = this.#chain.then(write);
    this.#chain = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** Resolves once every write queued so far has finished. */
  async flush(): Promise<void> {
    await this.#chain;
    if (this.#dirty.size > 0) await this.#writeDirty();
  }

  async #writeDirty(): Promise<void> {
    this.#scheduled = false;
    const batch = [...this.#dirty.values()];
    this.#dirty.clear();
    for (const breaker of batch) {
      try {
        await this.#saveRecord(breaker);
      } catch (error) {
        this.#onError(`saveBreaker(${breaker.name})`, error);
      }
    }
  }

  /** Saves the breaker's current record under its next version. */
  async #saveRecord(breaker: CircuitBreaker): Promise<void> {
    const version = (this.#versions.get(breaker.name) ?? 0) + 1;
    await this.#store.saveBreaker(breaker.toRecord(version));
    this.#versions.set(breaker.name, version);
  }
}
