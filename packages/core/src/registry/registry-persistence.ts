import type { BreakerRecord } from '../breaker/breaker-record';
import type { CircuitBreaker } from '../breaker/circuit-breaker';
import { recordOddities } from '../breaker/record-oddities';
import type { Clock } from '../clock/clock';
import type { StateStore } from '../store/state-store';
import type { BreakerMap } from './breaker-map';
import type { EventRelay } from './event-relay';
import { checkPersistableOptions, type PersistableOptions } from './persistable-options';
import { WriteBehind } from './write-behind';

/**
 * What a registry keeps in its store: breaker records (saved behind the
 * transitions that change them, every one at a checkpoint), configuration
 * overrides and audit entries, all through one write queue so they land in
 * order; and the restore of records and overrides at open. A failed write
 * never fails a call, and a stored value that cannot be taken up never
 * fails the restore: both are reported as `storeError` events.
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

  /** Whether the store keeps the breakers' records (not in shared mode, where the fleet does). */
  get keepsRecords(): boolean {
    return !this.#recordsShared;
  }

  /**
   * Saves a breaker's current record now, behind every queued write, and
   * resolves once the store holds it; rejects with the store's error. What
   * an operator's action is acknowledged on. In shared mode, nothing to do.
   */
  save(breaker: CircuitBreaker): Promise<void> {
    return this.#recordsShared ? Promise.resolve() : this.#writes.save(breaker);
  }

  /**
   * Forgets a removed breaker: its unsaved changes, and — unless records
   * belong to the fleet — its stored record and override, deleted behind the
   * call (`flush()` waits; a failure is a `storeError`).
   */
  forget(name: string): void {
    this.#writes.forget(name);
    if (this.#recordsShared) return;
    this.writeReported(`deleteBreaker(${name})`, (store) => store.deleteBreaker(name));
    this.writeReported(`saveOverride(${name}, null)`, (store) => store.saveOverride(name, null));
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
      this.#map.deliver(record, (breaker) => this.takeUp(breaker, record, 'restore'));
    }
  }

  /**
   * Takes up every saved override. One that is no longer valid (saved before
   * a bound it breaks) is reported as a `storeError` and left out: the
   * service runs on its configuration, and the next change replaces it.
   */
  async restoreOverrides(): Promise<void> {
    const overrides = await this.#store.loadOverrides();
    for (const [name, override] of Object.entries(overrides)) {
      let checked: PersistableOptions;
      try {
        checked = checkPersistableOptions(override);
      } catch (error) {
        this.#storeError(`loadOverrides(${name})`, error);
        continue;
      }
      this.#map.applyOverride(name, checked);
    }
  }

  /**
   * Hands `record` to its breaker (`restore`, or `adopt` in shared mode)
   * without ever failing the caller: a record the breaker refuses is
   * reported as a `storeError` and the breaker keeps its state; one it takes
   * up differently than written (an open period beyond the longest duration,
   * a time no Date can hold) is taken up and reported.
   */
  takeUp(breaker: CircuitBreaker, record: BreakerRecord, how: 'restore' | 'adopt'): void {
    const operation = `${how}(${breaker.name})`;
    try {
      if (how === 'restore') breaker.restore(record);
      else breaker.adopt(record);
    } catch (error) {
      this.#storeError(operation, error);
      return;
    }
    for (const oddity of recordOddities(record, this.#clock.now()))
      this.#storeError(operation, oddity);
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

  /** Queues a write nobody waits for: its failure is reported. */
  writeReported(operation: string, write: (store: StateStore) => Promise<void>): void {
    this.write(write).catch((error: unknown) => this.#storeError(operation, error));
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
      console.error(`[breakwater] store: ${operation}:`, error);
    }
  }
}
