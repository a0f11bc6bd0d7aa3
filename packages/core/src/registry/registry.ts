import type { CircuitBreakerOptions } from '../breaker/breaker-options';
import { CircuitBreaker } from '../breaker/circuit-breaker';
import { type Clock, systemClock } from '../clock/clock';
import { ConfigError } from '../errors/config-error';
import { RegistryClosedError } from '../errors/registry-closed-error';
import type { Unsubscribe } from '../events/emitter';
import { MemoryStore } from '../store/memory-store';
import type { Actor, AuditEntry, AuditQuery, StateStore } from '../store/state-store';
import { AuditTrail } from './audit-trail';
import { BreakerMap } from './breaker-map';
import { type InstanceReport, isSharingStore } from './breaker-sharing';
import { EventRelay } from './event-relay';
import { HealthRollup, type RegistryStatus } from './health-rollup';
import { type Change, ManualControl, systemActor } from './manual-control';
import type { PersistableOptions } from './persistable-options';
import type { RegistryEvents } from './registry-events';
import { RegistryPersistence } from './registry-persistence';
import type { ServicesConfig } from './service-config';
import { SharingBridge } from './sharing-bridge';
import type { SharingStatus } from './sharing-status';

/** Who `auditAccessRefusals` entries name: the monitor itself, on behalf of nobody. */
const monitorActor: Actor = Object.freeze({ id: 'monitor', role: 'system' });

export interface RegistryOptions {
  /** The services, by name: preset and/or options, `dependsOn`, `layer`. */
  readonly services?: ServicesConfig;
  readonly clock?: Clock;
  /** A service whose counts have not changed for this long (ms) is `unknown`. Default 300 000. */
  readonly staleAfter?: number;
}

export interface OpenRegistryOptions extends RegistryOptions {
  /** Where states, overrides and the audit log are kept. */
  readonly store: StateStore;
  /**
   * Share every breaker with the other instances on the same store (a store
   * that can, like `RedisStore`): one instance's open is every instance's
   * open, counts add up across the fleet, and half-open trials are budgeted
   * fleet-wide. Default false.
   */
  readonly shared?: boolean;
}

/**
 * A fleet of named breakers: per-service configuration from presets, a
 * dependency graph for cascade awareness, health roll-up, run-time
 * reconfiguration, audited manual control, and — with a store — state that
 * survives restarts. Build with `new Registry()` (in memory) or
 * `await Registry.open({ store })` (restored from the store).
 *
 * The registry itself keeps the breakers by name and wires the parts that
 * do the rest: events (`EventRelay`), health (`HealthRollup`), manual
 * control and configuration (`ManualControl`, `AuditTrail`), the store
 * (`RegistryPersistence`) and shared mode (`SharingBridge`).
 */
export class Registry {
  readonly #clock: Clock;
  readonly #map: BreakerMap;
  readonly #events: EventRelay;
  readonly #health: HealthRollup;
  readonly #persistence: RegistryPersistence;
  readonly #audit: AuditTrail;
  readonly #control: ManualControl;
  readonly #sharing: SharingBridge;
  #closed = false;

