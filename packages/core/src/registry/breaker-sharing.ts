import type { BreakerRecord, BreakerTotals } from '../breaker/breaker-record';
import type { CircuitBreaker } from '../breaker/circuit-breaker';
import type { StateName } from '../breaker/circuit-state';
import type { TrialPermits } from '../breaker/trial-permits';
import type { Clock } from '../clock/clock';
import type { Unsubscribe } from '../events/emitter';
import type { StateStore } from '../store/state-store';
import type { PersistableOptions } from './persistable-options';
import type { RegistryEvents } from './registry-events';
import type { SharingStatus } from './sharing-status';

/** What one instance of the fleet last reported of its breakers (its own state and totals). */
export interface InstanceReport {
  readonly instance: string;
  /** Wall time (epoch ms) of the report. */
  readonly at: number;
  readonly mode: SharingStatus['mode'];
  readonly breakers: Readonly<
    Record<string, { readonly state: StateName; readonly totals: BreakerTotals }>
  >;
}

/** What a registry in shared mode lends the store that shares its breakers. */
export interface SharedRegistry {
  readonly clock: Clock;
  /** The breaker of `name`, if this instance has it. */
  get(name: string): CircuitBreaker | undefined;
  list(): string[];
  /** Takes up a record another instance published (kept for later if the breaker is not created yet). */
  adopt(record: BreakerRecord): void;
  /** The configuration override this instance holds for `service`, if any. */
  override(service: string): PersistableOptions | undefined;
  /** Applies a configuration change another instance made (audited there, not here again). */
  adoptOverride(service: string, options: PersistableOptions | null): void;
  /** Tells the registry (and its listeners) that the sharing mode changed. */
  reportSharing(status: SharingStatus): void;
  on<K extends keyof RegistryEvents>(
    type: K,
    listener: (event: RegistryEvents[K]) => void,
  ): Unsubscribe;
}

/** A store's end of sharing one registry's breakers with other instances. */
export interface BreakerSharing {
  /** The fleet-wide half-open trial budget of one breaker. */
  permitsFor(name: string): TrialPermits;
  status(): SharingStatus;
  /** The instances heard from recently, this one first: who reports what (if the store tracks it). */
  instances?(): readonly InstanceReport[];
  /**
   * Throws a `StoreUnavailableError` naming the store while this instance
   * cannot reach it: an operator's action or configuration change made then
   * would apply here only and split the fleet, so the registry refuses it.
   * Without this method the registry refuses one whenever `status()` is
   * degraded.
   */
  checkReachable?(): void;
  /** Publishes every pending count and transition, and waits for them. */
  flush(): Promise<void>;
  /** Stops sharing (publishes what is pending first); the store stays open. */
  close(): Promise<void>;
}

/** A store that can share breakers across processes (`Registry.open({ store, shared: true })`). */
export interface SharingStore extends StateStore {
  share(registry: SharedRegistry): Promise<BreakerSharing>;
}

/** Whether `store` can share breakers. */
export function isSharingStore(store: StateStore): store is SharingStore {
  return typeof (store as Partial<SharingStore>).share === 'function';
}
