import type { CircuitBreaker } from '../breaker/circuit-breaker';
import type { Clock } from '../clock/clock';
import type { StateStore } from '../store/state-store';
import type { BreakerMap } from './breaker-map';
import type { EventRelay } from './event-relay';
import { WriteBehind } from './write-behind';

/**
 * What a registry keeps in its store: breaker records (saved behind the
 * transitions that change them, every one at a checkpoint), configuration
 * overrides and audit entries, all through one write queue so they land in
 * order; and the restore of records and overrides at open. A failed write
 * never fails a call: it is reported as a `storeError` event.
 */
export class RegistryPersistence {
  readonly #store: StateStore;
  readonly #map: BreakerMap;
  readonly #events: EventRelay;
  readonly #clock: Clock;
  readonly #writes: WriteBehind;
  #recordsShared = false;

  constructor(store: StateStore, map: BreakerMap, events: EventRelay, clock: Clock) {
    this.#store = store;
    this.#map = map;
    this.#events = events;
    this.#clock = clock;
    this.#writes = new WriteBehind(store, (operation, error) => this.#storeError(operation, error));
  }

  /**
   * In shared mode records belong to the fleet (the sharing publishes them,
   * versioned there); overrides and the audit log are still written here.
   */
  leaveRecordsToFleet(): void {
    this.#recordsShared = true;
  }

  /** Marks a breaker's record for saving (in shared mode, nothing to do). */
  touch(breaker: CircuitBreaker): void {
    if (!this.#recordsShared) this.#writes.touch(breaker);
  }

  /** Runs `write` on the store after every write queued before it; resolves or rejects with it. */
  write<T>(write: (store: StateStore) => Promise<T>): Promise<T> {
    return this.#writes.enqueue(() => write(this.#store));
  }

  /** Takes up every saved override and breaker record (a breaker not created yet gets its record on creation). */
  async restore(): Promise<void> {
    await this.restoreOverrides();
    for (const record of await this.#store.loadBreakers()) {
      this.#writes.knowVersion(record.name, record.version);
      this.#map.deliver(record, (breaker) => breaker.restore(record));
    }
  }

  async restoreOverrides(): Promise<void> {
    const overrides = await this.#store.loadOverrides();
    for (const [name, override] of Object.entries(overrides))
      this.#map.applyOverride(name, override);
  }

  /** Saves every breaker's current record, not only those that changed state, and waits for it. */
  checkpoint(): Promise<void> {
    if (!this.#recordsShared)
      for (const breaker of this.#map.breakers()) this.#writes.touch(breaker);
    return this.#writes.flush();
  }

  /** Waits for every queued write. */
  flush(): Promise<void> {
    return this.#writes.flush();
  }

  /** Releases the store (after {@link checkpoint}). */
  close(): Promise<void> {
    return this.#store.close();
  }

  #storeError(operation: string, error: unknown): void {
    if (this.#events.has('storeError')) {
      this.#events.emit('storeError', {
        type: 'storeError',
        at: this.#clock.now(),
        operation,
        error,
      });
    } else {
      console.error(`[breakwater] store write failed (${operation}):`, error);
    }
  }
}
