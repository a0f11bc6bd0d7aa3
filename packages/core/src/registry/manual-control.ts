import type { CircuitBreaker } from '../breaker/circuit-breaker';
import type { Clock } from '../clock/clock';
import { UnknownServiceError } from '../errors/unknown-service-error';
import type { Actor } from '../store/state-store';
import type { AuditTrail } from './audit-trail';
import type { BreakerMap } from './breaker-map';
import type { EventRelay } from './event-relay';
import {
  checkPersistableOptions,
  type PersistableOptions,
  persistableView,
} from './persistable-options';
import type { RegistryPersistence } from './registry-persistence';
import { stateUndo } from './state-undo';

/** Before and after of a manual action or a configuration change. */
export interface Change<T> {
  readonly before: T;
  readonly after: T;
}

/** The actor recorded when none is given. */
export const systemActor: Actor = Object.freeze({ id: 'system', role: 'system' });

/** What an operator can do to one circuit. */
export type ManualAction = 'reset' | 'force-open' | 'disable' | 'release';

/** What manual control works on, lent by the registry. */
export interface ControlledRegistry {
  readonly clock: Clock;
  readonly map: BreakerMap;
  readonly events: EventRelay;
  readonly persistence: RegistryPersistence;
  readonly audit: AuditTrail;
  /** Throws when the registry is closed. */
  checkOpen(): void;
  /**
   * Throws a `StoreUnavailableError` while the registry is shared and cannot
   * reach the fleet's store: a change made then would apply here only.
   */
  checkReachable(): void;
}

/**
 * Operators' actions on circuits (reset, force-open, disable, release, reset
 * all) and run-time configuration: each one applied, saved, audited with its
 * actor and before/after, and announced as an event. A refused action is
 * audited with the reason and changes nothing. An action is acknowledged
 * only once the store holds it (the breaker's record and the audit entry);
 * when the store fails, the action rejects with the store's error and is
 * undone, so nothing shows what was not acknowledged. (In shared mode the
 * records belong to the fleet: an action it never heard of is reverted by
 * the fleet's state when this instance is back in step.)
 */
export class ManualControl {
  readonly #registry: ControlledRegistry;

  constructor(registry: ControlledRegistry) {
    this.#registry = registry;
  }

  async act(action: ManualAction, name: string, actor: Actor): Promise<Change<string>> {
    const { map, persistence, audit } = this.#registry;
    this.#registry.checkOpen();
    this.#registry.checkReachable();
    const breaker = map.get(name);
    if (breaker === undefined) {
      const error = new UnknownServiceError(name);
      await audit.refusal(action, name, actor, null, null, error);
      throw error;
    }
    const before = breaker.state;
    const undo = persistence.keepsRecords ? stateUndo(breaker) : undefined;
    apply(action, breaker);
    const after = breaker.state;
    try {
      await persistence.save(breaker);
      await audit.record(action, name, actor, before, after);
    } catch (error) {
      undo?.();
      throw error;
    }
    this.#announce(name, action, actor, before, after);
    return { before, after };
  }

  async resetAll(actor: Actor): Promise<Change<Record<string, string>>> {
    const { map, persistence, audit } = this.#registry;
    this.#registry.checkOpen();
    this.#registry.checkReachable();
    const before = map.states();
    const breakers = [...map.breakers()];
    const undos = persistence.keepsRecords ? breakers.map(stateUndo) : [];
    for (const breaker of breakers) breaker.reset();
    const after = map.states();
    try {
      for (const breaker of breakers) await persistence.save(breaker);
      await audit.record('reset-all', '*', actor, before, after);
    } catch (error) {
      for (const undo of undos) undo();
      throw error;
    }
    this.#announce('*', 'reset-all', actor, before, after);
    return { before, after };
  }

  /** Changes plain-data options of one service at run time; a bad value changes nothing. */
  async configure(
    name: string,
    changes: PersistableOptions,
    actor: Actor,
  ): Promise<Change<PersistableOptions>> {
    const { map, persistence, audit, events, clock } = this.#registry;
    this.#registry.checkOpen();
    this.#registry.checkReachable();
    let breaker: CircuitBreaker;
    let checked: PersistableOptions;
    let before: PersistableOptions | null = null;
    try {
      breaker = map.require(name);
      before = persistableView(breaker.options);
      checked = checkPersistableOptions(changes);
      breaker.reconfigure(checked);
    } catch (error) {
      await audit.refusal('configure', name, actor, before, changes, error);
      throw error;
    }
    const after = persistableView(breaker.options);
    const previous = map.override(name) ?? null;
    const override = { ...previous, ...checked };
    map.keepOverride(name, override);
    let saved = false;
    try {
      await persistence.write((store) => store.saveOverride(name, override));
      saved = true;
      await audit.record('configure', name, actor, before, after);
    } catch (error) {
      // Not acknowledged: the breaker, the registry and the store keep the options they had.
      breaker.reconfigure(before);
      map.keepOverride(name, previous);
      if (saved)
        persistence.writeReported(`saveOverride(${name})`, (store) =>
          store.saveOverride(name, previous),
        );
      throw error;
    }
    events.emit('configChange', {
      type: 'configChange',
      service: name,
      at: clock.now(),
      actor,
      before,
      after,
    });
    return { before, after };
  }

  #announce(
    service: string,
    action: ManualAction | 'reset-all',
    actor: Actor,
    before: unknown,
    after: unknown,
  ): void {
    const at = this.#registry.clock.now();
    this.#registry.events.emit('manualAction', {
      type: 'manualAction',
      service,
      action,
      at,
      actor,
      before,
      after,
    });
  }
}

function apply(action: ManualAction, breaker: CircuitBreaker): void {
  switch (action) {
    case 'reset':
      breaker.reset();
      break;
    case 'force-open':
      breaker.forceOpen();
      break;
    case 'disable':
      breaker.disable();
      break;
    case 'release':
      breaker.release();
      break;
  }
}
