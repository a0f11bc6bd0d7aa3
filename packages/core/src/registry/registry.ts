import type { CircuitBreakerOptions } from '../breaker/breaker-options';
import type { BreakerRecord } from '../breaker/breaker-record';
import type { BreakerStatus } from '../breaker/breaker-status';
import { CircuitBreaker } from '../breaker/circuit-breaker';
import { type Clock, systemClock } from '../clock/clock';
import { ConfigError } from '../errors/config-error';
import { UnknownServiceError } from '../errors/unknown-service-error';
import { Emitter, type Unsubscribe } from '../events/emitter';
import { MemoryStore } from '../store/memory-store';
import type { Actor, AuditEntry, AuditQuery, StateStore } from '../store/state-store';
import {
  type BreakerSharing,
  type InstanceReport,
  isSharingStore,
  type SharedRegistry,
  type SharingStatus,
} from './breaker-sharing';
import { DependencyGraph } from './dependency-graph';
import {
  checkPersistableOptions,
  type PersistableOptions,
  persistableView,
} from './persistable-options';
import {
  type ForwardedEventType,
  forwardedEventTypes,
  type RegistryEvents,
} from './registry-events';
import { type ResolvedService, resolveService, type ServicesConfig } from './service-config';
import { assessHealth, type ServiceHealth } from './service-health';
import { WriteBehind } from './write-behind';

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

/** One service in a registry status. */
export interface ServiceStatus {
  readonly service: string;
  readonly health: ServiceHealth;
  /** Direct dependencies that are failed or degraded (why this one may be degraded). */
  readonly degradedBy: readonly string[];
  readonly dependsOn: readonly string[];
  readonly layer: string | null;
  readonly breaker: BreakerStatus;
}

export interface RegistryStatus {
  readonly timestamp: string;
  readonly total: number;
  readonly healthy: number;
  readonly degraded: number;
  readonly failed: number;
  readonly unknown: number;
  /** Services whose circuit rejects calls (open or forced open). */
  readonly openCircuits: readonly string[];
  readonly services: readonly ServiceStatus[];
  /** In shared mode: whether this instance is in step with the fleet. Absent otherwise. */
  readonly sharing?: SharingStatus;
}

/** Before and after of a manual action or a configuration change. */
export interface Change<T> {
  readonly before: T;
  readonly after: T;
}

/** The actor recorded when none is given. */
export const systemActor: Actor = Object.freeze({ id: 'system', role: 'system' });

type ManualAction = 'reset' | 'force-open' | 'disable' | 'release';

interface Activity {
  count: number;
  at: number;
}

/**
 * A fleet of named breakers: per-service configuration from presets, a
 * dependency graph for cascade awareness, health roll-up, run-time
 * reconfiguration, audited manual control, and — with a store — state that
 * survives restarts. Build with `new Registry()` (in memory) or
 * `await Registry.open({ store })` (restored from the store).
 */
export class Registry {
  readonly #clock: Clock;
  readonly #staleAfter: number;
  readonly #store: StateStore;
  readonly #writes: WriteBehind;
  readonly #services = new Map<string, ResolvedService>();
  readonly #breakers = new Map<string, CircuitBreaker>();
  readonly #overrides = new Map<string, PersistableOptions>();
  /** Records loaded for breakers not created yet (created on first `breaker(name)`). */
  readonly #pendingRecords = new Map<string, BreakerRecord>();
  readonly #activity = new Map<string, Activity>();
  readonly #events = new Emitter<RegistryEvents>((error) => this.#reportListenerError(error));
  readonly #forwarded = new Set<ForwardedEventType>(['stateChange']);
  #graph: DependencyGraph;
  #closed = false;
  /** Set in shared mode: transitions and counts go to the fleet through it. */
  #sharing: BreakerSharing | undefined;

