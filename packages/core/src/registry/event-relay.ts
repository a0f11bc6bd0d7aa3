import type { CircuitBreaker } from '../breaker/circuit-breaker';
import { Emitter, type Unsubscribe } from '../events/emitter';
import {
  type ForwardedEventType,
  forwardedEventTypes,
  type RegistryEvents,
} from './registry-events';

const forwardable: ReadonlySet<string> = new Set(forwardedEventTypes);

/**
 * A registry's events: its own (`configChange`, `manualAction`, …) and those
 * of every breaker, re-emitted with the service name. A breaker event type is
 * relayed only once someone subscribes to it, so a registry nobody listens
 * to adds no work to its breakers' calls; transitions are always watched,
 * because the registry saves them.
 */
export class EventRelay {
  readonly #emitter = new Emitter<RegistryEvents>((error) => reportListenerError(error));
  readonly #relayed = new Set<ForwardedEventType>(['stateChange']);
  /** What stops relaying each breaker's events, for `detach`. */
  readonly #subscriptions = new Map<CircuitBreaker, Unsubscribe[]>();
  readonly #breakers: () => Iterable<CircuitBreaker>;
  readonly #onTransition: (breaker: CircuitBreaker) => void;

  /**
   * @param breakers every breaker relayed so far (to start relaying a newly wanted type)
   * @param onTransition called on every transition of every breaker, listened to or not
   */
  constructor(
    breakers: () => Iterable<CircuitBreaker>,
    onTransition: (breaker: CircuitBreaker) => void,
  ) {
    this.#breakers = breakers;
    this.#onTransition = onTransition;
  }

  /** Starts relaying a new breaker's events. */
  attach(breaker: CircuitBreaker): void {
    for (const type of this.#relayed) this.#relay(breaker, type);
  }

  /** Stops relaying a removed breaker's events: whoever still holds it, the registry hears nothing more. */
  detach(breaker: CircuitBreaker): void {
    for (const unsubscribe of this.#subscriptions.get(breaker) ?? []) unsubscribe();
    this.#subscriptions.delete(breaker);
  }

  on<K extends keyof RegistryEvents>(
    type: K,
    listener: (event: RegistryEvents[K]) => void,
  ): Unsubscribe {
    if (forwardable.has(type) && !this.#relayed.has(type as ForwardedEventType)) {
      this.#relayed.add(type as ForwardedEventType);
      for (const breaker of this.#breakers()) this.#relay(breaker, type as ForwardedEventType);
    }
    return this.#emitter.on(type, listener);
  }

  /** True when someone listens to `type`: build the event only then. */
  has(type: keyof RegistryEvents): boolean {
    return this.#emitter.has(type);
  }

  emit<K extends keyof RegistryEvents>(type: K, event: RegistryEvents[K]): void {
    this.#emitter.emit(type, event);
  }

  #relay(breaker: CircuitBreaker, type: ForwardedEventType): void {
    const unsubscribe = breaker.on(type, (event) => {
      if (type === 'stateChange') this.#onTransition(breaker);
      if (this.#emitter.has(type))
        this.#emitter.emit(type, { ...event, service: breaker.name } as never);
    });
    const subscriptions = this.#subscriptions.get(breaker);
    if (subscriptions === undefined) this.#subscriptions.set(breaker, [unsubscribe]);
    else subscriptions.push(unsubscribe);
  }
}

function reportListenerError(error: unknown): void {
  console.error('[breakwater] a registry listener threw:', error);
}
