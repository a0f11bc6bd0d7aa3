import type { CircuitBreakerOptions } from '../breaker/breaker-options';
import type { Clock } from '../clock/clock';
import { StoreUnavailableError } from '../errors/store-unavailable-error';
import type { Unsubscribe } from '../events/emitter';
import type { BreakerMap } from './breaker-map';
import type {
  BreakerSharing,
  InstanceReport,
  SharedRegistry,
  SharingStore,
} from './breaker-sharing';
import type { EventRelay } from './event-relay';
import type { RegistryEvents } from './registry-events';
import type { SharingStatus } from './sharing-status';

/** What the bridge lends the sharing store of the registry. */
export interface BridgedRegistry {
  readonly clock: Clock;
  readonly map: BreakerMap;
  readonly events: EventRelay;
  /** The registry's own `on` (it also starts relaying breaker events). */
  on<K extends keyof RegistryEvents>(
    type: K,
    listener: (event: RegistryEvents[K]) => void,
  ): Unsubscribe;
}

/**
 * A registry's end of shared mode: hands every breaker, present and future,
 * the fleet's half-open trial budget, lets the sharing store take up records
 * and overrides other instances published, and reports whether this
 * instance is in step with the fleet. Inactive (every method a no-op) until
 * {@link start}.
 */
export class SharingBridge {
  readonly #registry: BridgedRegistry;
  #sharing: BreakerSharing | undefined;

  constructor(registry: BridgedRegistry) {
    this.#registry = registry;
  }

  /** Whether transitions and counts go to the fleet. */
  get active(): boolean {
    return this.#sharing !== undefined;
  }

  /** Shares the registry's breakers through `store` from now on. */
  async start(store: SharingStore): Promise<void> {
    const sharing = await store.share(this.#view());
    this.#sharing = sharing;
    for (const breaker of this.#registry.map.breakers()) {
      breaker.reconfigure({ trialPermits: sharing.permitsFor(breaker.name) });
    }
  }

  /** What a new breaker needs in shared mode: the fleet-wide trial budget. */
  breakerOptions(name: string): Pick<CircuitBreakerOptions, 'trialPermits'> {
    return this.#sharing === undefined ? {} : { trialPermits: this.#sharing.permitsFor(name) };
  }

  status(): SharingStatus | undefined {
    return this.#sharing?.status();
  }

  /** Throws a `StoreUnavailableError` while shared and out of reach of the fleet's store. */
  checkReachable(): void {
    const sharing = this.#sharing;
    if (sharing === undefined) return;
    if (sharing.checkReachable !== undefined) {
      sharing.checkReachable();
      return;
    }
    const { mode, reason } = sharing.status();
    if (mode === 'degraded') {
      throw new StoreUnavailableError(
        'The shared store',
        `${reason}; manual actions and configuration changes are refused until this instance is back in step`,
      );
    }
  }

  instances(): readonly InstanceReport[] | undefined {
    return this.#sharing?.instances?.();
  }

  async flush(): Promise<void> {
    await this.#sharing?.flush();
  }

  async close(): Promise<void> {
    await this.#sharing?.close();
  }

  /** What the sharing store may see and do of the registry. */
  #view(): SharedRegistry {
    const { clock, map, events } = this.#registry;
    return {
      clock,
      get: (name) => map.get(name),
      list: () => map.names(),
      adopt: (record) => map.deliver(record, (breaker) => breaker.adopt(record)),
      override: (service) => map.override(service),
      adoptOverride: (service, options) => map.applyOverride(service, options),
      reportSharing: (status) => {
        events.emit('sharingChange', { type: 'sharingChange', at: clock.now(), status });
      },
      on: (type, listener) => this.#registry.on(type, listener),
    };
  }
}