  constructor(options: RegistryOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#staleAfter = checkStaleAfter(options.staleAfter);
    this.#store = (options as Partial<OpenRegistryOptions>).store ?? new MemoryStore();
    this.#writes = new WriteBehind(this.#store, (operation, error) =>
      this.#storeError(operation, error),
    );
    const services = options.services ?? {};
    if (typeof services !== 'object' || services === null)
      throw new ConfigError('services', services, 'an object of services by name');
    for (const [name, config] of Object.entries(services))
      this.#services.set(name, resolveService(name, config));
    this.#graph = buildGraph(this.#services);
    for (const name of this.#services.keys()) this.breaker(name);
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
      await registry.#restoreOverrides();
      registry.#share(await store.share(registry.#sharedView()));
    } else {
      await registry.#restore();
    }
    return registry;
  }

  /** Gets the breaker of `name`, creating it on first use (from its service config, else from `options`). */
  breaker(name: string, options?: CircuitBreakerOptions): CircuitBreaker {
    const existing = this.#breakers.get(name);
    if (existing !== undefined) return existing;
    this.#checkOpen();
    const service = this.#services.get(name);
    const override = this.#overrides.get(name);
    const sharing = this.#sharing;
    const breaker = new CircuitBreaker(name, {
      ...(service?.options ?? options),
      ...override,
      clock: this.#clock,
      ...(sharing === undefined ? {} : { trialPermits: sharing.permitsFor(name) }),
    });
    this.#breakers.set(name, breaker);
    this.#activity.set(name, { count: 0, at: this.#clock.monotonic() });
    for (const type of this.#forwarded) this.#forward(breaker, type);
    const pending = this.#pendingRecords.get(name);
    if (pending !== undefined) {
      this.#pendingRecords.delete(name);
      if (sharing === undefined) breaker.restore(pending);
      else breaker.adopt(pending);
    }
    return breaker;
  }

  /** The breaker of `name`, or undefined. */
  get(name: string): CircuitBreaker | undefined {
    return this.#breakers.get(name);
  }

  /** Names of every breaker, configured services first. */
  list(): string[] {
    return [...this.#breakers.keys()];
  }

  /** Removes a breaker that no configured service depends on. */
  remove(name: string): boolean {
    if (!this.#breakers.has(name)) return false;
    const dependents = this.#graph.dependentsOf(name);
    if (dependents.length > 0) {
      throw new ConfigError(
        'name',
        name,
        `a service nothing depends on (${dependents.join(', ')} depend on it)`,
      );
    }
    this.#breakers.delete(name);
    this.#activity.delete(name);
    if (this.#services.delete(name)) this.#graph = buildGraph(this.#services);
    return true;
  }

  /** The configured dependencies of a service. */
  dependenciesOf(name: string): readonly string[] {
    return this.#graph.dependenciesOf(name);
  }

  /** Every service downstream of `name`: who is affected if it fails, nearest first. */
  affectedBy(name: string): string[] {
    this.#require(name);
    return this.#graph.affectedBy(name);
  }

  /** Every breaker's status with its health roll-up and the fleet's totals. */
  status(): RegistryStatus {
    const now = this.#clock.monotonic();
    const health = new Map<string, ServiceHealth>();
    const byName = new Map<string, ServiceStatus>();
    const order = [...new Set([...this.#graph.topologicalOrder(), ...this.#breakers.keys()])];
    for (const name of order) {
      const breaker = this.#breakers.get(name);
      if (breaker === undefined) continue;
      const status = breaker.status();
      const dependsOn = this.#graph.dependenciesOf(name);
      const verdict = assessHealth({
        breaker: status,
        dependencies: dependsOn.map((dependency) => ({
          name: dependency,
          health: health.get(dependency) ?? 'unknown',
        })),
        fresh: this.#isFresh(name, status, now),
      });
      health.set(name, verdict.health);
      const layer = this.#services.get(name)?.layer ?? null;
      byName.set(name, { service: name, ...verdict, dependsOn, layer, breaker: status });
    }
    const services = [...this.#breakers.keys()].flatMap((name) => byName.get(name) ?? []);
    const count = (wanted: ServiceHealth) =>
      services.filter((service) => service.health === wanted).length;
    return {
      timestamp: new Date(this.#clock.now()).toISOString(),
      total: services.length,
      healthy: count('healthy'),
      degraded: count('degraded'),
      failed: count('failed'),
      unknown: count('unknown'),
      openCircuits: services
        .filter((service) => service.health === 'failed')
        .map((service) => service.service),
      services,
      ...(this.#sharing === undefined ? {} : { sharing: this.#sharing.status() }),
    };
  }

  /** Services whose circuit rejects calls (open or forced open). */
  openCircuits(): string[] {
    return this.list().filter((name) => {
      const state = this.#breakers.get(name)?.state;
      return state === 'open' || state === 'forced-open';
    });
  }

  /** Closes one circuit and forgets its failures and backoff. Audited. */
  reset(name: string, actor: Actor = systemActor): Promise<Change<string>> {
    return this.#manual('reset', name, actor);
  }

  /** Rejects every call of `name` until released. Audited. */
  forceOpen(name: string, actor: Actor = systemActor): Promise<Change<string>> {
    return this.#manual('force-open', name, actor);
  }

  /** Lets every call of `name` through without tripping until released. Audited. */
  disable(name: string, actor: Actor = systemActor): Promise<Change<string>> {
    return this.#manual('disable', name, actor);
  }

  /** Ends force-open or disable on `name`. Audited. */
  release(name: string, actor: Actor = systemActor): Promise<Change<string>> {
    return this.#manual('release', name, actor);
  }

  /** Resets every breaker. Audited once, with every state before and after. */
  async resetAll(actor: Actor = systemActor): Promise<Change<Record<string, string>>> {
    this.#checkOpen();
    const before = this.#states();
    for (const breaker of this.#breakers.values()) {
      breaker.reset();
      if (this.#sharing === undefined) this.#writes.touch(breaker);
    }
    const after = this.#states();
    await this.#audit('reset-all', '*', actor, before, after);
    this.#events.emit('manualAction', {
      type: 'manualAction',
      service: '*',
      action: 'reset-all',
      at: this.#clock.now(),
      actor,
      before,
      after,
    });
    return { before, after };
  }

  /**
   * Changes a service's options at run time, keeping its state and counts.
   * Only plain-data options can change (they are persisted and audited); a
   * bad value throws a `ConfigError` naming it and changes nothing.
   */
  async configure(
    name: string,
    changes: PersistableOptions,
    actor: Actor = systemActor,
  ): Promise<Change<PersistableOptions>> {
    this.#checkOpen();
    let breaker: CircuitBreaker;
    let checked: PersistableOptions;
    let before: PersistableOptions | null = null;
    try {
      breaker = this.#require(name);
      before = persistableView(breaker.options);
      checked = checkPersistableOptions(changes);
      breaker.reconfigure(checked);
    } catch (error) {
      await this.#auditRefusal('configure', name, actor, before, changes, error);
      throw error;
    }
    const after = persistableView(breaker.options);
    const override = { ...this.#overrides.get(name), ...checked };
    this.#overrides.set(name, override);
    await this.#writes.enqueue(() => this.#store.saveOverride(name, override));
    await this.#audit('configure', name, actor, before, after);
    this.#events.emit('configChange', {
      type: 'configChange',
      service: name,
      at: this.#clock.now(),
      actor,
      before,
      after,
    });
    return { before, after };
  }

  /** Audit entries, newest first. */
  audit(query?: AuditQuery): Promise<AuditEntry[]> {
    return this.#writes.enqueue(() => this.#store.queryAudit(query));
  }

  /** Subscribes to registry events: every breaker's events (with `service`), `configChange`, `manualAction`, `storeError`. */
  on<K extends keyof RegistryEvents>(
    type: K,
    listener: (event: RegistryEvents[K]) => void,
  ): Unsubscribe {
    if (
      (forwardedEventTypes as readonly string[]).includes(type) &&
      !this.#forwarded.has(type as ForwardedEventType)
    ) {
      this.#forwarded.add(type as ForwardedEventType);
      for (const breaker of this.#breakers.values())
        this.#forward(breaker, type as ForwardedEventType);
    }
    return this.#events.on(type, listener);
  }

  /** Waits for every queued store write (in shared mode, for every pending publish too). */
  async flush(): Promise<void> {
    await this.#sharing?.flush();
    await this.#writes.flush();
  }

  /** In shared mode, whether this instance is in step with the fleet; undefined otherwise. */
  sharingStatus(): SharingStatus | undefined {
    return this.#sharing?.status();
  }

  /** In shared mode, every instance heard from recently and what it reports; undefined otherwise. */
  fleetInstances(): readonly InstanceReport[] | undefined {
    return this.#sharing?.instances?.();
  }

  /**
   * Saves every breaker's current record (totals and counters included),
   * not only those that changed state since the last write, and waits for it.
   */
  checkpoint(): Promise<void> {
    // Shared records belong to the fleet: the sharing publishes them, versioned there.
    if (this.#sharing !== undefined) return this.flush();
    for (const breaker of this.#breakers.values()) this.#writes.touch(breaker);
    return this.#writes.flush();
  }

  /** Saves every breaker (see {@link checkpoint}), flushes every pending write and releases the store. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.checkpoint();
    await this.#sharing?.close();
    await this.#store.close();
  }

  async #restore(): Promise<void> {
    await this.#restoreOverrides();
    for (const record of await this.#store.loadBreakers()) {
      this.#writes.knowVersion(record.name, record.version);
      const breaker = this.#breakers.get(record.name);
      if (breaker === undefined) this.#pendingRecords.set(record.name, record);
      else breaker.restore(record);
    }
  }

  async #restoreOverrides(): Promise<void> {
    const overrides = await this.#store.loadOverrides();
    for (const [name, override] of Object.entries(overrides)) {
      this.#overrides.set(name, override);
      this.#breakers.get(name)?.reconfigure(override);
    }
  }

  /** Hands transitions and half-open trials of every breaker, present and future, to `sharing`. */
  #share(sharing: BreakerSharing): void {
    this.#sharing = sharing;
    for (const [name, breaker] of this.#breakers) {
      breaker.reconfigure({ trialPermits: sharing.permitsFor(name) });
    }
  }

  /** What the sharing store may see and do of this registry. */
  #sharedView(): SharedRegistry {
    return {
      clock: this.#clock,
      get: (name) => this.#breakers.get(name),
      list: () => this.list(),
      adopt: (record) => {
        const breaker = this.#breakers.get(record.name);
        if (breaker === undefined) this.#pendingRecords.set(record.name, record);
        else breaker.adopt(record);
      },
      adoptOverride: (service, options) => {
        if (options === null) this.#overrides.delete(service);
        else this.#overrides.set(service, options);
        if (options !== null) this.#breakers.get(service)?.reconfigure(options);
      },
      reportSharing: (status) => {
        this.#events.emit('sharingChange', {
          type: 'sharingChange',
          at: this.#clock.now(),
          status,
        });
      },
      on: (type, listener) => this.on(type, listener),
    };
  }

  async #manual(action: ManualAction, name: string, actor: Actor): Promise<Change<string>> {
    this.#checkOpen();
    const breaker = this.#breakers.get(name);
    if (breaker === undefined) {
      const error = new UnknownServiceError(name);
      await this.#auditRefusal(action, name, actor, null, null, error);
      throw error;
    }
    const before = breaker.state;
    if (action === 'reset') breaker.reset();
    else if (action === 'force-open') breaker.forceOpen();
    else if (action === 'disable') breaker.disable();
    else breaker.release();
    const after = breaker.state;
    if (this.#sharing === undefined) this.#writes.touch(breaker);
    await this.#audit(action, name, actor, before, after);
    this.#events.emit('manualAction', {
      type: 'manualAction',
      service: name,
      action,
      at: this.#clock.now(),
      actor,
      before,
      after,
    });
    return { before, after };
  }

  async #audit(
    action: AuditEntry['action'],
    target: string,
    actor: Actor,
    before: unknown,
    after: unknown,
    outcome = 'ok',
  ): Promise<void> {
    const entry = {
      at: new Date(this.#clock.now()).toISOString(),
      actor: { id: actor.id, role: actor.role },
      action,
      target,
      before,
      after,
      outcome,
    };
    await this.#writes.enqueue(() => this.#store.appendAudit(entry));
  }

  /** An action that was refused is audited too: who tried what, and why it was refused. */
  async #auditRefusal(
    action: AuditEntry['action'],
    target: string,
    actor: Actor,
    before: unknown,
    requested: unknown,
    error: unknown,
  ): Promise<void> {
    const reason = error instanceof Error ? error.message : String(error);
    await this.#audit(action, target, actor, before, jsonSafe(requested), `refused: ${reason}`);
  }

  #forward(breaker: CircuitBreaker, type: ForwardedEventType): void {
    breaker.on(type, (event) => {
      if (type === 'stateChange' && this.#sharing === undefined) this.#writes.touch(breaker);
      if (this.#events.has(type))
        this.#events.emit(type, { ...event, service: breaker.name } as never);
    });
  }

  #isFresh(name: string, status: BreakerStatus, now: number): boolean {
    const activity = this.#activity.get(name);
    if (activity === undefined) return false;
    const count = status.totalAttempts + status.rejected;
    if (count !== activity.count) {
      activity.count = count;
      activity.at = now;
    }
    return now - activity.at < this.#staleAfter;
  }

  #states(): Record<string, string> {
    return Object.fromEntries([...this.#breakers].map(([name, breaker]) => [name, breaker.state]));
  }

  #require(name: string): CircuitBreaker {
    const breaker = this.#breakers.get(name);
    if (breaker === undefined) throw new UnknownServiceError(name);
    return breaker;
  }

  #checkOpen(): void {
    if (this.#closed) throw new Error('The registry is closed');
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

  #reportListenerError(error: unknown): void {
    console.error('[breakwater] a registry listener threw:', error);
  }
}

function buildGraph(services: ReadonlyMap<string, ResolvedService>): DependencyGraph {
  return new DependencyGraph(
    new Map([...services].map(([name, service]) => [name, service.dependsOn])),
  );
}

function checkStaleAfter(value: number | undefined): number {
  if (value === undefined) return 300_000;
  if (typeof value !== 'number' || !(value > 0))
    throw new ConfigError('staleAfter', value, 'a duration in milliseconds > 0');
  return value;
}

/** What an operator asked for, as plain JSON for the audit log (functions and the like are dropped). */
function jsonSafe(value: unknown): unknown {
  try {
    return JSON.parse(JSON.stringify(value ?? null)) as unknown;
  } catch {
    return String(value);
  }
}
