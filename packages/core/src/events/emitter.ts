import { ConfigError } from '../errors/config-error';

/** Stops a subscription. Calling it twice is harmless. */
export type Unsubscribe = () => void;

type Listener<E> = (event: E) => void;

/**
 * A small typed event emitter. Listener lists are created on the first
 * subscription, so an object nobody listens to holds nothing, and `has()`
 * lets the caller skip building an event object nobody would receive. A
 * listener that throws is reported through `onListenerError` and never
 * reaches the code that emitted.
 */
export class Emitter<Events extends { [K in keyof Events]: object }> {
  #listeners: { [K in keyof Events]?: Listener<Events[K]>[] } | undefined;
  readonly #onListenerError: (error: unknown, type: keyof Events) => void;

  constructor(onListenerError: (error: unknown, type: keyof Events) => void) {
    this.#onListenerError = onListenerError;
  }

  /** True when at least one listener is subscribed to `type`. */
  has(type: keyof Events): boolean {
    return this.#listeners?.[type] !== undefined;
  }

  on<K extends keyof Events>(type: K, listener: Listener<Events[K]>): Unsubscribe {
    if (typeof listener !== 'function')
      throw new ConfigError('listener', listener, `a function to call on '${String(type)}'`);
    this.#listeners ??= {};
    const listeners = this.#listeners;
    listeners[type] = [...(listeners[type] ?? []), listener];
    return () => {
      const remaining = (listeners[type] ?? []).filter((entry) => entry !== listener);
      if (remaining.length === 0) delete listeners[type];
      else listeners[type] = remaining;
    };
  }

  emit<K extends keyof Events>(type: K, event: Events[K]): void {
    const listeners = this.#listeners?.[type];
    if (listeners === undefined) return;
    // The array is replaced, never mutated, on (un)subscribe: iterating it is safe.
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        this.#onListenerError(error, type);
      }
    }
  }
}