  constructor(options: RegistryOptions = {}) {
    const clock = options.clock ?? systemClock;
    this.#clock = clock;
    this.#health = new HealthRollup(clock, options.staleAfter);
    const map = new BreakerMap(options.services ?? {});
    this.#map = map;
    // Every transition is saved (outside shared mode), whoever listens.
    const events = new EventRelay(
      () => map.breakers(),
      (breaker) => this.#persistence.touch(breaker),
    );
    this.#events = events;
    const store = (options as Partial<OpenRegistryOptions>).store ?? new MemoryStore();
    const persistence = new RegistryPersistence(store, map, events, clock);
    this.#persistence = persistence;
    const audit = new AuditTrail(clock, persistence);
    this.#audit = audit;
    const checkOpen = () => this.#checkOpen();
    const checkReachable = () => this.#sharing.checkReachable();
    this.#control = new ManualControl({
      clock,
      map,
      events,
      persistence,
      audit,
      checkOpen,
      checkReachable,
    });
    const on: Registry['on'] = (type, listener) => this.on(type, listener);
    this.#sharing = new SharingBridge({ clock, map, events, on });
    for (const name of map.serviceNames()) this.breaker(name);
  }

  /** A registry restored from `store`: every saved breaker state and configuration override. */
  static async open(options: OpenRegistryOptions): Promise<Registry> {
    const { store, shared = false } = options;
    if (typeof shared !== 'boolean') throw new ConfigError('shared', shared, 'true or false');
    if (shared && !isSharingStore(store)) {
      throw new ConfigError(
        'shared',
        shared,
        'false, or a store that can share breakers (RedisStore)',
      );
    }
    const registry = new Registry(options);
    if (shared && isSharingStore(store)) {
      // The sharing takes up the fleet's overrides and records as it joins, checking each.
      await registry.#sharing.start(store);
      // From here on the sharing publishes records; the store keeps overrides and the audit log.
      registry.#persistence.leaveRecordsToFleet();
    } else {
      await registry.#persistence.restore();
    }
    return registry;
  }

  /** Gets the breaker of `name`, creating it on first use (from its service config, else from `options`). */
  breaker(name: string, options?: CircuitBreakerOptions): CircuitBreaker {
    const existing = this.#map.get(name);
    if (existing !== undefined) return existing;
    this.#checkOpen();
    const breaker = new CircuitBreaker(name, {
      ...(this.#map.service(name)?.options ?? options),
      ...this.#map.override(name),
      clock: this.#clock,
      ...this.#sharing.breakerOptions(name),
    });
    this.#map.add(breaker);
    this.#health.track(name);
    this.#events.attach(breaker);
    const pending = this.#map.takePending(name);
    if (pending !== undefined)
      this.#persistence.takeUp(breaker, pending, this.#sharing.active ? 'adopt' : 'restore');
    return breaker;
  }

  /** The breaker of `name`, or undefined. */
  get(name: string): CircuitBreaker | undefined {
    return this.#map.get(name);
  }

  /** Names of every breaker, configured services first. */
  list(): string[] {
    return this.#map.names();
  }

  /**
   * Removes a breaker that no configured service depends on, and everything
   * the registry keeps of it: its events no longer reach the registry's
   * listeners (whoever still holds it), its configuration override is
   * dropped, and its stored record and override are deleted from the store
   * behind the call (`flush()` waits for that). In shared mode the store's
   * record and override belong to the fleet and stay. A breaker of the same
   * name created later starts afresh. False when there is no such breaker.
   */
  remove(name: string): boolean {
    const breaker = this.#map.remove(name);
    if (breaker === undefined) return false;
    this.#events.detach(breaker);
    this.#health.forget(name);
    this.#persistence.forget(name);
    return true;
  }

  /** The configured dependencies of a service. */
  dependenciesOf(name: string): readonly string[] {
    return this.#map.graph.dependenciesOf(name);
  }

  /** Every service downstream of `name`: who is affected if it fails, nearest first. */
  affectedBy(name: string): string[] {
    this.#map.require(name);
    return this.#map.graph.affectedBy(name);
  }

  /** Every breaker's status with its health roll-up and the fleet's totals. */
  status(): RegistryStatus {
    return this.#health.status(this.#map, this.#sharing.status());
  }

  /** Services whose circuit rejects calls (open or forced open). */
  openCircuits(): string[] {
    return this.list().filter((name) => {
      const state = this.#map.get(name)?.state;
      return state === 'open' || state === 'forced-open';
    });
  }

  /** Closes one circuit and forgets its failures and backoff. Audited. */
  reset(name: string, actor: Actor = systemActor): Promise<Change<string>> {
    return this.#control.act('reset', name, actor);
  }

  /** Rejects every call of `name` until released. Audited. */
  forceOpen(name: string, actor: Actor = systemActor): Promise<Change<string>> {
    return this.#control.act('force-open', name, actor);
  }

  /** Lets every call of `name` through without tripping until released. Audited. */
  disable(name: string, actor: Actor = systemActor): Promise<Change<string>> {
    return this.#control.act('disable', name, actor);
  }

  /** Ends force-open or disable on `name`. Audited. */
  release(name: string, actor: Actor = systemActor): Promise<Change<string>> {
    return this.#control.act('release', name, actor);
  }

  /** Resets every breaker. Audited once, with every state before and after. */
  resetAll(actor: Actor = systemActor): Promise<Change<Record<string, string>>> {
    return this.#control.resetAll(actor);
  }

  /**
   * Changes a service's options at run time, keeping its state and counts.
   * Only plain-data options can change (they are persisted and audited); a
   * bad value throws a `ConfigError` naming it and changes nothing.
   */
  configure(
    name: string,
    changes: PersistableOptions,
    actor: Actor = systemActor,
  ): Promise<Change<PersistableOptions>> {
    return this.#control.configure(name, changes, actor);
  }

  /**
   * Audits what a monitor refused over one period (action `refuse-access`,
   * target `*`, actor `monitor`): `summary` should be small and bounded, since
   * it comes from what clients sent. Resolves once it is stored.
   */
  auditAccessRefusals(summary: unknown): Promise<void> {
    return this.#audit.record('refuse-access', '*', monitorActor, null, summary, 'refused');
  }

  /** Audit entries, newest first. */
  audit(query?: AuditQuery): Promise<AuditEntry[]> {
    return this.#audit.query(query);
  }

  /** Subscribes to registry events: every breaker's events (with `service`), `configChange`, `manualAction`, `storeError`. */
  on<K extends keyof RegistryEvents>(
    type: K,
    listener: (event: RegistryEvents[K]) => void,
  ): Unsubscribe {
    return this.#events.on(type, listener);
  }

  /** Waits for every queued store write (in shared mode, for every pending publish too). */
  async flush(): Promise<void> {
    await this.#sharing.flush();
    await this.#persistence.flush();
  }

  /** In shared mode, whether this instance is in step with the fleet; undefined otherwise. */
  sharingStatus(): SharingStatus | undefined {
    return this.#sharing.status();
  }

  /**
   * In shared mode, this instance and every instance heard from recently,
   * with what each reports; undefined otherwise. The first call makes this
   * instance a reader of the fleet's reports, which the others then send it:
   * that first answer may list this instance alone.
   */
  fleetInstances(): readonly InstanceReport[] | undefined {
    return this.#sharing.instances();
  }

  /**
   * Saves every breaker's current record (totals and counters included),
   * not only those that changed state since the last write, and waits for it.
   */
  checkpoint(): Promise<void> {
    // Shared records belong to the fleet: the sharing publishes them, versioned there.
    if (this.#sharing.active) return this.flush();
    return this.#persistence.checkpoint();
  }

  /** Saves every breaker (see {@link checkpoint}), flushes every pending write and releases the store. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.checkpoint();
    await this.#sharing.close();
    await this.#persistence.close();
  }

  /** After `close()`, nothing more is created, changed or audited. */
  #checkOpen(): void {
    if (this.#closed) throw new RegistryClosedError();
  }
}
